"""The eligibility rule (conditions d'attribution), pure: no nameko, no database.

Seed 002 §C: "le dispositif d'alerte pourra être attribué aux personnes exposées à un
danger grave de violences conjugales ou de viol lorsque l'auteur des faits n'est pas ou
n'est plus incarcéré"; article 41-3-1 CPP names the partners (conjoint, concubin,
partenaire de PACS, or the former of each) and requires that victim and author no longer
live together; seed 000: "séparée physiquement de son ex conjoint ou de son ex concubin".

- conjugal violence needs the author to be one of those partners (current or former);
- rape needs no relationship;
- in both cases she no longer lives with him (séparée), and he is not in prison;
- any other danger is outside the scheme.

Facts that contradict themselves (a separation date without a separation, a date to come)
are bad input (``InvalidRequest``), not a verdict.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from evaluation.exceptions import InvalidRequest, NotEligible
from tgd_contracts.eligibility import PARTNERS, DangerNature, EligibilityCheck, EligibilityFacts, Ineligibility

#: what each reason means, for the API's message (the screens show French labels)
EXPLAINED = {
    Ineligibility.DANGER_NOT_COVERED: "the danger is neither conjugal violence nor rape",
    Ineligibility.NOT_A_PARTNER: "for conjugal violence the author must be her (former) spouse, cohabitant or "
    "PACS partner",
    Ineligibility.NOT_SEPARATED: "she still lives with the author (no physical separation)",
    Ineligibility.AUTHOR_INCARCERATED: "the author is in prison",
}


PARIS = ZoneInfo("Europe/Paris")


def check_facts(facts: EligibilityFacts | None, now: datetime) -> None:
    """Refuse facts that contradict themselves (None: not given, as by a 1.0 client)."""
    if facts is None:
        return
    today = now.astimezone(PARIS).date()
    if facts.separated_on is not None and not facts.separated:
        raise InvalidRequest("separated_on is given only when separated is true.")
    if facts.separated_on is not None and facts.separated_on > today:
        raise InvalidRequest("separated_on cannot be in the future.")


def check(facts: EligibilityFacts, author_incarcerated: bool) -> EligibilityCheck:
    """The verdict: eligible, or every reason why not (in a fixed order)."""
    reasons = []
    if facts.danger == DangerNature.OTHER:
        reasons.append(Ineligibility.DANGER_NOT_COVERED)
    if facts.danger == DangerNature.CONJUGAL_VIOLENCE and facts.relationship not in PARTNERS:
        reasons.append(Ineligibility.NOT_A_PARTNER)
    if not facts.separated:
        reasons.append(Ineligibility.NOT_SEPARATED)
    if author_incarcerated:
        reasons.append(Ineligibility.AUTHOR_INCARCERATED)
    return EligibilityCheck(eligible=not reasons, reasons=reasons)


def require_eligible(facts: EligibilityFacts | None, author_incarcerated: bool) -> None:
    """For a grant: raise :class:`NotEligible` with every reason in clear (None: facts
    not given, as by a 1.0 client; the decision then records none)."""
    if facts is None:
        return
    verdict = check(facts, author_incarcerated)
    if not verdict.eligible:
        raise NotEligible("Not eligible: " + "; ".join(EXPLAINED[r] for r in verdict.reasons) + ".")
