"""The /metrics endpoint of a service process: scraped over HTTP and parsed."""

import urllib.request
from datetime import UTC, datetime, timedelta

import pytest
from prometheus_client.parser import text_string_to_metric_families

from tgd_servicekit import metrics
from tgd_servicekit.testing.processes import free_port


def scrape(port: int) -> dict[str, list]:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as response:
        text = response.read().decode()
    return {family.name: family.samples for family in text_string_to_metric_families(text)}


class FakeOutbox:
    def __init__(self, pending: int):
        self.pending = pending

    def pending_events(self, limit):
        return iter([("owner", {})] * min(self.pending, limit))


def test_step_delays_outbox_backlog_and_process_metrics_are_served():
    press = datetime(2026, 6, 1, 22, 0, tzinfo=UTC)
    metrics.observe_new_steps({}, {"press": press, "on_list": press + timedelta(milliseconds=30)})
    metrics.observe_new_steps(  # only the step reached by this change is observed again
        {"press": press, "on_list": press}, {"press": press, "on_list": press, "taken": press + timedelta(seconds=4)}
    )
    metrics.track_outbox(FakeOutbox(3))
    port = free_port()
    server = metrics.serve_metrics(port, "127.0.0.1")
    try:
        families = scrape(port)
    finally:
        server.shutdown()
    steps = {(s.labels.get("step"), s.labels.get("le")): s.value for s in families["tgd_alert_step_seconds"]}
    assert steps[("on_list", "0.05")] >= 1
    assert steps[("taken", "2.5")] == 0
    assert steps[("taken", "5.0")] >= 1
    assert {s.labels["store"]: s.value for s in families["tgd_outbox_backlog"]} == {"FakeOutbox": 3.0}
    assert "process_cpu_seconds" in families


def test_a_gauge_whose_source_fails_is_left_out_not_the_scrape():
    def broken():
        raise ConnectionError("store away")

    metrics.GAUGES.add("tgd_test_broken", "always fails", "x", broken)
    try:
        assert "tgd_test_broken" not in {f.name for f in metrics.GAUGES.collect()}
    finally:
        metrics.GAUGES.sources.pop("tgd_test_broken")


def test_the_port_comes_from_the_environment_and_bad_values_are_refused():
    assert metrics.metrics_port_from_env({}) is None
    assert metrics.metrics_port_from_env({"TGD_METRICS_PORT": "9464"}) == 9464
    for bad in ("x", "70000"):
        with pytest.raises(ValueError, match="TGD_METRICS_PORT"):
            metrics.metrics_port_from_env({"TGD_METRICS_PORT": bad})
