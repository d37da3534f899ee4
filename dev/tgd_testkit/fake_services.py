"""Fake services answering the gateway's RPC calls with the shapes the real services
return (validated by the contracts), for the authorisation matrix and the fuzzer.
A call to a method with no fake raises, so a new route without one shows up as a
server error in both."""

from __future__ import annotations

import hashlib
import inspect
from collections.abc import Callable
from typing import Any

from tgd_contracts.errors import ErrorCode, TgdError
from tgd_contracts.follow_up import FollowUpContact, FollowUpView
from tgd_contracts.jurisdictions import is_known_jurisdiction
from tgd_contracts.orientation import Orientation, OrientationView
from tgd_contracts.referral import ReferralPage, ReferralQuery, ReferralSubmission, ReferralSummary, ReferralView
from tgd_contracts.safe_contact import ContactDetails
from tgd_testkit.fake_alerts import alert_handlers
from tgd_testkit.fake_evidence import evidence_handlers
from tgd_testkit.fake_lifecycle import LifecycleFakes
from tgd_testkit.fake_partners import PartnerFakes
from tgd_testkit.fake_statistics import statistics_handlers

RECEIVED_AT = "2026-01-01T00:00:00Z"


def fake_referral(referral_id: str, jurisdiction: str) -> dict[str, Any]:
    return ReferralView(
        id=referral_id,
        status="received",
        received_at=RECEIVED_AT,
        referrer={"kind": "hospital", "organisation": "Hôpital Fictif"},
        victim={"surname": "EXEMPLE", "first_names": ["Fictive"]},
        facts="Faits fictifs produits par le faux service.",
        urgency="urgent",
        jurisdiction=jurisdiction,
        safe_contact={"phone": "+33 6 00 00 00 00", "safe_times": "en semaine 9h-12h", "message_allowed": False},
        referrer_contact={"name": "Exemple Fictif", "service": "Service social fictif", "phone": "01 00 00 00 00"},
    ).to_wire()


class FakeServices(LifecycleFakes, PartnerFakes):
    """``jurisdiction_of(object_id)`` decides where each stored object lives."""

    def __init__(self, jurisdiction_of: Callable[[str], str] | None = None):
        self.connected = True
        self.calls: list[tuple[str, str, dict[str, Any]]] = []
        self.jurisdiction_of = jurisdiction_of or (lambda object_id: "tj-paris")
        self.handlers: dict[tuple[str, str], Callable[..., Any]] = {
            ("referral", "submit_referral"): self.submit_referral,
            ("referral", "get_referral"): self.get_referral,
            ("referral", "list_referrals"): self.list_referrals,
            ("referral", "record_contact"): self.follow_up,
            ("referral", "follow_up"): self.follow_up,
            ("referral", "follow_ups"): lambda jurisdiction, referral_ids: {
                "jurisdiction": jurisdiction,
                "items": [{"referral_id": r, "last_contact_on": None, "next_contact_due": None} for r in referral_ids],
            },
            ("referral", "record_orientation"): self.orientations,
            ("referral", "orientations"): self.orientations,
            ("referral", "set_contact_details"): self.set_contact_details,
            **self.lifecycle_handlers(),
            **self.partner_handlers(),
            **alert_handlers(lambda object_id: self.jurisdiction_of(object_id)),
            **statistics_handlers(),
            **evidence_handlers(lambda object_id: self.jurisdiction_of(object_id)),
        }

    async def call(self, service: str, method: str, **kwargs: Any) -> Any:
        self.calls.append((service, method, kwargs))
        handler = self.handlers.get((service, method))
        if handler is None:
            raise RuntimeError(f"no fake for {service}.{method}: add one to dev/tgd_testkit/fake_services.py")
        answer = handler(**kwargs)
        return await answer if inspect.isawaitable(answer) else answer  # an async fake: a slow service

    def submit_referral(
        self, idempotency_key: str, submission: dict[str, Any], role: str | None = None
    ) -> dict[str, Any]:
        parsed = ReferralSubmission.model_validate(submission)
        if not is_known_jurisdiction(parsed.jurisdiction):
            raise TgdError(code=ErrorCode.UNKNOWN_JURISDICTION)
        referral_id = hashlib.sha256(idempotency_key.encode()).hexdigest()[:32]
        referral_id = "e" + referral_id[1:] if referral_id.startswith("f") else referral_id  # "f...": missing
        view = {**fake_referral(referral_id, parsed.jurisdiction), **parsed.to_wire()}
        referral = ReferralView.model_validate(view).to_wire()
        if role is None or role in ("association", "prosecutor"):  # the service's view_for (referral/domain.py)
            return {"created": True, "referral": {**referral, "view": "record"} if role else referral}
        keys = ("id", "status", "received_at", "urgency", "jurisdiction")
        receipt = {**{k: referral[k] for k in keys}, "referrer_kind": referral["referrer"]["kind"], "view": "receipt"}
        return {"created": True, "referral": receipt}

    def get_referral(self, referral_id: str) -> dict[str, Any]:
        if referral_id.startswith("f"):
            raise TgdError(code=ErrorCode.REFERRAL_NOT_FOUND)
        return fake_referral(referral_id, self.jurisdiction_of(referral_id))

    def follow_up(self, referral_id: str, contact_id: str | None = None, contact: Any = None) -> dict[str, Any]:
        if contact is not None:
            try:
                FollowUpContact.model_validate(contact)
            except ValueError:
                raise TgdError(code=ErrorCode.INVALID_REQUEST) from None
        jurisdiction = self.get_referral(referral_id)["jurisdiction"]
        empty = {"contacts": [], "last_contact_on": None, "next_contact_due": None}
        return FollowUpView.model_validate(
            {"referral_id": referral_id, "jurisdiction": jurisdiction, **empty}
        ).to_wire()

    def orientations(self, referral_id: str, entry: Any = None, **recorder: Any) -> dict[str, Any]:
        """Orientations: one recorded when ``entry`` is given (as ``recorded_as``)."""
        jurisdiction = self.get_referral(referral_id)["jurisdiction"]
        recorded = []
        if entry is not None:
            try:
                parsed = Orientation.model_validate(entry)
            except ValueError:
                raise TgdError(code=ErrorCode.INVALID_REQUEST) from None
            recorded.append({**parsed.to_wire(), "orientation_id": recorder["orientation_id"],
                             "recorded_as": recorder["recorded_as"], "recorded_at": RECEIVED_AT})  # fmt: skip
        return OrientationView.model_validate(
            {"referral_id": referral_id, "jurisdiction": jurisdiction, "orientations": recorded}
        ).to_wire()

    def set_contact_details(self, referral_id: str, contact_details: Any) -> dict[str, Any]:
        try:
            parsed = ContactDetails.model_validate(contact_details)
        except ValueError:
            raise TgdError(code=ErrorCode.INVALID_REQUEST) from None
        stored = self.get_referral(referral_id)
        given = {k: v for k, v in parsed.to_wire().items() if v is not None}
        return ReferralView.model_validate({**stored, **given}).to_wire()

    def list_referrals(self, query: dict[str, Any]) -> dict[str, Any]:
        parsed = ReferralQuery.model_validate(query)
        if not is_known_jurisdiction(parsed.jurisdiction):
            raise TgdError(code=ErrorCode.UNKNOWN_JURISDICTION)
        items = [
            ReferralSummary(
                id=f"{n:032x}",
                status="received",
                received_at=RECEIVED_AT,
                urgency="urgent",
                jurisdiction=self.jurisdiction_of(f"{n:032x}"),  # a faithful service answers parsed.jurisdiction
                referrer_kind="hospital",
            )
            for n in range(min(parsed.limit, 2))
        ]
        return ReferralPage(items=items, total=2, limit=parsed.limit, offset=parsed.offset).to_wire()
