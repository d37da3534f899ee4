"""End to end with the real processes (referral, evaluation, device, notify, gateway) on
the real broker: the attribution lifecycle over HTTP, partners on ``tgd.partners``.

Deadlines are shortened through the services' environment variables (ISO 8601 periods)
so that reminders, overdue test calls and wipes happen within seconds. Each step is taken
by the partner whose act it is (tokens from the ``auth_headers`` fixture), and partners of
another jurisdiction (or another unit) are refused on steps of every service."""

import json

import httpx
import pytest

from tgd_contracts.envelope import Envelope
from tgd_servicekit.testing.partners import PartnerInbox
from tgd_servicekit.testing.processes import free_port, wait_until

from .lifecycle_bodies import ACK, PARQUET, REPORT, device, fiche, referral

pytestmark = pytest.mark.e2e
ZERO = "0" * 32

REFERRAL = referral("EXEMPLE-CYCLE", "Faits entièrement fictifs pour le cycle de vie.")
FICHE = fiche("EXEMPLE-CYCLE")
DEVICE = device(1, imei="490154203237518")
SERVICES = ("referral", "evaluation", "device", "notify")


@pytest.fixture
def who(auth_headers):
    """The partners of the scheme in Moulins (Allier, 03), and some of elsewhere."""
    return {
        "association": auth_headers("association", "tj-moulins"),
        "parquet": auth_headers("prosecutor", "tj-moulins"),
        "operator": auth_headers("teleassistance", "*"),
        "police-unit": auth_headers("police", "tj-moulins", unit="csp-fictive-a"),
        "gendarmerie-group": auth_headers("gendarmerie", "tj-moulins", unit="ggd-03"),
        "police-directorate": auth_headers("police", "tj-moulins"),  # no unit: acknowledges nothing
        "police-ddsp": auth_headers("police", "tj-moulins", unit="ddsp-03"),  # the DDSP acknowledges its own
        "brigade-c": auth_headers("gendarmerie", "tj-moulins", unit="bta-fictive-c"),
        "spip": auth_headers("spip", "tj-moulins"),
        "bav": auth_headers("bav", "tj-moulins"),
        "other-police-unit": auth_headers("police", "tj-moulins", unit="csp-fictive-b"),
        "parquet-paris": auth_headers("prosecutor", "tj-paris"),
        "association-paris": auth_headers("association", "tj-paris"),
        "operator-paris": auth_headers("teleassistance", "tj-paris"),
        "police-paris": auth_headers("police", "tj-paris", unit="csp-fictive-a"),
    }


def refused(response, code):
    """A foreign partner learns nothing: the same 404 as a missing object (or 403 for its own claim)."""
    assert response.json()["error"] == code, response.text
    assert "EXEMPLE" not in response.text


def start_system(processes, vhost_uri, env, who):
    processes.env.update({"AMQP_URI": vhost_uri, "OUTBOX_RELAY_INTERVAL": "0.5", **env})
    port = free_port()
    for service in SERVICES:
        processes.start_service(service)
    processes.start_gateway(port)
    base = f"http://127.0.0.1:{port}"
    wait_until(lambda: httpx.get(f"{base}/health").json()["status"] == "ok", 30, "the gateway's health")
    probes = (  # each answers once its service is up
        ("GET", f"/v1/referrals/{ZERO}", None, "association", 404),
        ("GET", f"/v1/referrals/{ZERO}/measure", None, "parquet", 404),
        ("GET", "/v1/devices?jurisdiction=tj-moulins", None, "operator", 200),
        ("POST", f"/v1/notices/{ZERO}/acknowledgement", {**ACK, "unit_code": "csp-fictive-a"}, "police-unit", 404),
    )
    for method, path, body, partner, status in probes:
        wait_until(
            lambda m=method, p=path, b=body, h=who[partner], s=status: (
                httpx.request(m, base + p, json=b, headers=h).status_code == s
            ),
            30,
            f"the service behind {path}",
        )
    return base


def ok(response, status=200):
    assert response.status_code == status, response.text
    return response.json()


def granted_attribution(base, key, who):
    """Referral -> requisition -> report -> consent -> decision, over HTTP, each by its partner."""
    headers = {"Idempotency-Key": key, **who["association"]}
    referral = ok(httpx.post(f"{base}/v1/referrals", json=REFERRAL, headers=headers), 201)
    rid = referral["id"]
    requisition = f"{base}/v1/referrals/{rid}/requisition"
    # the evaluation service learns of the referral from referral_received
    wait_until(
        lambda: httpx.post(requisition, json={"requested_by": PARQUET}, headers=who["parquet"]).status_code == 200,
        15,
        "the requisition to be accepted",
    )
    # another jurisdiction's parquet cannot act on this measure, nor learn that it exists
    refused(httpx.post(requisition, json={"requested_by": "P"}, headers=who["parquet-paris"]), "referral_not_found")
    refused(httpx.post(f"{base}/v1/referrals/{ZERO}/requisition", json={"requested_by": "P"},
                       headers=who["parquet-paris"]), "referral_not_found")  # fmt: skip
    refused(httpx.get(f"{base}/v1/referrals/{rid}/measure", headers=who["association-paris"]), "referral_not_found")
    refused(
        httpx.post(f"{base}/v1/referrals/{rid}/evaluation-report", json=REPORT, headers=who["parquet"]), "forbidden"
    )
    ok(httpx.post(f"{base}/v1/referrals/{rid}/evaluation-report", json=REPORT, headers=who["association"]))
    decision = {"granted": True, "reasons": "Danger grave et actuel.", "author_incarcerated": False}
    decision_url = f"{base}/v1/referrals/{rid}/decision"
    early = httpx.post(decision_url, json={**decision, "decided_by": PARQUET}, headers=who["parquet"])
    assert early.status_code == 409
    assert early.json()["error"] == "consent_required"
    consent = {"given": True, "collected_by": "Association fictive", "collected_on": "2026-01-05"}
    ok(httpx.post(f"{base}/v1/referrals/{rid}/consent", json=consent, headers=who["association"]))
    decided_elsewhere = httpx.post(decision_url, json={**decision, "decided_by": "P"}, headers=who["parquet-paris"])
    refused(decided_elsewhere, "referral_not_found")
    measure = ok(httpx.post(decision_url, json={**decision, "decided_by": PARQUET}, headers=who["parquet"]))
    assert measure["status"] == "active"
    return rid, measure["attribution_id"]


def test_referral_to_forces_informed_over_http_and_the_broker(processes, vhost_uri, captured_events, who):
    capture = captured_events("evaluation", "device", "notify")
    police_unit = PartnerInbox(vhost_uri, "police.03.csp-fictive-a.*")
    ddsp = PartnerInbox(vhost_uri, "police.03.ddsp-03.*")
    gendarmerie = PartnerInbox(vhost_uri, "gendarmerie.03.#")
    base = start_system(processes, vhost_uri, {}, who)
    try:
        refused(httpx.post(f"{base}/v1/devices", json=DEVICE, headers=who["operator-paris"]), "forbidden")
        ok(httpx.post(f"{base}/v1/devices", json=DEVICE, headers=who["operator"]), 201)
        _, attribution_id = granted_attribution(base, "e2e-cycle-0001", who)
        capture.wait_for("attribution_decided")

        fiche_url = f"{base}/v1/attributions/{attribution_id}/fiche-navette"
        refused(httpx.post(fiche_url, json=FICHE, headers=who["parquet-paris"]), "attribution_not_found")
        assignment = ok(httpx.post(fiche_url, json=FICHE, headers=who["parquet"]))
        # provisioned at once, or as soon as the device service has the decision event
        assert assignment["status"] in ("provisioned", "awaiting_decision")
        (provisioned,) = capture.wait_for("device_provisioned")
        assert Envelope.consume(provisioned.body).data["home_insee_code"] == "03901"

        (police_notice,) = police_unit.wait_for(lambda m: True)
        (gendarmerie_notice,) = gendarmerie.wait_for(lambda m: True)
        ddsp.wait_for(lambda m: True)  # the directorate of the unit's force is informed too
        assert police_notice.routing_key == "police.03.csp-fictive-a.notice"
        assert gendarmerie_notice.routing_key == "gendarmerie.03.ggd-03.notice"
        told = Envelope.consume(gendarmerie_notice.body).data
        assert told["sip_registration_requested"] is True
        assert told["beneficiary"]["identity"]["surname"] == "EXEMPLE-CYCLE"  # what SIP needs
        assert "email" not in told["beneficiary"]  # never in a notice
        police_unit.drain(0.5)
        assert [m.routing_key for m in police_unit.messages] == ["police.03.csp-fictive-a.notice"]

        police_notice_id = Envelope.consume(police_notice.body).data["notice_id"]
        police_ack_url = f"{base}/v1/notices/{police_notice_id}/acknowledgement"
        # only the unit the notice was addressed to: not another unit, not the directorate, not another force
        for partner, claimed, code in (
            ("other-police-unit", "csp-fictive-b", "notice_not_found"),
            ("gendarmerie-group", "ggd-03", "notice_not_found"),
            ("police-paris", "csp-fictive-a", "notice_not_found"),
            ("police-directorate", "csp-fictive-a", "forbidden"),
            ("other-police-unit", "csp-fictive-a", "forbidden"),  # claiming a unit it is not
        ):
            refused(httpx.post(police_ack_url, json={**ACK, "unit_code": claimed}, headers=who[partner]), code)
        for inbox, unit, sip, partner in (
            (police_unit, "csp-fictive-a", None, "police-unit"),
            (ddsp, "ddsp-03", None, "police-ddsp"),
            (gendarmerie, "ggd-03", True, "gendarmerie-group"),
        ):
            notice_id = Envelope.consume(inbox.messages[0].body).data["notice_id"]
            ack = {**ACK, "unit_code": unit, "sip_registered": sip}
            ok(httpx.post(f"{base}/v1/notices/{notice_id}/acknowledgement", json=ack, headers=who[partner]))

        (informed,) = capture.wait_for("forces_informed")
        data = Envelope.consume(informed.body).data
        assert data["attribution_id"] == attribution_id
        assert data["competent"]["unit_code"] == "csp-fictive-a"
        assert [u["unit_code"] for u in data["also_informed"]] == ["ddsp-03", "ggd-03"]
        notices_url = f"{base}/v1/attributions/{attribution_id}/notices"
        assert ok(httpx.get(notices_url, headers=who["parquet"]))["status"] == "informed"
        refused(httpx.get(notices_url, headers=who["parquet-paris"]), "attribution_not_found")

        events = json.dumps([m.body for m in capture.messages])
        assert "EXEMPLE-CYCLE" not in events  # events carry ids, never identity (only the forces' notices do)
        logs = "".join(processes.log(name) for name in (*SERVICES, "gateway"))
        assert "EXEMPLE-CYCLE" not in logs
    finally:
        police_unit.close()
        ddsp.close()
        gendarmerie.close()


def test_renewal_then_withdrawal_then_device_return(processes, vhost_uri, captured_events, who):
    capture = captured_events("evaluation", "device")
    short = {
        "ATTRIBUTION_PERIOD": "PT60S",
        "EXPIRY_REMINDER_LEAD": "PT59S",
        "TEST_CALL_INTERVAL": "PT2S",
        "TEST_CALL_REMINDER_LEAD": "PT1S",
        "WIPE_DELAY": "PT1S",
        "DEADLINE_CHECK_INTERVAL": "0.3",
    }
    base = start_system(processes, vhost_uri, short, who)
    partners = PartnerInbox(vhost_uri, "#")  # any partner: notify publishes with mandatory delivery
    try:
        operator, parquet = who["operator"], who["parquet"]
        device = ok(httpx.post(f"{base}/v1/devices", json=DEVICE, headers=operator), 201)
        rid, attribution_id = granted_attribution(base, "e2e-cycle-0002", who)
        ok(httpx.post(f"{base}/v1/attributions/{attribution_id}/fiche-navette", json=FICHE, headers=parquet))
        capture.wait_for("device_provisioned")

        test_calls = f"{base}/v1/devices/{device['device_id']}/test-calls"
        call = {"direction": "operator_to_beneficiary", "succeeded": True}
        refused(httpx.post(test_calls, json=call, headers=who["operator-paris"]), "device_not_found")
        ok(httpx.post(test_calls, json=call, headers=operator))
        call = {"direction": "beneficiary_to_operator", "succeeded": True}
        view = ok(httpx.post(test_calls, json=call, headers=operator))
        assert view["status"] == "active"
        capture.wait_for("device_activated")
        capture.wait_for("test_call_due")
        capture.wait_for("test_call_overdue")  # 2 s without a test call: the association is told
        partners.wait_for(  # and it reaches the association on its own key
            lambda m: (
                m.routing_key == "association.tj-moulins.any.reminder"
                and Envelope.consume(m.body).data["kind"] == "test_call_overdue"
            )
        )
        capture.wait_for("attribution_expiring")  # the reminder before the end of the period

        renewal = {"renewed": True, "reasons": "Danger persistant.", "decided_by": PARQUET}
        renewal_url = f"{base}/v1/attributions/{attribution_id}/renewal"
        early = httpx.post(renewal_url, json=renewal, headers=parquet)
        assert early.json()["error"] == "invalid_state"  # no re-evaluation yet
        ok(httpx.post(f"{base}/v1/referrals/{rid}/evaluation-report", json=REPORT, headers=who["association"]))
        refused(httpx.post(renewal_url, json=renewal, headers=who["parquet-paris"]), "attribution_not_found")
        renewed = ok(httpx.post(renewal_url, json=renewal, headers=parquet))
        assert renewed["renewals"] == 1
        over_cap = httpx.post(renewal_url, json=renewal, headers=parquet)
        assert over_cap.status_code == 409

        withdrawal = {"reason": "author_incarcerated", "decided_by": PARQUET}
        withdrawal_url = f"{base}/v1/attributions/{attribution_id}/withdrawal"
        refused(httpx.post(withdrawal_url, json=withdrawal, headers=who["parquet-paris"]), "attribution_not_found")
        assert ok(httpx.get(f"{base}/v1/attributions/{attribution_id}", headers=parquet))["status"] == "active"
        measure = ok(httpx.post(withdrawal_url, json=withdrawal, headers=parquet))
        assert (measure["status"], measure["withdrawal_reason"]) == ("withdrawn", "author_incarcerated")
        (withdrawn,) = capture.wait_for("attribution_withdrawn")
        assert Envelope.consume(withdrawn.body).data["reason"] == "author_incarcerated"

        (returned,) = capture.wait_for("device_returned")
        assert Envelope.consume(returned.body).data["device_id"] == device["device_id"]
        device_url = f"{base}/v1/attributions/{attribution_id}/device"
        wiped = wait_until(lambda: ok(httpx.get(device_url, headers=who["association"]))["wiped"], 10, "the data wipe")
        assert wiped is True
        refused(httpx.get(device_url, headers=who["association-paris"]), "attribution_not_found")
        stock = ok(httpx.get(f"{base}/v1/devices", params={"jurisdiction": "tj-moulins"}, headers=operator))
        assert stock["in_stock"] == 1
        after = httpx.post(test_calls, json=call, headers=operator)
        assert after.json()["error"] == "device_inactive"
        capture.drain(1.0)
        assert len([m for m in capture.messages if m.routing_key == "device_returned"]) == 1
        assert not [m for m in capture.messages if m.routing_key == "attribution_expired"]
    finally:
        partners.close()
