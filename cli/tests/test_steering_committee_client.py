"""A steering committee (comité de pilotage) is registered per department: it covers the
department's courts, never the whole country."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from tgd_cli.main import app

runner = CliRunner()


def test_a_committee_covers_its_department_s_courts(tmp_path, monkeypatch):
    monkeypatch.setenv("TGD_GATEWAY_DATA_DIR", str(tmp_path))
    args = ["clients", "register", "Comité Fictif", "--role", "steering_committee", "--department", "03", "--json"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    registered = json.loads(result.output)
    assert registered["role"] == "steering_committee"
    assert registered["jurisdictions"] == ["tj-cusset", "tj-montlucon", "tj-moulins"]
    national = runner.invoke(app, ["clients", "register", "x", "--role", "steering_committee", "--national"])
    assert national.exit_code == 1
