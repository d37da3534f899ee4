"""A service refuses to start with the development encryption keys outside development,
and without a database (it would keep what it accepts in its own memory)."""

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e


def test_a_service_refuses_to_start_in_production_without_real_keys(vhost_uri):
    result = subprocess.run(
        [str(Path(sys.executable).parent / "tgd-service"), "referral"],
        env={
            "PATH": "/usr/bin:/bin",
            "AMQP_URI": vhost_uri,
            "TGD_ENV": "production",
            "MONGODB_URI": "mongodb://127.0.0.1:9/?directConnection=true",  # never reached
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "refusing to start: TGD_FIELD_KEYS is not set" in result.stderr + result.stdout  # servicekit.production


def test_a_service_refuses_to_start_without_a_database(vhost_uri):
    result = subprocess.run(
        [str(Path(sys.executable).parent / "tgd-service"), "alert"],
        env={"PATH": "/usr/bin:/bin", "AMQP_URI": vhost_uri},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "MONGODB_URI is not set" in result.stderr
    assert "tgd up" in result.stderr
