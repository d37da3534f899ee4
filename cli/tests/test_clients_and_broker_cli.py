"""``tgd clients`` and ``tgd broker`` (argument handling; the broker itself is
exercised in tests/security)."""

import json

from typer.testing import CliRunner

from gateway.auth.clients import ClientStore
from tgd_cli.main import app

runner = CliRunner()


def test_register_rotate_disable_and_list(tmp_path, monkeypatch):
    monkeypatch.setenv("TGD_GATEWAY_DATA_DIR", str(tmp_path))
    result = runner.invoke(app, ["clients", "register", "DDSP Fictive", "--role", "police", "--department", "03",
                                 "--unit", "csp-montlucon", "--json"])  # fmt: skip
    assert result.exit_code == 0, result.output
    created = json.loads(result.output)
    store = ClientStore(tmp_path / "clients.json")
    assert store.authenticate(created["client_id"], created["client_secret"]) is not None
    assert created["jurisdictions"] == ["tj-cusset", "tj-montlucon", "tj-moulins"]

    rotated = json.loads(runner.invoke(app, ["clients", "rotate", created["client_id"], "--json"]).output)
    assert store.authenticate(created["client_id"], created["client_secret"]) is None
    assert store.authenticate(created["client_id"], rotated["client_secret"]) is not None

    assert runner.invoke(app, ["clients", "disable", created["client_id"]]).exit_code == 0
    assert store.authenticate(created["client_id"], rotated["client_secret"]) is None
    listing = runner.invoke(app, ["clients", "list"])
    assert "disabled" in listing.output
    assert rotated["client_secret"] not in listing.output


def test_register_refuses_an_unknown_role_or_territory(tmp_path, monkeypatch):
    monkeypatch.setenv("TGD_GATEWAY_DATA_DIR", str(tmp_path))
    assert runner.invoke(app, ["clients", "register", "x", "--role", "mayor", "--jurisdiction", "tj-paris"]).exit_code
    assert runner.invoke(app, ["clients", "register", "x", "--role", "association"]).exit_code == 1
    assert runner.invoke(app, ["clients", "rotate", "nobody"]).exit_code == 1


def test_provision_refuses_a_territory_that_would_widen_the_routing_keys():
    result = runner.invoke(app, ["broker", "provision-partner", "police", "03.#"])
    assert result.exit_code == 2
