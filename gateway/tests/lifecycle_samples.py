"""Valid bodies of the attribution lifecycle routes (fictional content only), for the
authorisation matrix; the guard's territory fields are overwritten by the matrix."""

from __future__ import annotations

from typing import Any

SITUATION = {"family": "Fictive.", "personal": "Fictive.", "professional": "Fictive.", "social": "Fictive."}
CRITERION = {"level": "high", "notes": "Notes fictives."}
PARQUET = "Parquet fictif"
#: fixed path ids (an id starting with "f" is a missing object for the fake services)
IDS = {
    "referral_id": "0123456789abcdef0123456789abcdef",
    "attribution_id": "1123456789abcdef0123456789abcdef",
    "device_id": "2123456789abcdef0123456789abcdef",
    "notice_id": "3123456789abcdef0123456789abcdef",
    "reminder_id": "4123456789abcdef0123456789abcdef",
}

LIFECYCLE_SAMPLES: dict[str, Any] = {
    "POST /v1/referrals/{referral_id}/requisition": {"requested_by": PARQUET},
    "POST /v1/referrals/{referral_id}/evaluation-report": {
        "victim_situation": SITUATION,
        "author_situation": SITUATION,
        "criteria": {
            "past_violence_gravity": CRITERION,
            "author_profile_and_reoffending_risk": CRITERION,
            "victim_isolation_and_vulnerability": CRITERION,
            "danger_gravity_and_immediacy": CRITERION,
        },
        "risk": {
            "instrument_id": "dash-like",
            "instrument_version": "1",
            "items": [{"item_id": "q01", "answer": "yes"}],
        },
    },
    "POST /v1/referrals/{referral_id}/consent": {"given": True, "collected_by": PARQUET, "collected_on": "2026-01-05"},
    "POST /v1/referrals/{referral_id}/decision": {
        "granted": True,
        "reasons": "Motifs fictifs.",
        "author_incarcerated": False,
        "decided_by": PARQUET,
    },
    "POST /v1/attributions/{attribution_id}/renewal": {"renewed": True, "reasons": "Motifs.", "decided_by": PARQUET},
    "POST /v1/attributions/{attribution_id}/withdrawal": {"reason": "danger_ceased", "decided_by": PARQUET},
    "POST /v1/devices": {
        "jurisdiction": "placeholder",
        "terminal_number": "0600000001",
        "brand": "Marque Fictive",
        "model": "T1",
        "imei": "490154203237518",
        "imsi": "208010000000001",
        "gps_chip_id": "GPS-0001",
    },
    "POST /v1/attributions/{attribution_id}/fiche-navette": {
        "beneficiary": {
            "identity": {"surname": "EXEMPLE", "first_names": ["Fictive"]},
            "disability_or_speech_difficulty": False,
            "home": {"street": "1 Rue Fictive", "postcode": "03100", "city": "Fictive", "insee_code": "03901"},
            "geolocation_consent": True,
        },
        "author": {
            "identity": {"surname": "AUTEUR", "first_names": ["Fictif"]},
            "no_contact_order": {"basis": "protection_order", "starts_on": "2026-01-02"},
        },
    },
    "POST /v1/devices/{device_id}/test-calls": {"direction": "operator_to_beneficiary", "succeeded": True},
    "POST /v1/devices/{device_id}/recovery": {
        "collected_at": "2026-06-02T09:00:00Z",
        "reset_at": "2026-06-02T09:30:00Z",
    },
    "POST /v1/devices/{device_id}/transfer": {"to_jurisdiction": "tj-montlucon", "requested_by": PARQUET},
    "POST /v1/devices/{device_id}/retirement": {"reason": "scrapped", "retired_by": "Opérateur fictif"},
    "POST /v1/attributions/{attribution_id}/device-replacement": {"reason": "lost", "reported_by": PARQUET},
    "POST /v1/attributions/{attribution_id}/hand-over": {
        "handed_over_at": "2026-04-02T10:00:00Z",
        "place": "Tribunal judiciaire fictif, bureau du parquet",
        "present": [{"role": "beneficiary"}, {"role": "association_worker", "label": "Juriste de l'association"}],
    },
    "POST /v1/notices/{notice_id}/acknowledgement": {"unit_code": "placeholder", "acknowledged_by": "Officier fictif"},
    "POST /v1/attributions/{attribution_id}/home": {
        "home": {"street": "5 Rue Nouvelle Fictive", "postcode": "03100", "city": "Fictive", "insee_code": "03903"},
        "reported_by": PARQUET,
    },
    "POST /v1/reminders/{reminder_id}/acknowledgement": {"acknowledged_by": "Greffe fictif"},
    "POST /v1/attributions/{attribution_id}/author-release": {
        "source": "placeholder",
        "kind": "release",
        "released_on": "2026-06-01",
        "reported_by": "SPIP fictif",
    },
    # reads: no body, fixed ids
    "GET /v1/referrals/{referral_id}/measure": None,
    "GET /v1/attributions/{attribution_id}": None,
    "GET /v1/attributions/{attribution_id}/device": None,
    "GET /v1/attributions/{attribution_id}/notices": None,
    # evidence and the right of access (the alert export uses the matrix's alert id)
    "GET /v1/evidence/measures/{referral_id}": None,
    "GET /v1/subject-access/{referral_id}": None,
    "GET /v1/subject-access/{referral_id}/readers": None,
}
