"""The author's release (mission row 16), mixed into :class:`notify.service.NotifyService`:
reported by the SPIP or the parquet, told to the parquet, the association following her
and the victims' office (reminders) and to the forces serving her (notices)."""

from __future__ import annotations

import logging
import uuid
from typing import Any

import eventlet
from nameko import config
from nameko.exceptions import RemoteError
from nameko.rpc import ServiceRpc

from notify import changes, reminders
from notify.exceptions import EXPECTED, AttributionNotFound, InvalidRequest, InvalidState
from tgd_contracts.errors import ErrorCode, TgdError, parse_remote_error
from tgd_contracts.evaluation import MeasureStatus, MeasureView
from tgd_contracts.release import AuthorRelease
from tgd_contracts.reminders import AuthorReleaseReceipt
from tgd_servicekit.consumers import rpc
from tgd_servicekit.requests import short_id, validated

log = logging.getLogger(__name__)


class MeasureClient:
    def __init__(self, rpc: Any, timeout_s: float):
        self._rpc = rpc
        self._timeout_s = timeout_s

    def attribution(self, attribution_id: str) -> MeasureView:
        """``evaluation.get_attribution``: its court, status and the association following her."""
        try:
            with eventlet.Timeout(self._timeout_s):
                raw = self._rpc.get_attribution.call_async(attribution_id=attribution_id).result()
        except RemoteError as exc:
            parsed = parse_remote_error(str(exc.value))
            if parsed is not None and parsed[0] == ErrorCode.ATTRIBUTION_NOT_FOUND:
                raise AttributionNotFound() from None
            raise TgdError(code=ErrorCode.SERVICE_UNAVAILABLE) from None
        except (Exception, eventlet.Timeout):
            raise TgdError(code=ErrorCode.SERVICE_UNAVAILABLE) from None
        return MeasureView.consume(raw)


class MeasureSource(ServiceRpc):
    def __init__(self) -> None:
        super().__init__("evaluation")

    def setup(self) -> None:
        super().setup()
        self.timeout_s = float(config.get("NOTIFY_DOSSIER_TIMEOUT_S", 5))

    def get_dependency(self, worker_ctx: Any) -> MeasureClient:
        return MeasureClient(super().get_dependency(worker_ctx), self.timeout_s)


class ReleaseEntrypoints:
    """Needs the service's ``measures``, ``informations``, ``reminders``, ``now``, ``_change``
    and ``_remind_all``."""

    measures: Any
    informations: Any
    now: Any
    _change: Any
    _remind_all: Any

    @rpc(expected_exceptions=(*EXPECTED, TgdError))
    def report_author_release(self, attribution_id: str, release: dict[str, Any]) -> dict[str, Any]:
        """Libération ou sortie de détention de l'auteur, reported once (a repeat changes nothing)."""
        parsed = validated(AuthorRelease, release, InvalidRequest)
        aid = short_id(attribution_id, InvalidRequest, "Ids are strings of 1 to 64 characters.")
        measure = self.measures.attribution(aid)
        if measure.status != MeasureStatus.ACTIVE:
            raise InvalidState("The measure is not in progress: nobody is to be told.")
        forces: list[str] = []
        if self.informations.exists(aid):
            now = self.now()
            info = self._change(aid, lambda i: changes.author_released(i, parsed, now, lambda: uuid.uuid4().hex))
            forces = [n.routing_key for n in info.notices if n.author_release == parsed]
        made = reminders.release_reminders(aid, measure.jurisdiction, measure.association, parsed, self.now())
        self._remind_all(made)
        log.info("author release for attribution %s: %d reminder(s), %d unit(s)", aid, len(made), len(forces))
        stored = [self.reminders.load(r.reminder_id) or r for r in made]
        receipt = AuthorReleaseReceipt(attribution_id=aid, reminders=[reminders.view(r) for r in stored], forces=forces)
        return receipt.to_wire()
