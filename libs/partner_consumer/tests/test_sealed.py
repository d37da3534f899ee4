"""The consumer opens what the platform sealed for it (its private key), and only that."""

import json

import pytest
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from tgd_contracts.partner_keys import PartnerKeys
from tgd_partner_consumer import keys
from tgd_partner_consumer.cli import main
from tgd_partner_consumer.consumer import InvalidMessage, parse

from .messages import SURNAME, dispatch, notice, position_update

UNIT = "police.03.csp-fictive"


def sealed_body(message, key):
    envelope = PartnerKeys({UNIT: key.public_key()}).seal(message.envelope, message.routing_key)
    body = envelope.model_dump_json().encode()
    assert SURNAME.encode() not in body
    return body


def test_the_consumer_opens_a_sealed_dispatch_and_notice_with_its_key():
    key = X25519PrivateKey.generate()
    for message in (dispatch(), notice()):
        opened = parse(sealed_body(message, key), message.routing_key, key)
        assert opened.data == message.data
        assert opened.envelope.data == {k: v for k, v in message.envelope.data.items() if k != "sealed"}


def test_without_the_right_key_the_message_is_handed_over_without_her_dossier(caplog):
    key = X25519PrivateKey.generate()
    body = sealed_body(dispatch(), key)
    for held in (None, X25519PrivateKey.generate()):
        received = parse(body, f"{UNIT}.dispatch", held)
        assert received.data.alert_id == "a-1"  # the alert itself is not lost
        assert received.data.dossier is None
        assert received.data.sealed is not None
    assert SURNAME not in caplog.text


def test_keygen_writes_a_private_key_readable_by_its_owner_only(tmp_path, capsys):
    path = tmp_path / "partner.key"
    main(["keygen", str(path)])
    assert path.stat().st_mode & 0o077 == 0
    printed = capsys.readouterr().out
    assert keys.load(path).public_key() is not None
    assert keys.describe(keys.load(path)).split()[2] in printed  # the public key printed is the file's
    key = keys.load(path)
    body = sealed_body(notice(), key)
    assert json.loads(body)["data"]["sealed"]["kid"] in keys.describe(key)


def _as_version(message, version: str) -> bytes:
    raw = json.loads(message.envelope.model_dump_json())
    raw["schemaversion"] = version
    raw["dataschema"] = f"urn:tgd:schema:partner_position:{version}"
    return json.dumps(raw).encode()


def test_a_position_update_2_0_travels_sealed_and_opens_with_the_key():
    key = X25519PrivateKey.generate()
    message = position_update()
    assert message.envelope.schemaversion == "2.0.0"
    body = PartnerKeys({UNIT: key.public_key()}).seal(message.envelope, message.routing_key).model_dump_json()
    for clear in ('"lat"', "46.3401", "2.6021"):
        assert clear not in body
    opened = parse(body.encode(), message.routing_key, key)
    assert opened.data == message.data
    assert opened.data.position is not None


def test_the_consumer_reads_a_position_update_1_x_and_refuses_a_later_major():
    message = position_update()
    old = parse(_as_version(message, "1.0.0"), message.routing_key)
    assert old.data.position == message.data.position
    with pytest.raises(InvalidMessage, match="newer major"):
        parse(_as_version(message, "3.0.0"), message.routing_key)
