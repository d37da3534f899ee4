"""Fake answers of the evaluation, device and notify services (the attribution
lifecycle), with the shapes the real services return, validated by the contracts.
Each object's jurisdiction comes from ``jurisdiction_of(object_id)``; an id starting
with ``f`` is missing (404), as in :mod:`tgd_testkit.fake_services`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import ValidationError

from tgd_contracts.errors import ErrorCode, TgdError
from tgd_contracts.evaluation import (
    AttributionDecision,
    Consent,
    EvaluationReport,
    MeasureView,
    RenewalDecision,
    Requisition,
    Withdrawal,
)
from tgd_contracts.handling import DeviceReplacement, DeviceRetirement, DeviceTransfer, HandOver
from tgd_contracts.jurisdictions import JURISDICTIONS, is_known_jurisdiction
from tgd_contracts.measure_reads import MeasurePage, MeasureRecord
from tgd_contracts.notice import InformationView, NoticeAcknowledgement, NoticeView
from tgd_contracts.stock import (
    AssignmentView,
    DeviceRecovery,
    DeviceRegistration,
    DeviceView,
    FicheNavette,
    StockPage,
    TestCall,
)


def check(model: Any, payload: Any) -> None:
    """What the real service would refuse (InvalidRequest), the fake refuses too."""
    if model is None:
        return
    try:
        model.model_validate(payload)
    except ValidationError:
        raise TgdError(code=ErrorCode.INVALID_REQUEST) from None


def unit_of(jurisdiction: str) -> str:
    """The fake force unit of a jurisdiction (what a unit token of that jurisdiction names)."""
    return f"unit-{jurisdiction}"


class LifecycleFakes:
    jurisdiction_of: Callable[[str], str]
    notice_audience: str = "police"  # the force a fake notice is addressed to

    def lifecycle_handlers(self) -> dict[tuple[str, str], Callable[..., Any]]:
        measure = self.measure_of
        return {
            ("evaluation", "request_evaluation"): lambda referral_id, requisition: measure(
                referral_id, Requisition, requisition
            ),
            ("evaluation", "file_report"): lambda referral_id, report: measure(referral_id, EvaluationReport, report),
            ("evaluation", "record_consent"): lambda referral_id, consent: measure(referral_id, Consent, consent),
            ("evaluation", "decide"): lambda referral_id, decision: measure(referral_id, AttributionDecision, decision),
            ("evaluation", "get_measure"): lambda referral_id: measure(referral_id),
            ("evaluation", "get_attribution"): self.attribution,
            ("evaluation", "renew"): lambda attribution_id, renewal: self.attribution(
                attribution_id, RenewalDecision, renewal
            ),
            ("evaluation", "withdraw"): lambda attribution_id, withdrawal: self.attribution(
                attribution_id, Withdrawal, withdrawal
            ),
            ("device", "add_device"): self.add_device,
            ("device", "list_stock"): self.list_stock,
            ("device", "handover_terminals"): self.list_stock,  # the views stand for the records here
            ("device", "get_device"): self.get_device,
            ("device", "record_fiche"): lambda attribution_id, fiche: self.assignment(
                attribution_id, FicheNavette, fiche
            ),
            ("device", "get_assignment"): lambda attribution_id: self.assignment(attribution_id),
            ("device", "record_test_call"): self.record_test_call,
            ("device", "record_recovery"): self.record_recovery,
            ("device", "transfer_device"): lambda device_id, transfer: self.handled(
                device_id, DeviceTransfer, transfer
            ),
            ("device", "retire_device"): lambda device_id, retirement: self.handled(
                device_id, DeviceRetirement, retirement
            ),
            ("device", "replace_device"): lambda attribution_id, replacement: self.assignment(
                attribution_id, DeviceReplacement, replacement
            ),
            ("device", "record_hand_over"): lambda attribution_id, hand_over: self.assignment(
                attribution_id, HandOver, hand_over
            ),
            ("notify", "get_notice"): lambda notice_id: self.notice(notice_id).to_wire(),
            ("notify", "acknowledge_notice"): self.acknowledge_notice,
            ("notify", "get_information"): lambda attribution_id: self.information(attribution_id),
            ("evaluation", "list_measures"): self.list_measures,
            ("device", "list_assignments"): lambda jurisdiction: {
                "jurisdiction": jurisdiction,
                "items": [self.assignment(f"{n:032x}") for n in range(2)],
            },
            ("evaluation", "measure_record"): self.measure_record,
        }

    # -- evaluation ---------------------------------------------------------------
    def measure_of(self, referral_id: str, model: Any = None, payload: Any = None, attribution_id: str | None = None):
        check(model, payload)
        if referral_id.startswith("f"):
            raise TgdError(code=ErrorCode.REFERRAL_NOT_FOUND)
        return MeasureView(
            referral_id=referral_id,
            jurisdiction=self.jurisdiction_of(attribution_id or referral_id),
            status="active",
            attribution_id=attribution_id or "a" * 32,
            evaluations=1,
            risk_level="high",
            consent_given=True,
            starts_at="2026-01-05T00:00:00Z",
            ends_at="2026-07-05T00:00:00Z",
            renewals=0,
            renewal_cap=2,
            withdrawal_reason=None,
        ).to_wire()

    def attribution(self, attribution_id: str, model: Any = None, payload: Any = None) -> dict[str, Any]:
        if attribution_id.startswith("f"):
            raise TgdError(code=ErrorCode.ATTRIBUTION_NOT_FOUND)
        return self.measure_of("b" * 32, model, payload, attribution_id=attribution_id)

    def list_measures(self, jurisdiction: str, status: str | None = None, limit: int = 200) -> dict[str, Any]:
        items = [self.measure_of(f"{n:032x}") for n in range(2)]  # each of the jurisdiction_of its id
        return MeasurePage.model_validate({"items": items}).to_wire()

    def measure_record(self, referral_id: str) -> dict[str, Any]:
        measure = self.measure_of(referral_id)
        empty = dict.fromkeys(
            ("requisition", "requested_at", "report_due_on", "consent", "decision", "decided_at", "withdrawal")
        )
        record = {**empty, "closed_at": None, "jurisdiction": measure["jurisdiction"], "measure": measure}
        return MeasureRecord.model_validate({**record, "reports": []}).to_wire()

    # -- device -------------------------------------------------------------------
    def device(self, device_id: str, jurisdiction: str) -> DeviceView:
        return DeviceView(
            device_id=device_id,
            jurisdiction=jurisdiction,
            terminal_number="0600000001",
            brand="Marque Fictive",
            model="T1",
            state="in_stock",
            attribution_id=None,
        )

    def add_device(self, registration: dict[str, Any]) -> dict[str, Any]:
        check(DeviceRegistration, registration)
        parsed = DeviceRegistration.model_validate(registration)
        if not is_known_jurisdiction(parsed.jurisdiction):
            raise TgdError(code=ErrorCode.UNKNOWN_JURISDICTION)
        return self.device("c" * 32, parsed.jurisdiction).to_wire()

    def list_stock(self, jurisdiction: str) -> dict[str, Any]:
        if not is_known_jurisdiction(jurisdiction):
            raise TgdError(code=ErrorCode.UNKNOWN_JURISDICTION)
        items = [self.device(f"{n:032x}", self.jurisdiction_of(f"{n:032x}")) for n in range(2)]
        return StockPage(jurisdiction=jurisdiction, items=items, in_stock=2).to_wire()

    def get_device(self, device_id: str) -> dict[str, Any]:
        if device_id.startswith("f"):
            raise TgdError(code=ErrorCode.DEVICE_NOT_FOUND)
        return self.device(device_id, self.jurisdiction_of(device_id)).to_wire()

    def assignment(self, attribution_id: str, model: Any = None, payload: Any = None) -> dict[str, Any]:
        check(model, payload)
        if attribution_id.startswith("f"):
            raise TgdError(code=ErrorCode.ATTRIBUTION_NOT_FOUND)
        return AssignmentView(
            attribution_id=attribution_id,
            jurisdiction=self.jurisdiction_of(attribution_id),
            status="provisioned",
            device_id="d" * 32,
            activated_at=None,
            next_test_call_due=None,
            returned_at=None,
            wipe_due_at=None,
            wiped=False,
        ).to_wire()

    def record_test_call(self, device_id: str, call: dict[str, Any]) -> dict[str, Any]:
        check(TestCall, call)
        if device_id.startswith("f"):
            raise TgdError(code=ErrorCode.DEVICE_NOT_FOUND)
        return {**self.assignment("e" * 32), "jurisdiction": self.jurisdiction_of(device_id)}

    def record_recovery(self, device_id: str, recovery: dict[str, Any]) -> dict[str, Any]:
        check(DeviceRecovery, recovery)
        if device_id.startswith("f"):
            raise TgdError(code=ErrorCode.DEVICE_NOT_FOUND)
        return self.device(device_id, self.jurisdiction_of(device_id)).to_wire()

    def handled(self, device_id: str, model: Any, payload: dict[str, Any]) -> dict[str, Any]:
        check(model, payload)
        if device_id.startswith("f"):
            raise TgdError(code=ErrorCode.DEVICE_NOT_FOUND)
        return self.device(device_id, self.jurisdiction_of(device_id)).to_wire()

    # -- notify -------------------------------------------------------------------
    def notice(self, notice_id: str, attribution_id: str = "a" * 32) -> NoticeView:
        if notice_id.startswith("f"):
            raise TgdError(code=ErrorCode.NOTICE_NOT_FOUND)
        jurisdiction = self.jurisdiction_of(notice_id)
        department = JURISDICTIONS[jurisdiction].department if jurisdiction in JURISDICTIONS else "00"
        unit = unit_of(jurisdiction)
        return NoticeView(
            notice_id=notice_id,
            attribution_id=attribution_id,
            audience=self.notice_audience,
            department=department,
            unit_code=unit,
            unit_name="Unité fictive",
            role="competent",
            routing_key=f"{self.notice_audience}.{department}.{unit}.notice",
            attempts=1,
            acknowledged_at=None,
            escalated_at=None,
            sip_registration=None,
        )

    def information(self, attribution_id: str, notice: NoticeView | None = None) -> dict[str, Any]:
        if attribution_id.startswith("f"):
            raise TgdError(code=ErrorCode.ATTRIBUTION_NOT_FOUND)
        notices = [notice or self.notice("9" * 32, attribution_id)]
        return InformationView(attribution_id=attribution_id, status="informing", notices=notices).to_wire()

    def acknowledge_notice(self, notice_id: str, acknowledgement: dict[str, Any]) -> dict[str, Any]:
        check(NoticeAcknowledgement, acknowledgement)
        ack = NoticeAcknowledgement.model_validate(acknowledgement)
        notice = self.notice(notice_id)
        if ack.unit_code != notice.unit_code:
            raise TgdError(code=ErrorCode.NOTICE_NOT_FOUND)
        return self.information(notice.attribution_id, notice)
