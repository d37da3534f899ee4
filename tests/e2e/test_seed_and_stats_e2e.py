"""End to end: ``tgd-dev seed`` against the real processes (every service and the gateway on
a throwaway vhost), through the gateway's routes with registered partner clients; then
``tgd stats`` gives the known answers of the seed plan, small counts suppressed."""

import json

import httpx
import pytest
from typer.testing import CliRunner

from tgd_cli import session
from tgd_cli.main import app
from tgd_cli.stats_cmd import flatten
from tgd_contracts.jurisdictions import JURISDICTIONS
from tgd_dev.main import app as dev_app
from tgd_dev.seed_plan import PLAN, expected_statistics, raw_tallies
from tgd_servicekit.testing.processes import free_port, wait_until

pytestmark = pytest.mark.e2e
SERVICES = ("referral", "evaluation", "device", "notify", "alert")
runner = CliRunner()


@pytest.fixture
def system(processes, vhost_uri):
    processes.env.update(
        {
            "AMQP_URI": vhost_uri,
            "OUTBOX_RELAY_INTERVAL": "0.5",
            # spans as `tgd up` exports them, for `tgd alert follow`
            "OTEL_TRACES_EXPORTER": "otlp_json_file",
            "TGD_TRACES_FILE": str(processes.log_dir / "traces" / "{service}.jsonl"),
            "OTEL_BSP_SCHEDULE_DELAY": "200",
        }
    )
    (processes.log_dir / "traces").mkdir()
    for service in SERVICES:
        processes.start_service(service)
    port = free_port()
    processes.start_gateway(port)
    base = f"http://127.0.0.1:{port}"
    wait_until(lambda: httpx.get(f"{base}/health").json()["status"] == "ok", 30, "the gateway's health")
    return base, processes.log_dir / "gateway-data"


def test_seed_then_stats_gives_the_known_answers(system, tmp_path):
    base, data_dir = system
    options = ["--gateway", base, "--data-dir", str(data_dir)]
    seeded = runner.invoke(dev_app, ["seed", *options])
    assert seeded.exit_code == 0, seeded.output
    again = runner.invoke(dev_app, ["seed", *options, "-j", "tj-nanterre"])  # same run label: adds nothing
    assert again.exit_code == 0, again.output
    assert "created: nothing" in again.output

    def answers():
        codes = [arg for p in PLAN for arg in ("-j", p.jurisdiction)]
        shown = runner.invoke(app, ["stats", *options, *codes, "--json"])
        assert shown.exit_code == 0, shown.output
        return json.loads(shown.output[shown.output.index("[") :])

    def settled():  # the services learn some facts from events: wait until they all agree
        got = answers()
        return got if all(_matches(p, a) for p, a in zip(PLAN, got, strict=True)) else None

    try:
        got = wait_until(settled, 30, "the statistics to match the seed plan")
    except Exception:
        got = answers()
    for plan, answer in zip(PLAN, got, strict=True):
        flat = flatten(answer)
        expected = expected_statistics(plan)
        assert {k: flat[k] for k in expected} == expected, plan.jurisdiction
        assert flat["alerts.trigger_to_taken.samples"] is None or flat["alerts.trigger_to_taken.samples"] >= 5
    assert "EXEMPLE" not in json.dumps(got)
    _the_parquet_sees_the_exact_tallies(base, data_dir)

    out = tmp_path / "stats.csv"
    plots = tmp_path / "plots"
    files = runner.invoke(app, ["stats", *options, "-j", "tj-montlucon", "--csv", str(out), "--plot", str(plots)])
    assert files.exit_code == 0, files.output
    assert out.read_text().startswith("jurisdiction,starts_on,ends_on,section,measure,category,value,suppressed")
    assert (plots / "tj-montlucon-activity.png").read_bytes().startswith(b"\x89PNG")

    # a press of a seeded device's key, then its timeline and trace
    with session.client(base) as http:
        operator = session.headers_for(http, "teleassistance", "*", data_dir, None, None)
        stock = http.get("/v1/devices", params={"jurisdiction": "tj-nanterre"}, headers=operator).json()
    device_id = next(d["device_id"] for d in stock["items"] if d["state"] == "active")
    raised = runner.invoke(app, ["alert", "raise", *options, "--device", device_id, "--lat", "48.89", "--lon", "2.2"])
    assert raised.exit_code == 0, raised.output
    alert_id = raised.output.split()[1]
    traces = ["--traces", str(data_dir.parent / "traces")]

    def followed():
        shown = runner.invoke(app, ["alert", "follow", alert_id, *options, *traces])
        return shown.output if "trace of alert" in shown.output and "tgd-alert" in shown.output else None

    output = wait_until(followed, 15, "the alert's spans")
    assert "raised" in output
    assert "POST /v1/device-alerts" in output  # the gateway's request is the root of the trace


def _matches(plan, answer) -> bool:
    flat = flatten(answer)
    return all(flat.get(k) == v for k, v in expected_statistics(plan).items())


EXACT = {  # raw tally -> (section, figure) of /v1/court-statistics
    "referrals": ("referrals", "referrals"),
    "evaluations_requested": ("evaluations", "evaluations_requested"),
    "attributions": ("evaluations", "attributions"),
    "refusals": ("evaluations", "refusals"),
    "withdrawals": ("evaluations", "withdrawals"),
    "in_stock": ("devices", "in_stock"),
    "provisioned": ("devices", "provisioned"),
    "alerts": ("alerts", "alerts"),
}


def _the_parquet_sees_the_exact_tallies(base, data_dir) -> None:
    """Each court's parquet reads the seed plan's raw tallies (small ones included), and
    the department's totals add up its courts of the plan."""
    with session.client(base) as http:
        for plan in PLAN:
            parquet = session.headers_for(http, "prosecutor", plan.jurisdiction, data_dir, None, None)
            answer = http.get("/v1/court-statistics", params={"jurisdiction": plan.jurisdiction}, headers=parquet)
            assert answer.status_code == 200, answer.text
            body, raw = answer.json(), raw_tallies(plan)
            got = {k: body["court"][section][figure] for k, (section, figure) in EXACT.items()}
            assert got == {k: raw[k] for k in EXACT}, plan.jurisdiction
            department = JURISDICTIONS[plan.jurisdiction].department
            peers = [p for p in PLAN if JURISDICTIONS[p.jurisdiction].department == department]
            totals = {k: body["department_totals"][section][figure] for k, (section, figure) in EXACT.items()}
            assert totals == {k: sum(raw_tallies(p)[k] for p in peers) for k in EXACT}, department
