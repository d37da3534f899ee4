"""Issue 17, item 5 (limits): nesting, types, event streams, slow clients, console login
throttling. Each test fails on the code before the fix."""

from __future__ import annotations

import asyncio
import json

from fastapi.testclient import TestClient

from gateway.auth.operators import OperatorStore
from tgd_testkit.tokens import auth_headers

ALERT_ID = "fedcba9876543210fedcba9876543210"


def test_a_30000_deep_array_is_refused_with_400_before_any_parse(gateway):
    _, client = gateway()
    body = "[" * 30_000 + "]" * 30_000
    headers = {**auth_headers("association", "tj-moulins"), "content-type": "application/json", "Idempotency-Key": "k1"}
    response = client.post("/v1/referrals", content=body, headers=headers)
    assert response.status_code == 400
    assert response.json()["error"] == "malformed_json"
    strings = json.dumps({"jurisdiction": "tj-moulins", "facts": "[" * 30_000})  # brackets inside a string are text
    assert client.post("/v1/referrals", content=strings, headers=headers).status_code == 422


def test_an_object_where_a_recipient_string_is_expected_gets_422_not_500(gateway):
    _, client = gateway()
    police = auth_headers("police", "tj-moulins", unit="csp-fictive-a")
    for recipient in (
        {"audience": {"a": 1}, "territory": "03", "unit": "csp-fictive-a"},
        {"audience": ["police"], "territory": "03", "unit": "csp-fictive-a"},
        {"audience": "police", "territory": {"x": 1}, "unit": "csp-fictive-a"},
    ):
        response = client.post(
            f"/v1/alerts/{ALERT_ID}/acknowledgements",
            json={"dispatch_id": "d-1", "recipient": recipient},
            headers=police,
        )
        assert response.status_code == 422, (recipient, response.text)


def test_event_streams_are_capped_per_client_and_overall(gateway):
    app, client = gateway(streams_per_client=2, streams_total=3)
    slots = app.state.streams
    assert slots.acquire("test-teleassistance")
    assert slots.acquire("test-teleassistance")
    platform = auth_headers("teleassistance", "*")
    third = client.get("/v1/alerts/stream", params={"max_events": 1, "interval": 0.2}, headers=platform)
    assert third.status_code == 429
    assert third.json()["error"] == "too_many_streams"
    other = auth_headers("teleassistance", "*", client_id="another-screen")
    assert client.get("/v1/alerts/stream", params={"max_events": 1, "interval": 0.2}, headers=other).status_code == 200
    assert slots.open_count() == 2  # the finished stream gave its slot back
    assert slots.acquire("third-screen")
    refused = client.get("/v1/alerts/stream", params={"max_events": 1, "interval": 0.2}, headers=other)
    assert refused.status_code == 429  # the process's total


def test_a_body_that_does_not_arrive_in_time_gets_408(gateway):
    app, _ = gateway(body_timeout_s=0.05)
    sent: list[dict] = []

    async def trickle():
        await asyncio.sleep(3600)  # a slow client: the first chunk never comes
        return {"type": "http.request", "body": b"{}", "more_body": False}

    async def send(message):
        sent.append(message)

    scope = {
        "type": "http", "method": "POST", "path": "/v1/referrals", "raw_path": b"/v1/referrals", "query_string": b"",
        "headers": [(b"content-type", b"application/json"), (b"content-length", b"2")],
        "client": ("127.0.0.1", 1), "server": ("testserver", 80), "scheme": "http", "http_version": "1.1",
        "root_path": "", "app": app,
    }  # fmt: skip
    asyncio.run(app(scope, trickle, send))
    assert sent[0]["status"] == 408


def test_console_login_is_throttled_per_login_and_address_without_locking_the_operator_out(
    tmp_path, people_console, console_login
):
    console, _ = people_console(login_failures_per_pair=3)
    _, password = OperatorStore.in_dir(tmp_path).register_operator("c.exemple", "Opératrice Fictive")
    with TestClient(console, raise_server_exceptions=False, client=("203.0.113.9", 5000)) as attacker:
        statuses = [console_login(attacker, "c.exemple", "wrong-guess").status_code for _ in range(4)]
        assert statuses == [401, 401, 401, 429]
        locked = console_login(attacker, "c.exemple", password)  # even the right password, from his address
        assert locked.status_code == 429
        assert int(locked.headers["retry-after"]) >= 1
    with TestClient(console, raise_server_exceptions=False, client=("198.51.100.7", 5000)) as operator:
        assert console_login(operator, "c.exemple", password).status_code == 303  # she still logs in


def test_an_address_spraying_many_logins_is_locked(tmp_path, people_console, console_login):
    console, _ = people_console(login_failures_per_address=4)
    with TestClient(console, raise_server_exceptions=False, client=("203.0.113.10", 5000)) as sprayer:
        statuses = [console_login(sprayer, f"c.exemple{n}", "guess").status_code for n in range(5)]
    assert statuses == [401, 401, 401, 401, 429]


def test_a_client_that_never_finishes_its_headers_is_disconnected(gateway):
    """Slowloris: uvicorn alone waits for headers forever; the gateway's protocol closes the
    connection (a complete request on another connection is served normally)."""
    import socket
    import threading

    import uvicorn

    from gateway.serving import uvicorn_options

    app, _ = gateway()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error", **uvicorn_options(0.3))
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        for _ in range(200):
            if server.started:
                break
            threading.Event().wait(0.05)
        with socket.create_connection(("127.0.0.1", port)) as slow:
            slow.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n")  # never the blank line
            slow.settimeout(30)
            assert slow.recv(1024) == b""  # closed by the server, no answer
        with socket.create_connection(("127.0.0.1", port)) as normal:
            normal.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            normal.settimeout(30)
            assert normal.recv(1024).startswith(b"HTTP/1.1 ")
    finally:
        server.should_exit = True
        thread.join(10)
