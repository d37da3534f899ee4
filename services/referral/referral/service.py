"""The referral service (signalements): nameko entrypoints only; rules live in
:mod:`referral.domain`, storage in :mod:`referral.repository`."""

from __future__ import annotations

import logging
from typing import Any

from nameko import config
from nameko.timer import timer

from referral import contacts, domain, follow_up, models, retention
from referral.dependencies import Clock, RetentionPolicyProvider, referral_database
from referral.exceptions import IdempotencyKeyReused, InvalidRequest, ReferralNotFound, UnknownJurisdiction
from referral.orientation_entrypoints import OrientationEntrypoints
from referral.repository import DuplicateIdempotencyKey, Purged
from referral.retention_entrypoints import RetentionEntrypoints
from referral.statistics import referral_figures
from tgd_contracts.events import EventName
from tgd_contracts.evidence import SubjectKind, service_part
from tgd_contracts.follow_up import FollowUpContact
from tgd_contracts.jurisdictions import is_known_jurisdiction
from tgd_contracts.referral import ReferralQuery, ReferralSubmission, SubmissionResult
from tgd_contracts.statistics import ReferralFigures, StatisticsQuery
from tgd_contracts.statistics import anonymise as anonymised
from tgd_servicekit import rotation
from tgd_servicekit.consumers import rpc
from tgd_servicekit.dispatch import EnvelopeDispatcher
from tgd_servicekit.outbox import publish_stored, relay
from tgd_servicekit.requests import validated

log = logging.getLogger(__name__)
EXPECTED = (InvalidRequest, UnknownJurisdiction, IdempotencyKeyReused, ReferralNotFound)


def parse(model: Any, payload: Any) -> Any:
    return validated(model, payload, InvalidRequest)


class ReferralService(RetentionEntrypoints, OrientationEntrypoints, rotation.KeyRotation):
    name = "referral"
    ENCRYPTED_DOCUMENTS = (
        models.ReferralDocument,
        models.FollowUpContactDocument,
    )  # module access: nameko inspects classes here

    referrals = referral_database()
    events = EnvelopeDispatcher()
    now = Clock()
    retention_policy = RetentionPolicyProvider()

    @rpc(expected_exceptions=EXPECTED)
    def submit_referral(
        self, idempotency_key: str, submission: dict[str, Any], role: str | None = None
    ) -> dict[str, Any]:
        """Record a referral (signalement) once per idempotency key; emits ``referral_received``.
        With the caller's ``role`` (the gateway's), ``referral`` is that role's view of it
        (:func:`domain.view_for`); without, the stored referral."""
        result = self._submit(idempotency_key, submission)
        if role is None:
            return result
        return {**result, "referral": domain.view_for(result["referral"], role)}

    def _submit(self, idempotency_key: str, submission: dict[str, Any]) -> dict[str, Any]:
        key = domain.check_idempotency_key(idempotency_key)
        parsed = parse(ReferralSubmission, submission)
        fingerprint = domain.fingerprint(parsed)
        result = self._replay(key, fingerprint)
        if result is not None:
            return result
        referral = domain.receive(parsed, now=self.now(), referral_id=domain.new_referral_id())
        event = self.events.build(EventName.REFERRAL_RECEIVED, referral.id, domain.received_event(referral))
        purge_due_at = retention.purge_due_at(retention.Basis(received_at=referral.received_at), self.retention_policy)
        try:
            self.referrals.add(referral, key, fingerprint, event, purge_due_at)
        except DuplicateIdempotencyKey:  # a concurrent retry won the race
            return self._replay(key, fingerprint)
        log.info("referral %s received for %s", referral.id, referral.jurisdiction)
        self._publish_now(referral.id, event)
        return SubmissionResult(referral=referral, created=True).to_wire()

    def _replay(self, key: str, fingerprint: str) -> dict[str, Any] | None:
        try:
            stored = self.referrals.find_by_idempotency_key(key)
        except Purged:
            raise IdempotencyKeyReused("This key's referral was purged at the end of its retention.") from None
        if stored is None:
            return None
        referral, stored_fingerprint = stored
        domain.classify_submission(stored_fingerprint, fingerprint)
        return SubmissionResult(referral=referral, created=False).to_wire()

    @rpc(expected_exceptions=EXPECTED)
    def get_referral(self, referral_id: str) -> dict[str, Any]:
        try:
            referral = self.referrals.get(referral_id) if isinstance(referral_id, str) else None
        except Purged:
            raise ReferralNotFound("This referral's personal data was purged at the end of its retention.") from None
        if referral is None:
            raise ReferralNotFound()
        return referral.to_wire()

    @rpc(expected_exceptions=EXPECTED)
    def referral_evidence(self, referral_id: str) -> dict[str, Any]:
        """The referral's part of a measure's evidence (le signalement, as received)."""
        try:
            found = self.referrals.evidence_of(referral_id) if isinstance(referral_id, str) else None
        except Purged:
            raise ReferralNotFound("This referral's personal data was purged at the end of its retention.") from None
        if found is None:
            raise ReferralNotFound()
        referral, events = found
        return service_part(
            "referral",
            SubjectKind.MEASURE,
            referral.id,
            referral.jurisdiction,
            {"referral": referral.to_wire()},
            events,
            self.now(),
        ).to_wire()

    @rpc(expected_exceptions=EXPECTED)
    def list_referrals(self, query: dict[str, Any]) -> dict[str, Any]:
        """Referrals of a jurisdiction, newest first; ``urgent=True`` is the on-call
        prosecutor's view (permanence du parquet)."""
        parsed = parse(ReferralQuery, query)
        return self.referrals.list(
            domain.list_filter(parsed.jurisdiction, parsed.urgent, parsed.limit, parsed.offset)
        ).to_wire()

    @rpc(expected_exceptions=EXPECTED)
    def record_contact(self, referral_id: str, contact_id: str, contact: dict[str, Any]) -> dict[str, Any]:
        """Un contact de suivi de l'association (date, nature, notes); ``contact_id`` (from the
        caller's idempotency key) makes a retry record it once."""
        if not isinstance(contact_id, str) or not 8 <= len(contact_id) <= 64:
            raise InvalidRequest("contact_id is 8 to 64 characters.")
        parsed = follow_up.check_contact(parse(FollowUpContact, contact), self.now().date())
        referral = self._readable(referral_id)
        contacts.add(referral.id, follow_up.recorded(parsed, contact_id, self.now()))
        return self.follow_up(referral_id)

    @rpc(expected_exceptions=EXPECTED)
    def follow_up(self, referral_id: str) -> dict[str, Any]:
        """Le suivi de la bénéficiaire: contacts, newest first, and the next one due."""
        referral = self._readable(referral_id)
        return follow_up.view(referral.id, referral.jurisdiction, contacts.of_referral(referral.id)).to_wire()

    @rpc(expected_exceptions=EXPECTED)
    def follow_ups(self, jurisdiction: str, referral_ids: list[str]) -> dict[str, Any]:
        """Le suivi of several beneficiaries of a court (the association's screen): the last
        contact and the next one due; referrals of another court are left out."""
        if not isinstance(referral_ids, list) or len(referral_ids) > 500:
            raise InvalidRequest("referral_ids is a list of at most 500 ids.")
        ids = [r for r in referral_ids if isinstance(r, str)]
        mine = self.referrals.ids_of(jurisdiction, ids)
        return follow_up.page(jurisdiction, mine, contacts.latest_of(mine)).to_wire()

    def _readable(self, referral_id: Any) -> Any:
        try:
            referral = self.referrals.get(referral_id) if isinstance(referral_id, str) else None
        except Purged:
            raise ReferralNotFound("This referral's personal data was purged at the end of its retention.") from None
        if referral is None:
            raise ReferralNotFound()
        return referral

    @rpc(expected_exceptions=EXPECTED)
    def statistics(self, query: dict[str, Any]) -> dict[str, Any]:
        """Observatory aggregates of a jurisdiction and period: anonymised counts only."""
        return anonymised.referrals(ReferralFigures.consume(self.exact_statistics(query))).to_wire()

    @rpc(expected_exceptions=EXPECTED)
    def exact_statistics(self, query: dict[str, Any]) -> dict[str, Any]:
        """Exact figures of a court and period (its parquet, the steering committee)."""
        parsed = parse(StatisticsQuery, query)
        if not is_known_jurisdiction(parsed.jurisdiction):
            raise UnknownJurisdiction()
        start, end = parsed.window()
        return referral_figures(parsed, self.referrals.received_between(parsed.jurisdiction, start, end)).to_wire()

    @timer(interval=float(config.get("OUTBOX_RELAY_INTERVAL", 5)))
    def relay_outbox(self) -> None:
        """Publish events whose publication failed or was interrupted."""
        self._publish_pending()

    def _publish_now(self, referral_id: str, event: Any) -> None:
        """Publish at once, under this instance's lease; if the broker is unavailable the relay retries later."""
        publish_stored(self.referrals, referral_id, [event], self.events.publish)

    def _publish_pending(self) -> None:
        report = relay(self.referrals, publish_many=self.events.publish_many)  # pipelined confirms
        if report.failed:
            log.warning("outbox relay: %d published, %d failed", report.published, report.failed)
