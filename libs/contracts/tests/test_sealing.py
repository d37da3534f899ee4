"""Sealed personal fields: only the addressee's key opens them, only in their message."""

import json
from datetime import UTC, datetime

import pytest
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from tgd_contracts.alert import PartnerDispatch
from tgd_contracts.envelope import build_envelope
from tgd_contracts.examples import dossier as examples
from tgd_contracts.partner_keys import BadKeysFile, PartnerKeys
from tgd_contracts.sealing import CannotOpen, associated_data, open_sealed, public_key_text

NOW = datetime(2026, 6, 1, 22, 0, tzinfo=UTC)
UNIT = "police.03.csp-fictive"
DOSSIER = examples.dossier("att-1", "dev-1", "tj-montlucon", insee_code="03185", basis="judicial_supervision")


def dispatch_envelope():
    data = PartnerDispatch.consume({
        "alert_id": "a-1", "dispatch_id": "d-1", "kind": "dispatch", "attempt": 1,
        "recipient": {"audience": "police", "territory": "03", "unit": "csp-fictive"},
        "outcome": "danger", "automatic": False, "raised_at": NOW.isoformat(), "device_id": "dev-1",
        "position": {"lat": 46.3401, "lon": 2.6021, "accuracy_m": 25.0, "fixed_at": NOW.isoformat()},
        "dossier": DOSSIER,
    })  # fmt: skip
    return build_envelope(source_service="alert", event_name="partner_dispatch", subject="a-1", data=data)


@pytest.fixture
def key():
    return X25519PrivateKey.generate()


@pytest.fixture
def keys(key):
    return PartnerKeys({UNIT: key.public_key()})


def test_the_dossier_and_position_travel_sealed_and_the_addressee_opens_them(key, keys):
    envelope = dispatch_envelope()
    sealed = keys.seal(envelope, f"{UNIT}.dispatch")
    wire = sealed.model_dump_json()
    for fake in ("EXEMPLE", "AUTEUR-FICTIF", "rue Fictive", "46.3401"):
        assert fake not in wire
    assert PartnerDispatch.consume(sealed.data).sealed is not None  # valid against the contract
    opened = open_sealed(sealed.data, key, associated_data(sealed.type, sealed.id, UNIT))
    assert opened == {k: v for k, v in envelope.data.items() if k != "sealed"}


def test_another_key_cannot_open(keys):
    sealed = keys.seal(dispatch_envelope(), f"{UNIT}.dispatch")
    with pytest.raises(CannotOpen):
        open_sealed(sealed.data, X25519PrivateKey.generate(), associated_data(sealed.type, sealed.id, UNIT))


def test_a_sealed_block_moved_to_another_message_or_addressee_does_not_open(key, keys):
    sealed = keys.seal(dispatch_envelope(), f"{UNIT}.dispatch")
    with pytest.raises(CannotOpen):
        open_sealed(sealed.data, key, associated_data(sealed.type, "another-id", UNIT))
    with pytest.raises(CannotOpen):
        open_sealed(sealed.data, key, associated_data(sealed.type, sealed.id, "police.03.csp-other"))


def test_an_altered_ciphertext_does_not_open(key, keys):
    sealed = keys.seal(dispatch_envelope(), f"{UNIT}.dispatch")
    block = dict(sealed.data["sealed"])
    block["ciphertext"] = ("A" if block["ciphertext"][0] != "A" else "B") + block["ciphertext"][1:]
    with pytest.raises(CannotOpen):
        open_sealed({**sealed.data, "sealed": block}, key, associated_data(sealed.type, sealed.id, UNIT))


def test_an_addressee_without_a_registered_key_gets_the_message_unchanged(keys):
    envelope = dispatch_envelope()
    assert keys.seal(envelope, "police.03.csp-other.dispatch") == envelope
    assert PartnerKeys().seal(envelope, f"{UNIT}.dispatch") == envelope


def test_the_keys_file_is_read_and_a_bad_one_is_a_clear_error(tmp_path, key):
    good = tmp_path / "keys.json"
    good.write_text(json.dumps({UNIT: public_key_text(key.public_key())}))
    assert UNIT in PartnerKeys.load(good).keys
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({UNIT: "not-a-key"}))
    with pytest.raises(BadKeysFile, match=r"bad\.json"):
        PartnerKeys.load(bad)
