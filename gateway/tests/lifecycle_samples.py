"""Valid bodies of the attribution lifecycle routes (fictional content only), for the
authorisation matrix; the guard's territory fields are overwritten by the matrix."""

from __future__ import annotations

from typing import Any

from tgd_contracts.examples import device, dossier, evaluation

#: fixed path ids (an id starting with "f" is a missing object for the fake services)
IDS = {
    "referral_id": "0123456789abcdef0123456789abcdef",
    "attribution_id": "1123456789abcdef0123456789abcdef",
    "device_id": "2123456789abcdef0123456789abcdef",
    "notice_id": "3123456789abcdef0123456789abcdef",
    "reminder_id": "4123456789abcdef0123456789abcdef",
}

LIFECYCLE_SAMPLES: dict[str, Any] = {
    "POST /v1/referrals/{referral_id}/requisition": evaluation.requisition(),
    "POST /v1/referrals/{referral_id}/evaluation-report": evaluation.evaluation_report(),
    "POST /v1/referrals/{referral_id}/consent": evaluation.consent(),
    "POST /v1/referrals/{referral_id}/decision": evaluation.decision(),
    "POST /v1/attributions/{attribution_id}/renewal": evaluation.renewal(),
    "POST /v1/attributions/{attribution_id}/withdrawal": evaluation.withdrawal(),
    "POST /v1/devices": device.registration(jurisdiction="placeholder"),
    "POST /v1/attributions/{attribution_id}/fiche-navette": dossier.fiche_navette(),
    "POST /v1/devices/{device_id}/test-calls": device.call_result(),
    "POST /v1/devices/{device_id}/recovery": device.recovery(),
    "POST /v1/devices/{device_id}/transfer": device.transfer(),
    "POST /v1/devices/{device_id}/retirement": device.retirement(),
    "POST /v1/attributions/{attribution_id}/device-replacement": device.replacement(),
    "POST /v1/attributions/{attribution_id}/hand-over": device.hand_over(),
    "POST /v1/notices/{notice_id}/acknowledgement": {"unit_code": "placeholder", "acknowledged_by": "Officier fictif"},
    "POST /v1/attributions/{attribution_id}/home": dossier.home_change(),
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
