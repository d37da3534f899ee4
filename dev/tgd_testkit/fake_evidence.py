"""Fake answers of the services' evidence RPCs (parts of an evidence archive), shaped
by :class:`tgd_contracts.evidence.EvidencePart`. Ids starting with ``f`` are missing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tgd_contracts.errors import ErrorCode, TgdError
from tgd_contracts.evidence import EvidencePart, RelatedAlerts, SubjectKind

AT = "2026-06-01T22:00:00Z"
TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"
ATTRIBUTION = "a" * 32
DEVICE = "d" * 32
ALERTS = ("0123456789abcdef0123456789abcdef", "1123456789abcdef0123456789abcdef")


def part(service: str, kind: SubjectKind, subject_id: str, jurisdiction: str, **fields: Any) -> dict[str, Any]:
    return EvidencePart(
        service=service,
        subject_kind=kind,
        subject_id=subject_id,
        jurisdiction=jurisdiction,
        collected_at=AT,
        **{"records": {}, **fields},
    ).to_wire()


def evidence_handlers(jurisdiction_of: Callable[[str], str]) -> dict[tuple[str, str], Callable[..., Any]]:
    def missing(object_id: str, code: ErrorCode) -> None:
        if object_id.startswith("f"):
            raise TgdError(code=code)

    def alert(alert_id: str) -> dict[str, Any]:
        missing(alert_id, ErrorCode.ALERT_NOT_FOUND)
        record = {"alert_id": alert_id, "device": {"device_id": DEVICE, "attribution_id": ATTRIBUTION}}
        event = {"type": "fr.tgd.alert_raised", "subject": alert_id, "traceparent": f"00-{TRACE}-00f067aa0ba902b7-01"}
        return part(
            "alert",
            SubjectKind.ALERT,
            alert_id,
            jurisdiction_of(alert_id),
            trace_ids=[TRACE],
            records={"alert": record},
            events=[event],
        )

    def measure(referral_id: str) -> dict[str, Any]:
        missing(referral_id, ErrorCode.REFERRAL_NOT_FOUND)
        state = {"referral_id": referral_id, "attribution_id": ATTRIBUTION, "renewals": 0}
        return part(
            "evaluation",
            SubjectKind.MEASURE,
            referral_id,
            jurisdiction_of(referral_id),
            related_ids={"attribution_ids": [ATTRIBUTION]},
            records={"measure": state, "reports": []},
        )

    def referral(referral_id: str) -> dict[str, Any]:
        missing(referral_id, ErrorCode.REFERRAL_NOT_FOUND)
        return part(
            "referral", SubjectKind.MEASURE, referral_id, jurisdiction_of(referral_id), records={"referral": {}}
        )

    def assignment(attribution_id: str) -> dict[str, Any]:
        missing(attribution_id, ErrorCode.ATTRIBUTION_NOT_FOUND)
        return part(
            "device",
            SubjectKind.MEASURE,
            attribution_id,
            jurisdiction_of(attribution_id),
            related_ids={"device_ids": [DEVICE]},
            records={"assignment": {"device_id": DEVICE}, "device": None},
        )

    def information(attribution_id: str) -> dict[str, Any]:
        missing(attribution_id, ErrorCode.ATTRIBUTION_NOT_FOUND)
        return part("notify", SubjectKind.MEASURE, attribution_id, jurisdiction_of(attribution_id))

    def alerts_of_device(device_id: str, attribution_id: str | None = None) -> dict[str, Any]:
        return RelatedAlerts(device_id=device_id, alert_ids=list(ALERTS)).to_wire()

    return {
        ("alert", "alert_evidence"): alert,
        ("alert", "alerts_of_device"): alerts_of_device,
        ("evaluation", "measure_evidence"): measure,
        ("referral", "referral_evidence"): referral,
        ("device", "assignment_evidence"): assignment,
        ("notify", "information_evidence"): information,
    }
