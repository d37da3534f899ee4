"""End to end with the real processes (referral, evaluation, device, notify, gateway) on
the real broker: the attribution lifecycle over HTTP, partners on ``tgd.partners``.

Deadlines are shortened through the services' environment variables (ISO 8601 periods)
so that reminders, overdue test calls and wipes happen within seconds."""

import json

import httpx
import pytest

from tgd_contracts.envelope import Envelope
from tgd_servicekit.testing.partners import PartnerInbox
from tgd_servicekit.testing.processes import free_port, wait_until

pytestmark = pytest.mark.e2e
ZERO = "0" * 32

REFERRAL = {
    "referrer": {"kind": "social_worker", "organisation": "Association Fictive"},
    "victim": {"surname": "EXEMPLE-CYCLE", "first_names": ["Fictive"]},
    "facts": "Faits entièrement fictifs pour le cycle de vie.",
    "urgency": "urgent",
    "jurisdiction": "tj-moulins",
}
SITUATION = {"family": "Fictive.", "personal": "Fictive.", "professional": "Fictive.", "social": "Fictive."}
CRITERION = {"level": "high", "notes": "Notes fictives."}
REPORT = {
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
        "items": [{"item_id": f"q{n:02d}", "answer": "yes"} for n in range(1, 16)],
    },
}
FICHE = {
    "beneficiary": {
        "identity": {"surname": "EXEMPLE-CYCLE", "first_names": ["Fictive"]},
        "disability_or_speech_difficulty": False,
        "home": {"street": "1 Rue Fictive", "postcode": "03100", "city": "Commune Fictive A", "insee_code": "03901"},
        "geolocation_consent": True,
    },
    "author": {
        "identity": {"surname": "AUTEUR-FICTIF", "first_names": ["Personne"]},
        "no_contact_order": {"basis": "protection_order", "starts_on": "2026-01-02"},
    },
}
DEVICE = {
    "jurisdiction": "tj-moulins",
    "terminal_number": "0600000001",
    "brand": "Marque Fictive",
    "model": "T1",
    "imei": "490154203237518",
    "imsi": "208010000000001",
    "gps_chip_id": "GPS-0001",
}
PARQUET = "Parquet fictif de Moulins"
SERVICES = ("referral", "evaluation", "device", "notify")


def start_system(processes, vhost_uri, env):
    processes.env.update({"AMQP_URI": vhost_uri, "OUTBOX_RELAY_INTERVAL": "0.5", **env})
    port = free_port()
    for service in SERVICES:
        processes.start_service(service)
    processes.start_gateway(port)
    base = f"http://127.0.0.1:{port}"
    wait_until(lambda: httpx.get(f"{base}/health").json()["status"] == "ok", 30, "the gateway's health")
    for path in (
        f"/v1/referrals/{ZERO}",
        f"/v1/referrals/{ZERO}/measure",
        f"/v1/attributions/{ZERO}/device",
        f"/v1/attributions/{ZERO}/notices",
    ):
        wait_until(lambda p=path: httpx.get(base + p).status_code == 404, 30, f"the service behind {path}")
    return base


def ok(response, status=200):
    assert response.status_code == status, response.text
    return response.json()


def granted_attribution(base, key):
    """Referral -> requisition -> report -> consent -> decision, over HTTP."""
    referral = ok(httpx.post(f"{base}/v1/referrals", json=REFERRAL, headers={"Idempotency-Key": key}), 201)
    rid = referral["id"]
    # the evaluation service learns of the referral from referral_received
    wait_until(
        lambda: httpx.post(f"{base}/v1/referrals/{rid}/requisition", json={"requested_by": PARQUET}).status_code == 200,
        15,
        "the requisition to be accepted",
    )
    ok(httpx.post(f"{base}/v1/referrals/{rid}/evaluation-report", json=REPORT))
    refused = httpx.post(
        f"{base}/v1/referrals/{rid}/decision",
        json={"granted": True, "reasons": "Motifs fictifs.", "author_incarcerated": False, "decided_by": PARQUET},
    )
    assert refused.status_code == 409
    assert refused.json()["error"] == "consent_required"
    consent = {"given": True, "collected_by": PARQUET, "collected_on": "2026-01-05"}
    ok(httpx.post(f"{base}/v1/referrals/{rid}/consent", json=consent))
    decision = {"granted": True, "reasons": "Danger grave et actuel.", "author_incarcerated": False}
    measure = ok(httpx.post(f"{base}/v1/referrals/{rid}/decision", json={**decision, "decided_by": PARQUET}))
    assert measure["status"] == "active"
    return rid, measure["attribution_id"]


def test_referral_to_forces_informed_over_http_and_the_broker(processes, vhost_uri, captured_events):
    capture = captured_events("evaluation", "device", "notify")
    police_unit = PartnerInbox(vhost_uri, "police.03.csp-fictive-a.*")
    gendarmerie = PartnerInbox(vhost_uri, "gendarmerie.03.#")
    base = start_system(processes, vhost_uri, {})
    try:
        ok(httpx.post(f"{base}/v1/devices", json=DEVICE), 201)
        _, attribution_id = granted_attribution(base, "e2e-cycle-0001")
        capture.wait_for("attribution_decided")

        assignment = ok(httpx.post(f"{base}/v1/attributions/{attribution_id}/fiche-navette", json=FICHE))
        # provisioned at once, or as soon as the device service has the decision event
        assert assignment["status"] in ("provisioned", "awaiting_decision")
        (provisioned,) = capture.wait_for("device_provisioned")
        assert Envelope.consume(provisioned.body).data["home_insee_code"] == "03901"

        (police_notice,) = police_unit.wait_for(lambda m: True)
        (gendarmerie_notice,) = gendarmerie.wait_for(lambda m: True)
        assert police_notice.routing_key == "police.03.csp-fictive-a.notice"
        assert gendarmerie_notice.routing_key == "gendarmerie.03.ggd-03.notice"
        assert Envelope.consume(gendarmerie_notice.body).data["sip_registration_requested"] is True
        police_unit.drain(0.5)
        assert [m.routing_key for m in police_unit.messages] == ["police.03.csp-fictive-a.notice"]

        for inbox, unit, sip in ((police_unit, "csp-fictive-a", None), (gendarmerie, "ggd-03", True)):
            notice_id = Envelope.consume(inbox.messages[0].body).data["notice_id"]
            ack = {"unit_code": unit, "acknowledged_by": "Officier de permanence (fictif)", "sip_registered": sip}
            ok(httpx.post(f"{base}/v1/notices/{notice_id}/acknowledgement", json=ack))

        (informed,) = capture.wait_for("forces_informed")
        data = Envelope.consume(informed.body).data
        assert data["attribution_id"] == attribution_id
        assert data["competent"]["unit_code"] == "csp-fictive-a"
        assert [u["unit_code"] for u in data["also_informed"]] == ["ggd-03"]
        notices = ok(httpx.get(f"{base}/v1/attributions/{attribution_id}/notices"))
        assert notices["status"] == "informed"

        everything = json.dumps([m.body for m in capture.messages + police_unit.messages + gendarmerie.messages])
        assert "EXEMPLE-CYCLE" not in everything  # events and notices carry ids, never identity
        logs = "".join(processes.log(name) for name in (*SERVICES, "gateway"))
        assert "EXEMPLE-CYCLE" not in logs
    finally:
        police_unit.close()
        gendarmerie.close()


def test_renewal_then_withdrawal_then_device_return(processes, vhost_uri, captured_events):
    capture = captured_events("evaluation", "device")
    short = {
        "ATTRIBUTION_PERIOD": "PT60S",
        "EXPIRY_REMINDER_LEAD": "PT59S",
        "TEST_CALL_INTERVAL": "PT2S",
        "TEST_CALL_REMINDER_LEAD": "PT1S",
        "WIPE_DELAY": "PT1S",
        "DEADLINE_CHECK_INTERVAL": "0.3",
    }
    base = start_system(processes, vhost_uri, short)
    partners = PartnerInbox(vhost_uri, "#")  # any partner: notify publishes with mandatory delivery
    try:
        device = ok(httpx.post(f"{base}/v1/devices", json=DEVICE), 201)
        rid, attribution_id = granted_attribution(base, "e2e-cycle-0002")
        ok(httpx.post(f"{base}/v1/attributions/{attribution_id}/fiche-navette", json=FICHE))
        capture.wait_for("device_provisioned")

        test_calls = f"{base}/v1/devices/{device['device_id']}/test-calls"
        ok(httpx.post(test_calls, json={"direction": "operator_to_beneficiary", "succeeded": True}))
        view = ok(httpx.post(test_calls, json={"direction": "beneficiary_to_operator", "succeeded": True}))
        assert view["status"] == "active"
        capture.wait_for("device_activated")
        capture.wait_for("test_call_due")
        capture.wait_for("test_call_overdue")  # 2 s without a test call: the association is told
        capture.wait_for("attribution_expiring")  # the reminder before the end of the period

        renewal = {"renewed": True, "reasons": "Danger persistant.", "decided_by": PARQUET}
        early = httpx.post(f"{base}/v1/attributions/{attribution_id}/renewal", json=renewal)
        assert early.json()["error"] == "invalid_state"  # no re-evaluation yet
        ok(httpx.post(f"{base}/v1/referrals/{rid}/evaluation-report", json=REPORT))
        renewed = ok(httpx.post(f"{base}/v1/attributions/{attribution_id}/renewal", json=renewal))
        assert renewed["renewals"] == 1
        over_cap = httpx.post(f"{base}/v1/attributions/{attribution_id}/renewal", json=renewal)
        assert over_cap.status_code == 409

        withdrawal = {"reason": "author_incarcerated", "decided_by": PARQUET}
        measure = ok(httpx.post(f"{base}/v1/attributions/{attribution_id}/withdrawal", json=withdrawal))
        assert (measure["status"], measure["withdrawal_reason"]) == ("withdrawn", "author_incarcerated")
        (withdrawn,) = capture.wait_for("attribution_withdrawn")
        assert Envelope.consume(withdrawn.body).data["reason"] == "author_incarcerated"

        (returned,) = capture.wait_for("device_returned")
        assert Envelope.consume(returned.body).data["device_id"] == device["device_id"]
        wiped = wait_until(
            lambda: ok(httpx.get(f"{base}/v1/attributions/{attribution_id}/device"))["wiped"], 10, "the data wipe"
        )
        assert wiped is True
        stock = ok(httpx.get(f"{base}/v1/devices", params={"jurisdiction": "tj-moulins"}))
        assert stock["in_stock"] == 1
        after = httpx.post(test_calls, json={"direction": "beneficiary_to_operator", "succeeded": True})
        assert after.json()["error"] == "device_inactive"
        capture.drain(1.0)
        assert len([m for m in capture.messages if m.routing_key == "device_returned"]) == 1
        assert not [m for m in capture.messages if m.routing_key == "attribution_expired"]
    finally:
        partners.close()
