"""``tgd alert raise`` / ``tgd alert follow`` with CliRunner, against the gateway in-process
on fake services, and spans written as the ``otlp_json_file`` exporter writes them."""

import json

import pytest
from typer.testing import CliRunner

from tgd_cli import local
from tgd_cli.main import app

runner = CliRunner()
ALERT = "a" * 32


@pytest.fixture
def gateway(cli_gateway):
    options, fake, _data_dir = cli_gateway
    return options, fake


def test_raise_sends_a_press_with_its_position_as_the_national_platform(gateway):
    options, fake = gateway
    result = runner.invoke(app, ["alert", "raise", *options, "--device", "dev-0001", "--lat", "46.34",
                                 "--lon", "2.6", "--accuracy", "12"])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert f"alert {ALERT} (new; flags: none)" in result.output
    ((_, _, kwargs),) = [c for c in fake.calls if c[1] == "trigger_alert"]
    trigger = kwargs["trigger"]
    assert trigger["device_id"] == "dev-0001"
    assert trigger["press_id"].startswith("cli-")
    assert (trigger["position"]["lat"], trigger["position"]["lon"], trigger["position"]["accuracy_m"]) == (
        46.34, 2.6, 12.0
    )  # fmt: skip


def test_raise_refuses_an_impossible_position(gateway):
    options, fake = gateway
    result = runner.invoke(app, ["alert", "raise", *options, "--device", "d", "--lat", "123", "--lon", "2"])
    assert result.exit_code == 2
    assert fake.calls == []


def span(trace, span_id, name, parent="", start=0, end=1_000_000, **attributes):
    attrs = [{"key": k.replace("__", "."), "value": {"stringValue": v}} for k, v in attributes.items()]
    return {"traceId": trace, "spanId": span_id, "parentSpanId": parent, "name": name, "kind": 1,
            "startTimeUnixNano": str(start), "endTimeUnixNano": str(end), "attributes": attrs}  # fmt: skip


def write_spans(path, service, spans):
    resource = {"attributes": [{"key": "service.name", "value": {"stringValue": service}}]}
    path.write_text(json.dumps({"resourceSpans": [{"resource": resource, "scopeSpans": [{"spans": spans}]}]}) + "\n")


def test_follow_shows_the_timeline_and_the_trace_tree(gateway, tmp_path):
    options, _ = gateway
    traces = tmp_path / "traces"
    traces.mkdir()
    write_spans(traces / "gateway.jsonl", "tgd-gateway", [
        span("t1", "s1", "POST /v1/device-alerts", start=1_000_000, end=9_000_000),
        span("t2", "x1", "GET /health"),  # another trace: not shown
    ])  # fmt: skip
    write_spans(traces / "alert.jsonl", "tgd-alert", [
        span("t1", "s2", "alert.trigger_alert", parent="s1", start=2_000_000, end=8_000_000, tgd__alert_id=ALERT),
        span("t1", "s3", "tgd.partners publish", parent="s2", start=3_000_000, end=4_000_000,
             messaging__rabbitmq__destination__routing_key="police.03.csp-fictive-a.dispatch"),
    ])  # fmt: skip
    result = runner.invoke(app, ["alert", "follow", ALERT, *options, "--traces", str(traces)])
    assert result.exit_code == 0, result.output
    assert f"alert {ALERT} — dispatched" in result.output
    lines = result.output.splitlines()
    names = ("POST /v1/device-alerts", "alert.trigger_alert", "police.03.csp-fictive-a.dispatch")
    order = [next(i for i, line in enumerate(lines) if name in line) for name in names]
    assert order == sorted(order)
    indent = [len(lines[i]) - len(lines[i].lstrip(" │├└─")) for i in order]
    assert indent == sorted(indent)
    assert indent[0] < indent[1] < indent[2]  # nested: gateway -> alert service -> publish
    assert "GET /health" not in result.output
    assert "+1.0 ms, 6.0 ms" in result.output  # offset from the trace's start, duration


def test_follow_without_spans_says_how_to_get_them(gateway, tmp_path):
    options, _ = gateway
    result = runner.invoke(app, ["alert", "follow", ALERT, *options, "--traces", str(tmp_path / "none")])
    assert result.exit_code == 0, result.output
    assert "OTEL_TRACES_EXPORTER=otlp_json_file" in result.output


def test_tgd_up_exports_spans_to_var_traces_unless_told_otherwise():
    env = local.supervisor_env({"PATH": "/bin"})
    assert env["OTEL_TRACES_EXPORTER"] == "otlp_json_file"
    assert env["TGD_TRACES_FILE"] == str(local.TRACES_DIR / "{service}.jsonl")
    off = local.supervisor_env({"OTEL_TRACES_EXPORTER": "none"})
    assert off["OTEL_TRACES_EXPORTER"] == "none"
    assert "TGD_TRACES_FILE" not in off


def test_the_console_reaches_the_gateway_where_the_commands_do():
    env = local.supervisor_env({"TGD_GATEWAY_PORT": "18080", "TGD_CONSOLE_PORT": "18090"})
    assert env["TGD_GATEWAY_URL"] == "http://127.0.0.1:18080"
    assert env["TGD_GATEWAY_CONSOLE_URL"] == "http://127.0.0.1:18090"  # the old /console redirects there
    assert local.supervisor_env({"TGD_GATEWAY_URL": "http://gw:9000"})["TGD_GATEWAY_URL"] == "http://gw:9000"
    assert local.console_url({"TGD_CONSOLE_HOST": "0.0.0.0", "TGD_CONSOLE_PORT": "18090"}) == "http://127.0.0.1:18090"
