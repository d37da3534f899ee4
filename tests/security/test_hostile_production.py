"""Issue 17, item 1 (production cannot run on development secrets), the process side
(the deployments' side is tests/deploy)."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("missing", ["keys", "database"])
def test_a_service_process_refuses_to_start_in_production_without_real_keys_or_database(tmp_path, missing):
    import base64
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {"PATH": "/usr/bin:/bin", "TGD_ENV": "production", "AMQP_URI": "pyamqp://u:p@127.0.0.1:1/none"}
    if missing == "database":
        env.update(TGD_FIELD_KEYS=f"k1:{base64.b64encode(os.urandom(32)).decode()}", TGD_ACTIVE_KEY_ID="k1",
                   TGD_BLIND_INDEX_KEY=base64.b64encode(os.urandom(32)).decode())  # fmt: skip
    else:
        env["MONGODB_URI"] = "mongodb://u:p@127.0.0.1:1/?replicaSet=rs0"
    binary = Path(sys.executable).parent / "tgd-service"
    result = subprocess.run(
        [str(binary), "referral"], env=env, capture_output=True, text=True, timeout=60, cwd=tmp_path
    )
    assert result.returncode != 0
    assert ("TGD_FIELD_KEYS" if missing == "keys" else "MONGODB_URI") in result.stderr
