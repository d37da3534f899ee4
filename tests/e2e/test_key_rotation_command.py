"""``tgd keys rotate`` against a running service."""

import subprocess
import sys
from pathlib import Path

import pytest

from tgd_servicekit.testing.processes import wait_until

pytestmark = pytest.mark.e2e
BIN = Path(sys.executable).parent


def test_rotate_reaches_the_running_services_and_reports_the_others(processes, vhost_uri):
    processes.env["AMQP_URI"] = vhost_uri
    processes.start_service("referral")
    wait_until(lambda: "starting services: referral" in processes.log("referral"), 30, "the referral service")

    def rotate():
        return subprocess.run(
            [str(BIN / "tgd"), "keys", "rotate", "--amqp-uri", vhost_uri, "--timeout", "20"],
            capture_output=True,
            text=True,
            timeout=120,
        )

    result = wait_until(
        lambda: (r := rotate()).returncode == 0 and "referral: resealed" in r.stdout and r, 60, "a successful rotation"
    )
    assert "{'ReferralDocument': 0, 'FollowUpContactDocument': 0}" in result.stdout
    assert "alert: not running here" in result.stdout
