"""End to end with every service (referral, evaluation, device, notify, alert) and the
gateway on the real broker: a measure is decided, its device handed over and an alert
raised; the competent parquet exports the measure's evidence (every service's part and
the alert), the person's right-of-access archive, and the administrator reads who
accessed her data. A parquet of another jurisdiction learns nothing."""

from __future__ import annotations

import json

import httpx
import pytest

from tgd_contracts import evidence as ev
from tgd_servicekit import evidence_signing as sig
from tgd_servicekit.evidence_keys import development_signing_key
from tgd_servicekit.testing.partners import PartnerInbox
from tgd_servicekit.testing.processes import free_port, wait_until

from .lifecycle_bodies import ACK, PARQUET, REPORT, device, fiche, referral

pytestmark = pytest.mark.e2e
ZERO = "0" * 32
SURNAME = "EXEMPLE-PREUVE"
REFERRAL = referral(SURNAME, "Faits entièrement fictifs pour l'export de preuve.")
FICHE = fiche(SURNAME)
DEVICE = device(2, imei="490154203237526")


def ok(response, status=200):
    assert response.status_code == status, response.text
    return response.json()


def start(processes, vhost_uri, who):
    processes.env.update({"AMQP_URI": vhost_uri, "OUTBOX_RELAY_INTERVAL": "0.5", "ALERT_FAILSAFE_DELAY_S": "120"})
    for service in ("referral", "evaluation", "device", "notify", "alert"):
        processes.start_service(service)
    port = free_port()
    processes.start_gateway(port)
    base = f"http://127.0.0.1:{port}"
    wait_until(lambda: httpx.get(f"{base}/health").json()["status"] == "ok", 30, "the gateway's health")
    probes = (
        (f"/v1/referrals/{ZERO}", "association", 404),
        (f"/v1/referrals/{ZERO}/measure", "parquet", 404),
        ("/v1/devices?jurisdiction=tj-moulins", "operator", 200),
        (f"/v1/attributions/{ZERO}/notices", "parquet", 404),
        ("/v1/alerts", "operator", 200),
    )
    for path, partner, status in probes:
        wait_until(lambda p=path, h=who[partner], s=status: httpx.get(base + p, headers=h).status_code == s, 30, path)
    return base


def active_measure_with_an_alert(base, who):
    """Referral -> decision -> fiche -> notices acknowledged -> hand-over test calls -> an alert."""
    operator, parquet, association = who["operator"], who["parquet"], who["association"]
    device_id = ok(httpx.post(f"{base}/v1/devices", json=DEVICE, headers=operator), 201)["device_id"]
    headers = {"Idempotency-Key": "e2e-evidence-0001", **association}
    rid = ok(httpx.post(f"{base}/v1/referrals", json=REFERRAL, headers=headers), 201)["id"]
    requisition = f"{base}/v1/referrals/{rid}/requisition"
    wait_until(
        lambda: httpx.post(requisition, json={"requested_by": PARQUET}, headers=parquet).status_code == 200,
        15,
        "the requisition",
    )
    ok(httpx.post(f"{base}/v1/referrals/{rid}/evaluation-report", json=REPORT, headers=association))
    consent = {"given": True, "collected_by": "Association fictive", "collected_on": "2026-01-05"}
    ok(httpx.post(f"{base}/v1/referrals/{rid}/consent", json=consent, headers=association))
    decision = {"granted": True, "reasons": "Danger grave.", "author_incarcerated": False, "decided_by": PARQUET}
    attribution_id = ok(httpx.post(f"{base}/v1/referrals/{rid}/decision", json=decision, headers=parquet))[
        "attribution_id"
    ]
    ok(httpx.post(f"{base}/v1/attributions/{attribution_id}/fiche-navette", json=FICHE, headers=parquet))
    notices_url = f"{base}/v1/attributions/{attribution_id}/notices"
    notices = wait_until(
        lambda: httpx.get(notices_url, headers=parquet).json().get("notices"), 20, "the notices to the forces"
    )
    for notice in notices:
        unit = notice["unit_code"]
        force = who[f"{notice['audience']}:{unit}"]  # each unit acknowledges its own
        ack = {**ACK, "unit_code": unit}
        ok(httpx.post(f"{base}/v1/notices/{notice['notice_id']}/acknowledgement", json=ack, headers=force))
    test_calls = f"{base}/v1/devices/{device_id}/test-calls"
    wait_until(
        lambda: (
            httpx.post(
                test_calls, json={"direction": "operator_to_beneficiary", "succeeded": True}, headers=operator
            ).status_code
            == 200
        ),
        20,
        "the device provisioned",
    )
    ok(httpx.post(test_calls, json={"direction": "beneficiary_to_operator", "succeeded": True}, headers=operator))

    def ready():
        facts = httpx.get(f"{base}/v1/device-alerts/devices/{device_id}", headers=operator).json()
        return facts["active"] and facts["competent"] and facts["has_dossier"]

    wait_until(ready, 30, "the device ready in the alert service")
    press = {"device_id": device_id, "press_id": "press-evidence-m1", "triggered_at": "2026-06-01T22:00:00Z"}
    alert_id = ok(httpx.post(f"{base}/v1/device-alerts", json=press, headers=operator), 202)["alert_id"]
    return rid, attribution_id, device_id, alert_id


def test_the_measure_evidence_and_the_right_of_access_end_to_end(processes, vhost_uri, auth_headers):
    who = {
        "association": auth_headers("association", "tj-moulins", client_id="asso-moulins-fictive"),
        "parquet": auth_headers("prosecutor", "tj-moulins", client_id="parquet-moulins-fictif"),
        "operator": auth_headers("teleassistance", "*"),
        "police:csp-fictive-a": auth_headers("police", "tj-moulins", unit="csp-fictive-a"),
        "police:ddsp-03": auth_headers("police", "tj-moulins", unit="ddsp-03"),
        "gendarmerie:ggd-03": auth_headers("gendarmerie", "tj-moulins", unit="ggd-03"),
        "parquet-paris": auth_headers("prosecutor", "tj-paris"),
        "admin": auth_headers("admin", "*"),
    }
    partners = PartnerInbox(vhost_uri, "#")  # a listener: notices and dispatches are routable
    try:
        base = start(processes, vhost_uri, who)
        rid, attribution_id, device_id, alert_id = active_measure_with_an_alert(base, who)
        ok(httpx.get(f"{base}/v1/referrals/{rid}", headers=who["association"]))  # a read to find later

        trusted = {development_signing_key().key_id: development_signing_key().public_raw}
        data = ok(httpx.get(f"{base}/v1/evidence/measures/{rid}", headers=who["parquet"]))
        archive = sig.verify(data, trusted)
        assert set(archive.parts) == {"referral", "evaluation", "device", "notify", f"alert-{alert_id}"}
        related = archive.manifest.related_ids
        assert related["alert_ids"] == [alert_id]
        assert related["attribution_ids"] == [attribution_id]
        assert related["device_ids"] == [device_id]
        assert archive.parts["referral"].records["referral"]["victim"]["surname"] == SURNAME
        assert archive.parts["evaluation"].records["measure"]["decision"]["granted"] is True
        assert len(archive.parts["device"].records["assignment"]["test_calls"]) == 2
        notices = archive.parts["notify"].records["information"]["notices"]
        assert notices
        assert all(n["acknowledged_at"] for n in notices)
        assert "attribution_decided" in [e["type"].removeprefix("fr.tgd.") for e in archive.parts["evaluation"].events]
        assert archive.parts[f"alert-{alert_id}"].trace_ids  # the alert's trace

        assert httpx.get(f"{base}/v1/evidence/measures/{rid}", headers=who["parquet-paris"]).status_code == 404
        assert httpx.get(f"{base}/v1/subject-access/{rid}", headers=who["parquet-paris"]).status_code == 404
        assert httpx.get(f"{base}/v1/subject-access/{rid}/readers", headers=who["parquet-paris"]).status_code == 404

        access = sig.verify(ok(httpx.get(f"{base}/v1/subject-access/{rid}", headers=who["parquet"])), trusted)
        assert access.manifest.purpose is ev.Purpose.SUBJECT_ACCESS
        assert set(access.parts) == set(archive.parts)

        readers = ok(httpx.get(f"{base}/v1/subject-access/{rid}/readers", headers=who["admin"]))
        assert readers["chain_intact"] is True
        seen = {(r["client_id"], r["action"], r["object_id"]) for r in readers["items"]}
        assert ("asso-moulins-fictive", "GET /v1/referrals/{referral_id}", rid) in seen
        assert ("parquet-moulins-fictif", "POST /v1/referrals/{referral_id}/decision", rid) in seen
        assert ("parquet-moulins-fictif", "GET /v1/evidence/measures/{referral_id}", rid) in seen
        assert any(a == "POST /v1/devices/{device_id}/test-calls" and o == device_id for _, a, o in seen)
        assert any(a == "POST /v1/notices/{notice_id}/acknowledgement" for _, a, _ in seen)
        assert SURNAME not in json.dumps(readers)  # ids and codes only
    finally:
        partners.close()
