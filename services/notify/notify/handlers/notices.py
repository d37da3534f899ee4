"""Informing the forces (rules in :mod:`notify.domain`), mixed into
:class:`notify.service.NotifyService`: the notices sent at provisioning, their
acknowledgement (RPC or the partner's AMQP reply), re-sends and escalations, and the
end of a measure told to every informed force."""

from __future__ import annotations

import logging
from typing import Any

from notify import domain, read
from notify.domain import changes
from notify.exceptions import EXPECTED, AttributionNotFound, InvalidState, NoticeNotFound
from notify.handlers import Handlers, new_id
from notify.handlers.replies import partner_reply_handler
from tgd_contracts.events import EventName, ServiceName
from tgd_contracts.notice import NoticeAcknowledged, NoticeAcknowledgement
from tgd_servicekit.consumers import rpc
from tgd_servicekit.handlers import ReceivedEvent, envelope_handler
from tgd_servicekit.requests import check_id, parse
from tgd_servicekit.timers import each_due, every

log = logging.getLogger(__name__)


class NoticeEntrypoints(Handlers):
    @envelope_handler(ServiceName.DEVICE, EventName.DEVICE_PROVISIONED)
    def on_device_provisioned(self, event: ReceivedEvent) -> None:
        """Send the notices (once: a replayed event finds them sent)."""
        data = event.data
        if self.informations.exists(data.attribution_id):
            return
        dossier = self.dossiers.fetch(data.device_id)  # unavailable: raises, the event is retried
        now = self.now()

        def inform(info: domain.Information | None) -> tuple[Any, list[domain.Message]]:
            if info is not None:
                return info, []  # informed meanwhile (a replay racing this one)
            return domain.inform(data, self.directory, dossier, now, new_id)

        done = self._change(data.attribution_id, inform, new=True)
        if done.written:
            info = done.after
            log.info("attribution %s: %d notice(s), %s", info.attribution_id, len(info.notices), info.status)

    @envelope_handler(ServiceName.EVALUATION, EventName.ATTRIBUTION_WITHDRAWN)
    def on_attribution_withdrawn(self, event: ReceivedEvent) -> None:
        """Retrait (incarcération de l'auteur included): every informed force is told."""
        self._end(event.data.attribution_id, str(event.data.reason))

    @envelope_handler(ServiceName.EVALUATION, EventName.ATTRIBUTION_EXPIRED)
    def on_attribution_expired(self, event: ReceivedEvent) -> None:
        """Fin de période sans renouvellement: every informed force is told."""
        self._end(event.data.attribution_id, "expired")

    @rpc(expected_exceptions=EXPECTED)
    def acknowledge_notice(self, notice_id: str, acknowledgement: dict[str, Any]) -> dict[str, Any]:
        """Accusé de réception of a notice by the unit it was addressed to."""
        ack = parse(NoticeAcknowledgement, acknowledgement)
        return read.view(self._acknowledge(check_id(notice_id), ack)).to_wire()

    @partner_reply_handler()
    def on_partner_acknowledgement(self, reply: NoticeAcknowledged, addressee: tuple[str, str] | None = None) -> None:
        """The same acknowledgement, sent over AMQP by the partner's own system; its routing
        key's (audience, department) must be the notice's."""
        ack = NoticeAcknowledgement(
            unit_code=reply.unit_code, acknowledged_by=reply.acknowledged_by, sip_registered=reply.sip_registered
        )
        try:
            self._acknowledge(reply.notice_id, ack, addressee)
        except (NoticeNotFound, AttributionNotFound):
            log.warning("acknowledgement over AMQP for unknown notice %s (unit %s)", reply.notice_id, reply.unit_code)

    @every("DEADLINE_CHECK_INTERVAL", 60)
    def check_notices(self) -> None:
        """Re-send unacknowledged notices; escalate those unacknowledged too long."""
        now = self.now()
        each_due(self.informations, now, self._change, lambda i: domain.tick(i, now, self.policy), InvalidState)

    def _end(self, attribution_id: str, because: str) -> None:
        if not self.informations.exists(attribution_id):
            return  # never provisioned: no force was informed
        now = self.now()
        self._change(attribution_id, lambda i: changes.end(i, because, now, new_id))

    def _acknowledge(
        self, notice_id: str, ack: NoticeAcknowledgement, addressee: tuple[str, str] | None = None
    ) -> domain.Information:
        attribution_id = self.informations.attribution_of_notice(notice_id)
        if attribution_id is None:
            raise NoticeNotFound()
        return self._change(attribution_id, lambda i: domain.acknowledge(i, notice_id, ack, self.now(), addressee))
