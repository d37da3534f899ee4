"""``tgd operators``: the console's operator accounts."""

import json

from typer.testing import CliRunner

from gateway.auth.operators import OperatorStore
from gateway.auth.roles import NATIONAL, Role
from tgd_cli.main import app

runner = CliRunner()


def test_register_rotate_disable_and_list(tmp_path, monkeypatch):
    monkeypatch.setenv("TGD_GATEWAY_DATA_DIR", str(tmp_path))
    result = runner.invoke(app, ["operators", "register", "c.exemple", "--name", "Opératrice Fictive", "--json"])
    assert result.exit_code == 0, result.output
    created = json.loads(result.output)
    store = OperatorStore.in_dir(tmp_path)
    operator = store.authenticate("c.exemple", created["password"])
    assert operator is not None
    assert (operator.role, operator.jurisdictions) == (Role.TELEASSISTANCE, [NATIONAL])
    assert created["password"] not in (tmp_path / "operators.json").read_text()

    rotated = json.loads(runner.invoke(app, ["operators", "rotate", "c.exemple", "--json"]).output)
    assert store.authenticate("c.exemple", created["password"]) is None
    assert store.authenticate("c.exemple", rotated["password"]) is not None

    assert runner.invoke(app, ["operators", "disable", "c.exemple"]).exit_code == 0
    assert store.authenticate("c.exemple", rotated["password"]) is None
    assert store.active("c.exemple") is None
    listing = runner.invoke(app, ["operators", "list"])
    assert "disabled" in listing.output
    assert rotated["password"] not in listing.output


def test_register_refuses_a_bad_or_taken_login(tmp_path, monkeypatch):
    monkeypatch.setenv("TGD_GATEWAY_DATA_DIR", str(tmp_path))
    assert runner.invoke(app, ["operators", "register", "Ab Cd", "--name", "x"]).exit_code == 1
    assert runner.invoke(app, ["operators", "register", "op-1", "--name", "x"]).exit_code == 0
    assert runner.invoke(app, ["operators", "register", "op-1", "--name", "y"]).exit_code == 1
    assert runner.invoke(app, ["operators", "rotate", "nobody"]).exit_code == 1
