"""The author's release (mission row 16), mixed into :class:`notify.service.NotifyService`:
reported by the SPIP or the parquet, told to the parquet, the association following her
and the victims' office (reminders) and to the forces serving her (notices)."""

from __future__ import annotations

import logging
import uuid
from typing import Any

from notify.domain import changes, reminders
from notify.exceptions import EXPECTED, InvalidState
from notify.handlers import Handlers
from tgd_contracts.errors import TgdError
from tgd_contracts.evaluation import MeasureStatus
from tgd_contracts.release import AuthorRelease
from tgd_contracts.reminders import AuthorReleaseReceipt
from tgd_servicekit.consumers import rpc
from tgd_servicekit.requests import check_id, parse

log = logging.getLogger(__name__)


class ReleaseEntrypoints(Handlers):
    @rpc(expected_exceptions=(*EXPECTED, TgdError))
    def report_author_release(self, attribution_id: str, release: dict[str, Any]) -> dict[str, Any]:
        """Libération ou sortie de détention de l'auteur, reported once (a repeat changes nothing)."""
        parsed = parse(AuthorRelease, release)
        aid = check_id(attribution_id)
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
