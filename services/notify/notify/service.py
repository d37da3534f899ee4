"""The notify service (information des forces de l'ordre): nameko entrypoints only;
rules live in :mod:`notify.domain` and :mod:`notify.directory`, storage in
:mod:`notify.repository`."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Sequence
from typing import Any

from nameko import config
from nameko.timer import timer

from notify import changes, domain, models
from notify.change_entrypoints import ChangeEntrypoints
from notify.dependencies import (
    Clock,
    DirectoryProvider,
    DossierSource,
    PartnerPublisher,
    PolicyProvider,
    notify_database,
)
from notify.directory import referents as directory_referents
from notify.entrypoints import partner_reply_handler
from notify.exceptions import (
    EXPECTED,
    AttributionNotFound,
    InvalidRequest,
    InvalidState,
    NoticeNotFound,
    UnknownJurisdiction,
)
from notify.release_entrypoints import MeasureSource, ReleaseEntrypoints
from notify.reminder_entrypoints import ReminderEntrypoints, ReminderStore
from notify.repository import StaleInformation
from tgd_contracts.envelope import Envelope, build_envelope
from tgd_contracts.events import EventName, ServiceName
from tgd_contracts.evidence import SubjectKind, service_part
from tgd_contracts.jurisdictions import JURISDICTIONS
from tgd_contracts.notice import NoticeAcknowledged, NoticeAcknowledgement
from tgd_contracts.registry import PARTNER_MESSAGES
from tgd_servicekit import rotation
from tgd_servicekit.consumers import rpc
from tgd_servicekit.dispatch import EnvelopeDispatcher
from tgd_servicekit.handlers import ReceivedEvent, envelope_handler
from tgd_servicekit.outbox import partitioned, publish_stored, relay
from tgd_servicekit.requests import short_id, validated
from tgd_servicekit.tracing import current_trace_headers

log = logging.getLogger(__name__)
Transition = Callable[[domain.Information], tuple[domain.Information, list[domain.Message]]]


def new_id() -> str:
    return uuid.uuid4().hex


def check_id(value: Any) -> str:
    return short_id(value, InvalidRequest, "Ids are strings of 1 to 64 characters.")


class NotifyService(ChangeEntrypoints, ReminderEntrypoints, ReleaseEntrypoints, rotation.KeyRotation):
    name = "notify"
    ENCRYPTED_DOCUMENTS = (models.InformationDocument,)  # module access: nameko inspects classes here

    informations = notify_database()
    reminders = ReminderStore()
    events = EnvelopeDispatcher()
    partners = PartnerPublisher()
    directory = DirectoryProvider()
    dossiers = DossierSource()
    measures = MeasureSource()
    now = Clock()
    policy = PolicyProvider()

    @envelope_handler(ServiceName.DEVICE, EventName.DEVICE_PROVISIONED)
    def on_device_provisioned(self, event: ReceivedEvent) -> None:
        """Send the notices (once: a replayed event finds them sent)."""
        data = event.data
        if self.informations.exists(data.attribution_id):
            return
        dossier = self.dossiers.fetch(data.device_id)  # unavailable: raises, the event is retried
        now = self.now()
        info, messages = domain.inform(data, self.directory, dossier, now, new_id)
        envelopes = [self._build(name, info.attribution_id, body) for name, body in messages]
        if self.informations.create(info, envelopes, now, domain.next_deadline(info, self.policy)):
            log.info("attribution %s: %d notice(s), %s", info.attribution_id, len(info.notices), info.status)
            self._publish_all(info.attribution_id, envelopes)

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
        ack = validated(NoticeAcknowledgement, acknowledgement, InvalidRequest)
        return domain.view(self._acknowledge(check_id(notice_id), ack)).to_wire()

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

    @rpc(expected_exceptions=EXPECTED)
    def get_notice(self, notice_id: str) -> dict[str, Any]:
        """One notice: its unit, department and audience tell the gateway who may acknowledge it."""
        attribution_id = self.informations.attribution_of_notice(check_id(notice_id))
        loaded = self.informations.load(attribution_id) if attribution_id else None
        found = [n for n in domain.view(loaded[0]).notices if n.notice_id == notice_id] if loaded else []
        if not found:
            raise NoticeNotFound()
        return found[0].to_wire()

    @rpc(expected_exceptions=EXPECTED)
    def referents(self, jurisdiction: str) -> dict[str, Any]:
        """Annuaire des référents of the department of a court (seed 001, action 8)."""
        court = JURISDICTIONS.get(jurisdiction) if isinstance(jurisdiction, str) else None
        if court is None:
            raise UnknownJurisdiction()
        return directory_referents(self.directory, court.department).to_wire()

    @rpc(expected_exceptions=EXPECTED)
    def get_information(self, attribution_id: str) -> dict[str, Any]:
        loaded = self.informations.load(check_id(attribution_id))
        if loaded is None:
            raise AttributionNotFound()
        return domain.view(loaded[0]).to_wire()

    @rpc(expected_exceptions=EXPECTED)
    def information_evidence(self, attribution_id: str) -> dict[str, Any]:
        """The notify side of a measure's evidence: the notices to the forces, their
        re-sends, escalations and acknowledgements, and the events still retained."""
        found = self.informations.evidence_of(check_id(attribution_id))
        if found is None:
            raise AttributionNotFound()
        state, events = found
        return service_part(
            "notify",
            SubjectKind.MEASURE,
            attribution_id,
            state.get("jurisdiction"),
            {"information": state},
            events,
            self.now(),
        ).to_wire()

    @timer(interval=float(config.get("DEADLINE_CHECK_INTERVAL", 60)))
    def check_notices(self) -> None:
        """Re-send unacknowledged notices; escalate those unacknowledged too long."""
        now = self.now()
        for attribution_id in self.informations.due(now):
            try:
                self._change(attribution_id, lambda i: domain.tick(i, now, self.policy))
            except InvalidState:
                log.info("information %s changed during the check; next pass", attribution_id)
            finally:
                self.informations.release_due(attribution_id, now)  # unless the save cleared it

    @timer(interval=float(config.get("OUTBOX_RELAY_INTERVAL", 5)))
    def relay_outbox(self) -> None:
        report = relay(self.informations, publish_many=self._publish_many)
        if report.failed:
            log.warning("outbox relay: %d published, %d failed", report.published, report.failed)

    # -- helpers ------------------------------------------------------------------
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

    def _build(self, name: str, subject: str, data: Any) -> Envelope:
        if name in PARTNER_MESSAGES:
            headers = current_trace_headers()
            return build_envelope(
                source_service=self.name,
                event_name=name,
                subject=subject,
                data=data,
                traceparent=headers.get("traceparent"),
                tracestate=headers.get("tracestate"),
            )
        return self.events.build(name, subject, data)

    def _publish(self, envelope: Envelope) -> None:
        name = envelope.event_name
        if name in PARTNER_MESSAGES:
            data = PARTNER_MESSAGES[name].consume(envelope.data)
            self.partners.publish(envelope, domain.routing_key(name, data))
        else:
            self.events.publish(envelope)

    def _publish_many(self, envelopes: Sequence[Envelope]) -> list[BaseException | None]:
        """The relay's publisher: events with pipelined confirms, partner messages one by one."""
        to_events = partitioned(lambda e: e.event_name not in PARTNER_MESSAGES, self.events.publish_many, self._publish)
        return to_events(envelopes)

    def _publish_all(self, attribution_id: str, envelopes: list[Envelope]) -> None:
        """Publish what was just stored, under this instance's lease (the relay leaves it alone)."""
        publish_stored(self.informations, attribution_id, envelopes, self._publish)

    def _change(self, attribution_id: str, transition: Transition) -> domain.Information:
        loaded = self.informations.load(attribution_id)
        if loaded is None:
            raise AttributionNotFound()
        info, version = loaded
        changed, messages = transition(info)
        if changed == info and not messages:
            return info
        envelopes = [self._build(name, attribution_id, body) for name, body in messages]
        try:
            self.informations.save(changed, version, envelopes, domain.next_deadline(changed, self.policy))
        except StaleInformation:
            raise InvalidState("The notices changed meanwhile; retry.") from None
        self._publish_all(attribution_id, envelopes)
        return changed
