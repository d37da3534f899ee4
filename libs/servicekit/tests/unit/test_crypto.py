"""Field encryption, rotation and blind indexes."""

import base64
import os

import pytest

from tgd_servicekit import crypto


def ring(*ids, active=None):
    keys = {i: os.urandom(32) for i in ids}
    return crypto.KeyRing(keys, active or ids[0], os.urandom(32))


def test_seal_and_open_round_trip_with_a_fresh_nonce_each_time():
    r = ring("k1")
    a = crypto.seal(r, "EXEMPLE", "Person.surname")
    b = crypto.seal(r, "EXEMPLE", "Person.surname")
    assert a != b
    assert "EXEMPLE" not in a
    assert a.startswith("enc:v1:k1:")
    assert crypto.open_sealed(r, a, "Person.surname") == "EXEMPLE"


def test_a_value_moved_to_another_field_does_not_open():
    r = ring("k1")
    token = crypto.seal(r, "06 00 00 00 00", "Beneficiary.phone")
    with pytest.raises(crypto.DecryptionError):
        crypto.open_sealed(r, token, "Author.phone")


def test_a_tampered_value_does_not_open():
    r = ring("k1")
    token = crypto.seal(r, "Rue Fictive", "Address.street")
    raw = bytearray(base64.b64decode(token.rsplit(":", 1)[1]))
    raw[-1] ^= 1
    tampered = token.rsplit(":", 1)[0] + ":" + base64.b64encode(bytes(raw)).decode()
    with pytest.raises(crypto.DecryptionError):
        crypto.open_sealed(r, tampered, "Address.street")


def test_rotation_keeps_old_values_readable_and_reseals_them_under_the_new_key():
    old = ring("k1")
    token = crypto.seal(old, "Fictive", "Identity.first_name")
    both = crypto.KeyRing({**old.keys, "k2": os.urandom(32)}, "k2", old.blind_index_key)
    assert crypto.open_sealed(both, token, "Identity.first_name") == "Fictive"
    resealed = crypto.reseal(both, token, "Identity.first_name")
    assert crypto.key_id_of(resealed) == "k2"
    assert crypto.reseal(both, resealed, "Identity.first_name") == resealed
    only_new = crypto.KeyRing({"k2": both.keys["k2"]}, "k2", old.blind_index_key)
    assert crypto.open_sealed(only_new, resealed, "Identity.first_name") == "Fictive"
    with pytest.raises(crypto.DecryptionError, match="not configured"):
        crypto.open_sealed(only_new, token, "Identity.first_name")


def test_blind_index_is_deterministic_normalised_and_keyed():
    r = ring("k1")
    assert crypto.blind_index(r, "06 12 34 56 78", "phone") == crypto.blind_index(r, "0612345678", "phone")
    assert crypto.blind_index(r, "0612345678", "phone") != crypto.blind_index(r, "0612345678", "other")
    assert crypto.blind_index(r, "0612345678", "phone") != crypto.blind_index(ring("k1"), "0612345678", "phone")
    assert "0612345678" not in crypto.blind_index(r, "0612345678", "phone")


def key() -> str:
    return base64.b64encode(os.urandom(32)).decode()


def test_keys_from_the_environment():
    r = crypto.keyring_from_env(
        {
            "TGD_ENV": "production",
            "TGD_FIELD_KEYS": f"a:{key()},b:{key()}",
            "TGD_ACTIVE_KEY_ID": "b",
            "TGD_BLIND_INDEX_KEY": key(),
        }
    )
    assert r.active_key_id == "b"
    assert set(r.keys) == {"a", "b"}
    assert not r.is_development


def test_the_development_key_ring_is_refused_outside_development():
    assert crypto.keyring_from_env({}).is_development
    assert crypto.keyring_from_env({"TGD_ENV": "development"}).is_development
    with pytest.raises(crypto.CryptoConfigError, match="refusing to start"):
        crypto.keyring_from_env({"TGD_ENV": "production"})


@pytest.mark.parametrize(
    "env",
    [
        {"TGD_FIELD_KEYS": "nocolon"},
        {"TGD_FIELD_KEYS": "a:!!!notbase64", "TGD_BLIND_INDEX_KEY": "x"},
        {"TGD_FIELD_KEYS": "a:" + base64.b64encode(b"short").decode(), "TGD_BLIND_INDEX_KEY": key()},
        {"TGD_FIELD_KEYS": "a:" + base64.b64encode(os.urandom(32)).decode()},
        {
            "TGD_FIELD_KEYS": "a:" + base64.b64encode(os.urandom(32)).decode(),
            "TGD_ACTIVE_KEY_ID": "z",
            "TGD_BLIND_INDEX_KEY": base64.b64encode(os.urandom(32)).decode(),
        },
    ],
)
def test_malformed_key_configuration_is_refused(env):
    with pytest.raises(crypto.CryptoConfigError):
        crypto.keyring_from_env(env)
