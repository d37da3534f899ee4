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


class FakeApi:
    def __init__(self):
        self.calls = []

    def provision(self, account, vhost, password=None):
        self.calls.append((account, vhost))
        return "secret-fictif"


def test_provision_takes_its_vhost_from_amqp_uri_and_prints_queue_and_reply_keys(monkeypatch):
    from tgd_cli import broker

    fake = FakeApi()
    monkeypatch.setattr(broker, "api", lambda: fake)
    monkeypatch.setenv("AMQP_URI", "pyamqp://svc:pw@127.0.0.1:5672/tgd%2Fprod")
    result = runner.invoke(app, ["broker", "provision-partner", "police", "03", "--unit", "csp-montlucon"])
    assert result.exit_code == 0, result.output
    printed = json.loads(result.output)
    assert fake.calls[0][1] == printed["vhost"] == "tgd/prod"
    assert printed["user"] == "partner-police-03-csp-montlucon"
    assert printed["queue"] == "partner.police.03.csp-montlucon"
    assert printed["reply_exchange"] == "tgd.partner-replies"
    assert printed["reply_keys"].startswith("police.03.csp-montlucon.")
    monkeypatch.setenv("AMQP_URI", "pyamqp://guest:guest@127.0.0.1:5672/")
    assert json.loads(runner.invoke(app, ["broker", "provision-partner", "command", "03"]).output)["vhost"] == "/"
    explicit = runner.invoke(app, ["broker", "provision-partner", "command", "03", "--vhost", "other"])
    assert json.loads(explicit.output)["vhost"] == "other"


def test_provision_registers_the_partners_public_key_and_refuses_a_bad_one(monkeypatch, tmp_path):
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

    from tgd_cli import broker
    from tgd_contracts.partner_keys import PartnerKeys
    from tgd_contracts.sealing import key_id, public_key_text

    monkeypatch.setattr(broker, "api", FakeApi)
    keys_file = tmp_path / "partner-keys.json"
    monkeypatch.setenv("TGD_PARTNER_KEYS_FILE", str(keys_file))
    public = X25519PrivateKey.generate().public_key()
    args = ["broker", "provision-partner", "police", "03", "--unit", "csp-montlucon"]
    result = runner.invoke(app, [*args, "--public-key", public_key_text(public)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["public_key_id"] == key_id(public)
    assert key_id(PartnerKeys.load(keys_file).keys["police.03.csp-montlucon"]) == key_id(public)
    before = keys_file.read_text()
    assert runner.invoke(app, [*args, "--public-key", "not-a-key"]).exit_code == 2
    assert keys_file.read_text() == before


def test_in_production_provision_refuses_a_partner_without_its_public_key(monkeypatch, tmp_path):
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

    from tgd_cli import broker
    from tgd_contracts.sealing import public_key_text

    fake = FakeApi()
    monkeypatch.setattr(broker, "api", lambda: fake)
    keys_file = tmp_path / "partner-keys.json"
    monkeypatch.setenv("TGD_PARTNER_KEYS_FILE", str(keys_file))
    monkeypatch.setenv("TGD_ENV", "production")
    args = ["broker", "provision-partner", "police", "03", "--unit", "csp-montlucon"]
    refused = runner.invoke(app, args)
    assert refused.exit_code == 2
    assert "--public-key" in refused.output
    assert fake.calls == []  # nothing changed
    assert not keys_file.exists()
    public = public_key_text(X25519PrivateKey.generate().public_key())
    assert runner.invoke(app, [*args, "--public-key", public]).exit_code == 0
    assert len(fake.calls) == 1
