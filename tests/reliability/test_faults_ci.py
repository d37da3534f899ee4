"""The fault-injection suite, small: real processes on a private RabbitMQ node and the
default storage (a durable local store of the run's own), a burst of alerts during which
RabbitMQ is restarted, one during which a partner's consumer is killed with SIGKILL, and
one during which the store itself is killed with SIGKILL. Fails on any loss or duplicate
effect.

The full run is ``tgd-dev faults --alerts 10000 --json`` (every scenario; see
docs/reliability.md for its table).
"""

from __future__ import annotations

import json

import pytest

from tgd_dev.faults.scenarios import CI_SCENARIOS
from tgd_dev.faults.suite import run_faults

pytestmark = [pytest.mark.e2e, pytest.mark.no_bus_observer]  # its own broker, not the test vhost


@pytest.mark.timeout(1200)  # three bursts, a broker restart, two kills and the drains: a few minutes
def test_no_alert_is_lost_or_acted_on_twice_through_a_broker_restart_a_killed_consumer_and_store(tmp_path):
    rows = run_faults(250 * len(CI_SCENARIOS), list(CI_SCENARIOS), rate=40.0, workdir=tmp_path)
    print(json.dumps(rows, indent=1))  # the table, in the CI log
    assert [r["scenario"] for r in rows] == list(CI_SCENARIOS)
    for row in rows:
        assert row["storage"].startswith("local store"), row
        assert row["triggered"] == 250
        assert row["lost"] == 0, row
        assert row["duplicate_effects"] == 0, row
        assert row["delivered"] == {"centre": 250, "police": 250, "association": 250}, row
        assert row["recovery_s"] is not None, row
