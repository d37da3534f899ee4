"""Fake answers for the partners' side (move, reminders, referents), with the shapes
the real services return. ``reminder_audience`` is the audience a fake reminder is
addressed to; an id starting with ``f`` is missing (404)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tgd_contracts.directory import ReferentDirectory, ReferentUnit
from tgd_contracts.errors import ErrorCode, TgdError
from tgd_contracts.instruments import InstrumentItem, InstrumentList, InstrumentView
from tgd_contracts.jurisdictions import JURISDICTIONS, is_known_jurisdiction
from tgd_contracts.release import AuthorRelease
from tgd_contracts.reminders import AuthorReleaseReceipt, ReminderAcknowledgement, ReminderPage, ReminderView
from tgd_contracts.stock import HomeChange
from tgd_testkit.fake_lifecycle import check

AUDIENCES = ("parquet", "association", "teleassistance")


class PartnerFakes:
    jurisdiction_of: Callable[[str], str]
    assignment: Callable[..., dict[str, Any]]
    reminder_audience: str = "parquet"

    def partner_handlers(self) -> dict[tuple[str, str], Callable[..., Any]]:
        return {
            ("device", "change_home"): lambda attribution_id, change: self.assignment(
                attribution_id, HomeChange, change
            ),
            ("notify", "list_reminders"): self.list_reminders,
            ("notify", "get_reminder"): lambda reminder_id: self.reminder(reminder_id).to_wire(),
            ("notify", "acknowledge_reminder"): self.acknowledge_reminder,
            ("notify", "referents"): self.referents,
            ("evaluation", "list_instruments"): self.list_instruments,
            ("notify", "report_author_release"): self.report_author_release,
        }

    def report_author_release(self, attribution_id: str, release: dict[str, Any]) -> dict[str, Any]:
        check(AuthorRelease, release)
        if attribution_id.startswith("f"):
            raise TgdError(code=ErrorCode.ATTRIBUTION_NOT_FOUND)
        told = [self.reminder(f"{n:032x}", audience) for n, audience in enumerate(("association", "bav"))]
        return AuthorReleaseReceipt(attribution_id=attribution_id, reminders=told, forces=[]).to_wire()

    def list_instruments(self) -> dict[str, Any]:
        item = InstrumentItem(item_id="q01", weight=1, label="Question fictive")
        grid = InstrumentView(
            instrument_id="dash-like",
            instrument_version="1",
            title="Grille fictive",
            high_from=14,
            medium_from=10,
            items=[item],
        )
        return InstrumentList(instruments=[grid]).to_wire()

    def reminder(self, reminder_id: str, audience: str | None = None, acknowledged_by: str | None = None):
        if reminder_id.startswith("f"):
            raise TgdError(code=ErrorCode.REMINDER_NOT_FOUND)
        return ReminderView(
            reminder_id=reminder_id,
            kind="out_of_stock",
            audience=audience or self.reminder_audience,
            jurisdiction=self.jurisdiction_of(reminder_id),
            referral_id=None,
            attribution_id="a" * 32,
            device_id=None,
            due_at=None,
            raised_at="2026-01-01T00:00:00Z",
            acknowledged_at="2026-01-01T01:00:00Z" if acknowledged_by else None,
            acknowledged_by=acknowledged_by,
        )

    def list_reminders(self, jurisdiction: str, pending_only: bool = True, unit: str | None = None) -> dict[str, Any]:
        if not is_known_jurisdiction(jurisdiction):
            raise TgdError(code=ErrorCode.UNKNOWN_JURISDICTION)
        items = [self.reminder(f"{n:032x}", audience) for n, audience in enumerate(AUDIENCES)]
        return ReminderPage(jurisdiction=jurisdiction, items=items).to_wire()

    def acknowledge_reminder(
        self, reminder_id: str, acknowledgement: dict[str, Any], unit: str | None = None
    ) -> dict[str, Any]:
        check(ReminderAcknowledgement, acknowledgement)
        by = ReminderAcknowledgement.model_validate(acknowledgement).acknowledged_by
        return self.reminder(reminder_id, acknowledged_by=by).to_wire()

    def referents(self, jurisdiction: str) -> dict[str, Any]:
        if not is_known_jurisdiction(jurisdiction):
            raise TgdError(code=ErrorCode.UNKNOWN_JURISDICTION)
        department = JURISDICTIONS[jurisdiction].department
        unit = ReferentUnit(
            audience="police",
            department=department,
            unit_code="csp-fictif",
            unit_name="Commissariat fictif",
            kind="unit",
            referents=["Référent VIF (fictif)"],
            communes=["03901"],
        )
        return ReferentDirectory(department=department, units=[unit]).to_wire()
