"""The fictional demo world of ``tgd-dev seed`` (pure data): two departments (Allier 03,
Hauts-de-Seine 92), three jurisdictions, their referrals, decisions, devices and alerts,
and what the observatory must then count (the known answers of the e2e test).

Every name is obviously fictional ("Fictive", "Exemple"); homes are in the communes of
the force directory sample (libs/contracts/tgd_contracts/data/force_units.sample.csv).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from tgd_contracts.statistics import LINKED, breakdown, count


@dataclass(frozen=True)
class JurisdictionPlan:
    jurisdiction: str
    homes: tuple[str, ...]  # INSEE codes, used in turn
    referrals: int
    urgent: int  # the first ``urgent`` referrals are urgent
    granted: int  # referrals taken to a granted decision, a device and its test calls
    refused: int  # referrals evaluated and refused
    devices: int  # terminals put in the jurisdiction's stock
    withdrawals: tuple[str, ...] = ()  # reasons, applied to the first attributions
    renewals: int = 0  # applied to the attributions after the withdrawn ones
    alerts: tuple[str, ...] = ()  # natures: danger, no_danger, test_call, accidental

    @property
    def pending(self) -> int:
        """Referrals only requisitioned (the evaluation is under way)."""
        return self.referrals - self.granted - self.refused

    def __post_init__(self) -> None:
        if self.pending < 0 or self.devices < self.granted or len(self.withdrawals) + self.renewals > self.granted:
            raise ValueError(f"inconsistent plan for {self.jurisdiction}")


PLAN: tuple[JurisdictionPlan, ...] = (
    JurisdictionPlan(
        "tj-moulins", ("03901", "03903"), referrals=9, urgent=6, granted=6, refused=1, devices=8,
        withdrawals=("danger_ceased", "danger_ceased"),
        alerts=("danger",) * 5 + ("test_call", "accidental"),
    ),
    JurisdictionPlan(
        "tj-montlucon", ("03902", "03904"), referrals=12, urgent=5, granted=7, refused=2, devices=8,
        withdrawals=("author_incarcerated", "beneficiary_request", "danger_ceased"), renewals=1,
        alerts=("danger",) * 6 + ("no_danger",),
    ),
    JurisdictionPlan(
        "tj-nanterre", ("92901", "92902", "92903"), referrals=6, urgent=2, granted=5, refused=0, devices=6,
        alerts=("danger", "danger", "test_call", "test_call", "test_call"),
    ),
)  # fmt: skip
REFERRER_KINDS = ("social_worker", "hospital", "police_investigator", "lawyer")
RESULTS = ("author_arrested", "on_site")  # the forces' reports, in turn
NATURES = ("danger", "no_danger", "test_call", "accidental", "not_qualified")
OUTCOMES = ("on_site", "author_arrested", "author_gone", "no_one_found", "false_alarm", "other", "none")
WITHDRAWAL_REASONS = ("danger_ceased", "author_incarcerated", "beneficiary_request", "prosecutor_request",
                      "non_compliance")  # fmt: skip


def raw_tallies(plan: JurisdictionPlan) -> dict[str, Any]:
    """What the services hold after one seed run, before anonymisation."""
    outcomes = Counter(RESULTS[i % len(RESULTS)] for i in range(plan.alerts.count("danger")))
    outcomes["none"] = len(plan.alerts) - plan.alerts.count("danger")
    return {
        "referrals": plan.referrals,
        "urgent": plan.urgent,
        "evaluations_requested": plan.referrals,
        "evaluations_completed": plan.granted + plan.refused + plan.renewals,
        "decisions": plan.granted + plan.refused,
        "attributions": plan.granted,
        "refusals": plan.refused,
        "renewals": plan.renewals,
        "withdrawals": len(plan.withdrawals),
        "withdrawals_by_reason": dict(Counter(plan.withdrawals)),
        "in_stock": plan.devices - plan.granted,  # a returned device awaits collection and reset (to_collect)
        "assigned": plan.granted - len(plan.withdrawals),
        "provisioned": plan.granted,
        "returned": len(plan.withdrawals),
        "alerts": len(plan.alerts),
        "by_nature": dict(Counter(plan.alerts)),
        "by_outcome": dict(outcomes),
    }


def expected_statistics(plan: JurisdictionPlan) -> dict[str, Any]:
    """The published figures (value or None when suppressed) the observatory must show."""
    raw = raw_tallies(plan)
    kinds = Counter(REFERRER_KINDS[i % len(REFERRER_KINDS)] for i in range(plan.referrals))
    pairs = {
        "urgent": breakdown({"urgent": plan.urgent, "standard": plan.referrals - plan.urgent}, ["urgent", "standard"]),
        "decisions": breakdown({"granted": plan.granted, "refused": plan.refused}, ["granted", "refused"]),
    }
    expected = {
        "referrals.referrals": count(raw["referrals"]).value,
        "referrals.urgent": pairs["urgent"]["urgent"].value,
        **{f"referrals.by_referrer_kind.{k}": v.value for k, v in breakdown(kinds, _kinds()).items()},
        "evaluations.evaluations_requested": count(raw["evaluations_requested"]).value,
        "evaluations.evaluations_completed": count(raw["evaluations_completed"]).value,
        "evaluations.decisions": count(raw["decisions"]).value,
        "evaluations.attributions": pairs["decisions"]["granted"].value,
        "evaluations.refusals": pairs["decisions"]["refused"].value,
        "evaluations.renewals": count(raw["renewals"]).value,
        "evaluations.withdrawals": count(raw["withdrawals"]).value,
        **{
            f"evaluations.withdrawals_by_reason.{k}": v.value
            for k, v in breakdown(raw["withdrawals_by_reason"], WITHDRAWAL_REASONS).items()
        },
        "devices.in_stock": raw["in_stock"],  # a stock: never suppressed
        "devices.assigned": count(raw["assigned"]).value,
        "devices.provisioned": count(raw["provisioned"]).value,
        "devices.returned": count(raw["returned"]).value,
        "alerts.alerts": count(raw["alerts"]).value,
        **{f"alerts.by_nature.{k}": v.value for k, v in breakdown(raw["by_nature"], NATURES).items()},
        **{f"alerts.by_outcome.{k}": v.value for k, v in breakdown(raw["by_outcome"], OUTCOMES).items()},
        "evaluations.expiries": 0,
    }
    for (section, measure), linked in LINKED:  # the suppression across services
        if expected[f"{section}.{measure}"] is None:
            expected.update({f"{s}.{m}": None for s, m in linked})
    return expected


def _kinds() -> list[str]:
    from tgd_contracts.referral import ProfessionalKind

    return [k.value for k in ProfessionalKind]


def plan_for(jurisdiction: str) -> JurisdictionPlan:
    return next(p for p in PLAN if p.jurisdiction == jurisdiction)


def steps(plan: JurisdictionPlan) -> int:
    """Units of work for the progress bar."""
    return plan.devices + plan.referrals + plan.granted + plan.renewals + len(plan.withdrawals) + len(plan.alerts)
