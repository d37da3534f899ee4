"""End to end with the real processes: the referral service and the gateway, started
as they are in production (tgd-service, python -m gateway), on the real broker."""

import base64
import json

import httpx
import pytest

from tgd_contracts.envelope import TRACEPARENT_RE, Envelope
from tgd_servicekit.spans import read_spans
from tgd_servicekit.testing.processes import free_port, wait_until

pytestmark = pytest.mark.e2e

BODY = {
    "referrer": {"kind": "psychologist", "organisation": "Cabinet Fictif"},
    "victim": {"surname": "EXEMPLE-E2E", "first_names": ["Fictive"], "birth_date": "1979-09-09", "sex": "F"},
    "facts": "Faits entièrement fictifs pour le test de bout en bout.",
    "urgency": "urgent",
    "jurisdiction": "tj-moulins",
}


@pytest.fixture
def system(processes, vhost_uri, tmp_path, auth_headers):
    traces = tmp_path / "traces"
    traces.mkdir()
    env = {
        "AMQP_URI": vhost_uri,
        "OTEL_TRACES_EXPORTER": "otlp_json_file",
        "TGD_TRACES_FILE": str(traces / "{service}.jsonl"),
        "OTEL_BSP_SCHEDULE_DELAY": "200",
    }
    processes.env.update(env)
    port = free_port()
    processes.start_service("referral")
    processes.start_gateway(port)
    base = f"http://127.0.0.1:{port}"
    wait_until(lambda: httpx.get(f"{base}/health").json()["status"] == "ok", 30, "the gateway's health")
    # the service is ready once it answers (a 404 proves it is consuming)
    association = auth_headers("association", "tj-moulins")
    wait_until(
        lambda: httpx.get(f"{base}/v1/referrals/{'0' * 32}", headers=association).status_code == 404,
        30,
        "the referral service",
    )
    return base, traces, processes


def test_a_referral_posted_over_http_is_stored_read_back_and_announced_on_the_bus(
    system, captured_events, auth_headers
):
    base, traces, processes = system
    capture = captured_events("referral")
    association = auth_headers("association", "tj-moulins")

    created = httpx.post(
        f"{base}/v1/referrals", json=BODY, headers={"Idempotency-Key": "e2e-referral-0001", **association}
    )
    assert created.status_code == 201, created.text
    referral = created.json()
    assert referral["victim"]["surname"] == "EXEMPLE-E2E"

    replay = httpx.post(
        f"{base}/v1/referrals", json=BODY, headers={"Idempotency-Key": "e2e-referral-0001", **association}
    )
    assert replay.status_code == 200
    assert replay.json()["id"] == referral["id"]

    read = httpx.get(f"{base}/v1/referrals/{referral['id']}", headers=association)
    assert read.status_code == 200
    assert read.json() == referral

    urgent = httpx.get(
        f"{base}/v1/referrals", params={"jurisdiction": "tj-moulins", "urgent": "true"}, headers=association
    ).json()
    assert [item["id"] for item in urgent["items"]] == [referral["id"]]

    (message,) = capture.wait_for("referral_received", timeout=15)
    capture.drain(1.0)
    assert len([m for m in capture.messages if m.routing_key == "referral_received"]) == 1  # the replay emitted nothing
    envelope = Envelope.consume(message.body)
    assert envelope.subject == referral["id"]
    assert TRACEPARENT_RE.match(envelope.traceparent)
    assert TRACEPARENT_RE.match(message.headers["traceparent"])
    trace_id = envelope.traceparent.split("-")[1]

    def spans_of_trace():
        spans = [s for s in read_spans(traces) if s.trace_id == trace_id]
        return spans if {s.service for s in spans} >= {"tgd-gateway", "tgd-referral"} else None

    spans = wait_until(spans_of_trace, 15, "the gateway's and the service's spans in one trace")
    publish = [s for s in spans if s.name == "publish referral_received"]
    assert publish
    assert publish[0].attributes["messaging.system"] == "rabbitmq"
    assert publish[0].attributes["messaging.rabbitmq.destination.routing_key"] == "referral_received"

    logs_and_spans = (
        processes.log("referral") + processes.log("gateway") + "".join(p.read_text() for p in traces.glob("*.jsonl"))
    )
    for personal in ("EXEMPLE-E2E", "1979-09-09", "Faits entièrement fictifs"):
        assert personal not in logs_and_spans
        assert base64.b64encode(personal.encode()).decode() not in logs_and_spans


@pytest.mark.parametrize(
    ("content", "headers", "status", "code"),
    [
        (b"{oops", {"content-type": "application/json"}, 400, "malformed_json"),
        (json.dumps({**BODY, "urgency": True}).encode(), {"content-type": "application/json"}, 422, "invalid_request"),
        (
            json.dumps({**BODY, "jurisdiction": "tj-atlantis"}).encode(),
            {"content-type": "application/json"},
            422,
            "unknown_jurisdiction",
        ),
        (b"{" + b" " * 70_000 + b"}", {"content-type": "application/json"}, 413, "payload_too_large"),
    ],
)
def test_bad_input_through_the_running_system_gets_a_clear_error(system, content, headers, status, code, auth_headers):
    base, _, processes = system
    association = auth_headers("association", "tj-moulins")
    response = httpx.post(
        f"{base}/v1/referrals", content=content, headers={**headers, "Idempotency-Key": "e2e-bad-0001", **association}
    )
    assert response.status_code == status, response.text
    assert response.json()["error"] == code
    # and nothing crashed: the system still takes a valid referral
    ok = httpx.post(f"{base}/v1/referrals", json=BODY, headers={"Idempotency-Key": "e2e-after-bad-1", **association})
    assert ok.status_code == 201
    assert all(p.poll() is None for p in processes.procs.values())
