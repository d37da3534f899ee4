"""The gateway's /metrics: on its own port (127.0.0.1), never on the partners' API."""

import urllib.request

import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from gateway import metrics
from gateway.main import create_app
from gateway.settings import Settings
from tgd_servicekit.testing.processes import free_port
from tgd_testkit.tokens import auth_headers

from .fakes import FakeRpc

ALERT_ID = "0123456789abcdef0123456789abcdef"


def test_requests_are_counted_by_route_template_and_scraped_on_the_metrics_port(tmp_path):
    app = create_app(Settings(data_dir=tmp_path), rpc=FakeRpc(lambda s, m, **kw: {"items": []}))
    app.add_middleware(metrics.MetricsMiddleware)
    client = TestClient(app, raise_server_exceptions=False, headers=auth_headers("teleassistance", "*"))
    assert client.get("/v1/alerts").status_code == 200
    client.get(f"/v1/alerts/{ALERT_ID}")
    port = free_port()
    server = metrics.serve(port, "127.0.0.1")
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as response:
            text = response.read().decode()
    finally:
        server.shutdown()
    families = {f.name: f.samples for f in text_string_to_metric_families(text)}
    routes = {s.labels["route"] for s in families["tgd_gateway_requests"]}
    assert "/v1/alerts" in routes
    assert "/v1/alerts/{alert_id}" in routes  # the template: no id in a label
    assert all(ALERT_ID not in r for r in routes)
    assert any(s.name == "tgd_gateway_request_seconds_count" for s in families["tgd_gateway_request_seconds"])


def test_the_partners_api_has_no_metrics_route(tmp_path):
    client = TestClient(create_app(Settings(data_dir=tmp_path), rpc=FakeRpc(lambda s, m, **kw: {})))
    assert client.get("/metrics").status_code in (401, 404)


def test_the_port_is_checked():
    assert metrics.metrics_port({}) is None
    assert metrics.metrics_port({"TGD_GATEWAY_METRICS_PORT": "9465"}) == 9465
    with pytest.raises(ValueError, match="TGD_GATEWAY_METRICS_PORT"):
        metrics.metrics_port({"TGD_GATEWAY_METRICS_PORT": "abc"})
