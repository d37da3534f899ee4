"""End to end with the real processes: the alert service, the gateway, a stand-in
device service and the reference partner consumers (police, association, gendarmerie),
on the real broker, traced to OTLP-JSON files."""

import base64

import httpx
import pytest

from tgd_servicekit.spans import read_spans
from tgd_servicekit.testing.bus import queue_depth
from tgd_servicekit.testing.processes import wait_until
from tgd_testkit.tokens import auth_headers

from .alert_system import (
    ASSOCIATION,
    BACKUP,
    CENTRE,
    GENDARMERIE,
    PLATFORM,
    POLICE,
    attribute_device,
    messages,
    prepare,
    start_alert_system,
    start_fake_device,
    start_partner,
    trigger,
)

pytestmark = pytest.mark.e2e
DISPATCH = "fr.tgd.partner_dispatch"
CLOSURE = "fr.tgd.partner_closure"


@pytest.fixture
def traces(tmp_path):
    path = tmp_path / "traces"
    path.mkdir()
    return path


def get_alert(base, alert_id):
    return httpx.get(f"{base}/v1/alerts/{alert_id}", headers=PLATFORM).json()


def test_danger_is_dispatched_to_the_centre_where_she_is_police_and_association_acknowledged_closed_in_one_trace(
    processes, vhost_uri, partner_url, traces, tmp_path
):
    police_file, association_file = tmp_path / "police.jsonl", tmp_path / "association.jsonl"
    centre_file = tmp_path / "centre.jsonl"
    prepare(processes, vhost_uri, traces)
    start_fake_device(processes)
    start_partner(processes, partner_url, CENTRE, centre_file, name="centre")
    start_partner(processes, partner_url, POLICE, police_file)
    start_partner(processes, partner_url, ASSOCIATION, association_file)
    base = start_alert_system(processes, ALERT_FAILSAFE_DELAY_S="120")
    attribute_device(vhost_uri, base, expect_dossier=True)

    response = trigger(base, "press-e2e-0001")
    assert response.status_code == 202, response.text
    alert_id = response.json()["alert_id"]
    assert response.json()["flags"] == []
    alert = get_alert(base, alert_id)
    assert alert["state"] == "raised"
    assert alert["dossier"]["beneficiary"]["identity"]["surname"] == "EXEMPLE"  # shown at once
    assert trigger(base, "press-e2e-0001").json()["duplicate"] is True

    with httpx.stream(
        "GET", f"{base}/v1/alerts/stream", params={"interval": 0.2}, timeout=10, headers=PLATFORM
    ) as stream:
        first = next(line for line in stream.iter_lines() if line.startswith("data: "))
    assert alert_id in first  # the operator screen lists it

    operator = {"operator": "op-e2e"}
    assert httpx.post(f"{base}/v1/alerts/{alert_id}/take", json=operator, headers=PLATFORM).status_code == 200
    answer = {**operator, "question_id": "author-present", "answer": "yes", "note": "Propos fictifs."}
    assert (
        httpx.post(f"{base}/v1/alerts/{alert_id}/answers", json=answer, headers=PLATFORM).json()["suggested_outcome"]
        == "danger"
    )
    dispatched = httpx.post(f"{base}/v1/alerts/{alert_id}/dispatch", json=operator, headers=PLATFORM)
    assert dispatched.status_code == 200, dispatched.text
    assert dispatched.json()["state"] == "dispatched"

    (centre_msg,) = wait_until(lambda: messages(centre_file, alert_id, DISPATCH), 15, "the centre's dispatch")
    assert centre_msg["routing_key"] == "command.03.cic-03.dispatch"  # she is in Montluçon: the CIC of 03
    assert centre_msg["event"]["data"]["position"]["lat"] == 46.3401
    assert centre_msg["event"]["data"]["located"]["insee_code"] == "03185"
    (police_msg,) = wait_until(lambda: messages(police_file, alert_id, DISPATCH), 15, "the police dispatch")
    (assoc_msg,) = wait_until(lambda: messages(association_file, alert_id, DISPATCH), 15, "the association dispatch")
    assert police_msg["routing_key"] == "police.03.csp-montlucon.dispatch"
    assert assoc_msg["routing_key"] == "association.tj-montlucon.any.dispatch"
    data = police_msg["event"]["data"]
    assert data["position"]["lat"] == 46.3401
    assert data["dossier"]["author"]["no_contact_order"]["basis"] == "protection_order"

    def all_acknowledged():
        deliveries = get_alert(base, alert_id)["deliveries"]
        return deliveries if len(deliveries) == 3 and all(d["acknowledged_at"] for d in deliveries) else None

    wait_until(all_acknowledged, 15, "the three acknowledgements back at the platform")
    report = {"recipient": POLICE, "result": "author_arrested", "note": "Compte rendu fictif."}
    police_unit = auth_headers("police", "tj-montlucon", unit=POLICE["unit"])  # the force reports as itself
    refused = httpx.post(f"{base}/v1/alerts/{alert_id}/outcome", json=report, headers=PLATFORM)
    assert refused.status_code == 403  # the platform cannot report in the force's name
    closed = httpx.post(f"{base}/v1/alerts/{alert_id}/outcome", json=report, headers=police_unit).json()
    assert closed == {"alert_id": alert_id, "state": "closed"}  # a receipt, not the alert record
    assert get_alert(base, alert_id)["result"] == "author_arrested"
    wait_until(lambda: messages(police_file, alert_id, CLOSURE), 15, "the closure at the police")
    assert httpx.get(f"{base}/v1/alerts", headers=PLATFORM).json()["items"] == []

    def alert_trace():
        spans = read_spans(traces)
        of_alert = [s for s in spans if s.attributes.get("tgd.alert_id") == alert_id]
        trace_ids = {s.trace_id for s in of_alert}
        if len(trace_ids) != 1:
            return None
        in_trace = [s for s in spans if s.trace_id in trace_ids]
        services = {s.service for s in in_trace}
        wanted = {"tgd-gateway", "tgd-alert", "tgd-partner-police-03-csp-montlucon"}
        wanted.add("tgd-partner-association-tj-montlucon-any")
        names = {s.name for s in of_alert}
        steps = {"alert.raised", "alert.qualify", "publish partner_dispatch", "alert.acknowledge", "alert.outcome"}
        return (of_alert, in_trace) if services >= wanted and steps <= names else None

    of_alert, in_trace = wait_until(alert_trace, 20, "one trace through four processes")
    assert "tgd-device" not in {s.service for s in in_trace}  # no dossier fetch on the alert path: the copy held
    assert {s.service for s in of_alert} >= {"tgd-alert", "tgd-partner-police-03-csp-montlucon"}
    publish = next(s for s in of_alert if s.name == "publish partner_dispatch")
    assert publish.attributes["messaging.system"] == "rabbitmq"
    assert publish.attributes["messaging.destination.name"] == "tgd.partners"
    assert publish.attributes["messaging.rabbitmq.destination.routing_key"].endswith(".dispatch")
    assert any(s.name.startswith("POST /v1/device-alerts") for s in in_trace)  # the gateway's request is the root

    logs = "".join(processes.log(n) for n in ("alert", "gateway", "device", "police", "association", "centre"))
    exported = "".join(p.read_text() for p in traces.glob("*.jsonl"))
    for personal in ("EXEMPLE", "AUTEUR-FICTIF", "Rue Fictive", "Propos fictifs", "46.3401"):
        assert personal not in logs + exported
        assert base64.b64encode(personal.encode()).decode() not in logs + exported


def test_failsafe_dispatches_to_the_centre_then_its_backup_never_to_the_other_force(
    processes, vhost_uri, partner_url, traces, tmp_path
):
    backup_file = tmp_path / "backup.jsonl"
    prepare(processes, vhost_uri, traces)
    start_partner(processes, partner_url, BACKUP, backup_file, name="backup")
    base = start_alert_system(
        processes,
        ALERT_FAILSAFE_DELAY_S="1",
        ALERT_ACK_DELAY_S="1",
        ALERT_REPEATS="1",
        ALERT_TICK_S="0.2",
        ALERT_DOSSIER_TIMEOUT_S="0.5",
    )
    attribute_device(vhost_uri, base, expect_dossier=False)  # no device service: no dossier, the alert goes on

    alert_id = trigger(base, "press-e2e-0002").json()["alert_id"]
    escalation = wait_until(lambda: messages(backup_file, alert_id, DISPATCH), 20, "the escalation to the backup")[0]
    assert escalation["routing_key"] == "command.03.cic-63.escalation"
    data = escalation["event"]["data"]
    assert data["automatic"] is True
    assert data["dossier"] is None
    # her consent is not known without the dossier: no position is kept or sent; her home routes
    assert (data["position"], data["position_status"]) == (None, "consent_unknown")
    assert data["located"]["basis"] == "home"

    def backup_acknowledged():
        alert = get_alert(base, alert_id)
        steps = [d for d in alert["deliveries"] if d["recipient"] == BACKUP]
        return alert if steps and steps[0]["acknowledged_at"] else None

    alert = wait_until(backup_acknowledged, 15, "the backup centre's acknowledgement")
    assert alert["automatic"] is True
    assert alert["state"] == "dispatched"
    assert alert["positions"] == []
    assert any(e["kind"] == "failsafe" for e in alert["journal"])
    centre = next(d for d in alert["deliveries"] if d["recipient"] == CENTRE)
    assert centre["attempts"] == 2  # the ladder of 03: the centre, the centre again, then its backup
    assert (centre["acknowledged_at"], centre["phone"]) == (None, "01 99 00 03 17")
    assert queue_depth(vhost_uri, "partner.command.03.cic-03") == 2  # held for the centre, never lost

    import time

    time.sleep(2.5)  # more than two acknowledgement delays: the ladder stopped at the backup
    alert = get_alert(base, alert_id)
    assert [d["recipient"]["audience"] for d in alert["deliveries"]] == ["command", "police", "association", "command"]
    assert GENDARMERIE not in [d["recipient"] for d in alert["deliveries"]]
