"""Valid bodies for the evaluation service's tests (fictional content only)."""

SITUATION = {
    "family": "Situation familiale fictive.",
    "personal": "Situation personnelle fictive.",
    "professional": "Situation professionnelle fictive.",
    "social": "Situation sociale fictive.",
}
CRITERION = {"level": "high", "notes": "Notes fictives."}


def report(yes=14, override=None):
    risk = {
        "instrument_id": "dash-like",
        "instrument_version": "1",
        "items": [{"item_id": f"q{n:02d}", "answer": "yes" if n <= yes else "no"} for n in range(1, 28)],
    }
    if override:
        risk["override"] = override
    return {
        "victim_situation": SITUATION,
        "author_situation": SITUATION,
        "criteria": {
            "past_violence_gravity": CRITERION,
            "author_profile_and_reoffending_risk": CRITERION,
            "victim_isolation_and_vulnerability": CRITERION,
            "danger_gravity_and_immediacy": CRITERION,
        },
        "risk": risk,
    }


REQUISITION = {"requested_by": "Parquet fictif, section famille"}
CONSENT = {"given": True, "collected_by": "Parquet fictif", "collected_on": "2026-01-05"}
REFUSED_CONSENT = {**CONSENT, "given": False}


def decision(granted=True, incarcerated=False, months=None):
    body = {
        "granted": granted,
        "reasons": "Danger grave et actuel (motifs fictifs).",
        "author_incarcerated": incarcerated,
        "decided_by": "Parquet fictif",
    }
    if months:
        body["duration_months"] = months
    return body


def renewal(renewed=True):
    return {"renewed": renewed, "reasons": "Motifs fictifs.", "decided_by": "Parquet fictif"}


def withdrawal(reason="danger_ceased", opinion_on=None):
    body = {"reason": reason, "decided_by": "Parquet fictif"}
    if opinion_on:
        body["steering_committee_opinion_on"] = opinion_on
    return body
