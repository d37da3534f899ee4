"""Nameko dependency providers of the alert service: green threads, and
``device.get_dossier`` with a timeout and a circuit breaker."""

from __future__ import annotations

import logging
import time
from typing import Any

import eventlet
from nameko import config
from nameko.extensions import DependencyProvider
from nameko.rpc import ServiceRpc

from tgd_contracts.dossier import Dossier

log = logging.getLogger(__name__)


class Spawner(DependencyProvider):
    """Injects ``spawn(fn, *args)``: runs ``fn`` in a green thread of its own (used to
    publish what is already stored without making the caller wait for confirms)."""

    def get_dependency(self, worker_ctx: Any):
        return eventlet.spawn_n


class DossierClient:
    def __init__(self, provider: DossierSource, rpc: Any):
        self._provider = provider
        self._rpc = rpc

    def fetch(self, device_id: str) -> dict[str, Any] | None:
        """``device.get_dossier``, validated; None when the device service cannot answer
        in time (the alert goes on without it). After a failure, calls are skipped for
        ``ALERT_DOSSIER_RETRY_S`` so that an absent device service costs the alert path
        nothing (circuit breaker)."""
        provider = self._provider
        if time.monotonic() < provider.skip_until:
            return None
        try:
            with eventlet.Timeout(provider.timeout_s):
                raw = self._rpc.get_dossier.call_async(device_id=device_id).result()
            return Dossier.consume(raw).to_wire()
        except (Exception, eventlet.Timeout) as exc:
            provider.skip_until = time.monotonic() + provider.retry_s
            log.warning("no dossier for device %s (%s)", device_id, type(exc).__name__)
            return None


class DossierSource(ServiceRpc):
    """``device.get_dossier`` with a timeout and a circuit breaker (fiche navette)."""

    def __init__(self) -> None:
        super().__init__("device")
        self.skip_until = 0.0

    def setup(self) -> None:
        super().setup()
        self.timeout_s = float(config.get("ALERT_DOSSIER_TIMEOUT_S", 2))
        self.retry_s = float(config.get("ALERT_DOSSIER_RETRY_S", 10))

    def get_dependency(self, worker_ctx: Any) -> DossierClient:
        return DossierClient(self, super().get_dependency(worker_ctx))
