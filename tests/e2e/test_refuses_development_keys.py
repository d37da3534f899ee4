"""Outside development a service refuses to start with the development encryption keys."""

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e


def test_a_service_refuses_to_start_in_production_without_real_keys(vhost_uri):
    result = subprocess.run(
        [str(Path(sys.executable).parent / "tgd-service"), "referral"],
        env={"PATH": "/usr/bin:/bin", "AMQP_URI": vhost_uri, "TGD_ENV": "production"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "refusing to start: development encryption keys" in result.stderr + result.stdout
