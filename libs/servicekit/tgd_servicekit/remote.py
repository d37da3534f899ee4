"""Calling another service with a deadline, written once: nameko's ``ServiceRpc`` whose
calls give up after a timeout read from the configuration at start (never at import), and
whose failures all come back as the calling service's own error.

A service declares ``dossiers = TimedServiceRpc("device", DossierClient,
"NOTIFY_DOSSIER_TIMEOUT_S", 5, DossierUnavailable)``; its handlers get
``DossierClient(call)``, whose methods say which answer they need: ``call("get_dossier",
ErrorCode.DEVICE_NOT_FOUND, device_id=...)`` is the answer, None when the other service
answered that error code, else ``DossierUnavailable(<what went wrong>)`` (a timeout, the
other service absent, any other error it answered)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import eventlet
from nameko import config
from nameko.exceptions import RemoteError
from nameko.rpc import ServiceRpc

from tgd_contracts.errors import ErrorCode, parse_remote_error

#: makes the calling service's error from the name of what went wrong
Unavailable = Callable[[str], BaseException]


def remote_code(exc: RemoteError) -> ErrorCode | None:
    """The contract error code the other service answered, if it answered one."""
    parsed = parse_remote_error(str(exc.value))
    return parsed[0] if parsed is not None else None


class TimedCall:
    """One worker's calls to the other service (see the module)."""

    def __init__(self, rpc: Any, timeout_s: float, unavailable: Unavailable):
        self._rpc = rpc
        self._timeout_s = timeout_s
        self._unavailable = unavailable

    def __call__(self, method: str, absent: ErrorCode | None = None, **kwargs: Any) -> Any:
        try:
            with eventlet.Timeout(self._timeout_s):
                return getattr(self._rpc, method).call_async(**kwargs).result()
        except RemoteError as exc:
            if absent is not None and remote_code(exc) == absent:
                return None
            raise self._unavailable(type(exc).__name__) from None
        except (Exception, eventlet.Timeout) as exc:
            raise self._unavailable(type(exc).__name__) from None


class TimedServiceRpc(ServiceRpc):
    """Injects ``client(TimedCall)`` calling ``service`` with a timeout of ``setting``
    seconds (``default_s`` when it is not set)."""

    def __init__(
        self, service: str, client: Callable[[TimedCall], Any], setting: str, default_s: float, unavailable: Unavailable
    ) -> None:
        super().__init__(service)
        self.client = client
        self.setting = setting
        self.default_s = default_s
        self.unavailable = unavailable

    def setup(self) -> None:
        super().setup()
        self.timeout_s = float(config.get(self.setting, self.default_s))

    def get_dependency(self, worker_ctx: Any) -> Any:
        return self.client(TimedCall(super().get_dependency(worker_ctx), self.timeout_s, self.unavailable))
