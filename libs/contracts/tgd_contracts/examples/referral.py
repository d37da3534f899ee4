"""Fictional referrals (signalements): the body of ``POST /v1/referrals``
(:class:`~tgd_contracts.referral.ReferralSubmission`)."""

from __future__ import annotations

from typing import Any

from tgd_contracts.examples import merged

FACTS = "Faits fictifs, données de démonstration."


def submission(
    surname: str = "EXEMPLE",
    *,
    kind: str = "social_worker",
    organisation: str = "Organisme fictif",
    urgency: str = "urgent",
    jurisdiction: str = "tj-moulins",
    facts: str = FACTS,
    **overrides: Any,
) -> dict[str, Any]:
    """A professional's referral of a fictional victim."""
    body = {
        "referrer": {"kind": kind, "organisation": organisation},
        "victim": {"surname": surname, "first_names": ["Fictive"]},
        "facts": facts,
        "urgency": urgency,
        "jurisdiction": jurisdiction,
    }
    return merged(body, overrides)
