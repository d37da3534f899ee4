"""The evidence signing key comes from configuration; the development key only in development."""

from __future__ import annotations

import base64
import os

import pytest

from tgd_servicekit import evidence_keys as keys


def b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


def test_development_uses_the_development_key_and_trusts_it():
    key = keys.signing_key_from_env({"TGD_ENV": "development"})
    assert key.key_id == keys.DEVELOPMENT_KEY_ID
    assert keys.trusted_keys_from_env({}) == {keys.DEVELOPMENT_KEY_ID: key.public_raw}


def test_outside_development_a_configured_key_is_required():
    with pytest.raises(keys.EvidenceKeyError, match="TGD_EVIDENCE_SIGNING_KEY"):
        keys.signing_key_from_env({"TGD_ENV": "production"})
    dev_seed = f"{keys.DEVELOPMENT_KEY_ID}:{b64(os.urandom(32))}"
    with pytest.raises(keys.EvidenceKeyError, match="development"):
        keys.signing_key_from_env({"TGD_ENV": "production", "TGD_EVIDENCE_SIGNING_KEY": dev_seed})


def test_a_configured_key_signs_and_the_trusted_keys_add_another_operators():
    signing, public = keys.new_key_pair("op-2026")
    other_signing, other_public = keys.new_key_pair("former-operator")
    env = {"TGD_ENV": "production", "TGD_EVIDENCE_SIGNING_KEY": signing, "TGD_EVIDENCE_TRUSTED_KEYS": other_public}
    key = keys.signing_key_from_env(env)
    assert (key.key_id, key.public_b64) == ("op-2026", public.split(":", 1)[1])
    trusted = keys.trusted_keys_from_env(env)
    assert set(trusted) == {"op-2026", "former-operator"}
    assert keys.DEVELOPMENT_KEY_ID not in trusted
    assert other_signing != signing


@pytest.mark.parametrize("spec", ["nocolon", "k:!!!notbase64", f"k:{b64(b'short')}", f":{b64(os.urandom(32))}"])
def test_malformed_keys_are_refused_with_a_clear_message(spec):
    with pytest.raises(keys.EvidenceKeyError):
        keys.signing_key_from_env({"TGD_EVIDENCE_SIGNING_KEY": spec})
    with pytest.raises(keys.EvidenceKeyError):
        keys.trusted_keys_from_env({"TGD_EVIDENCE_TRUSTED_KEYS": spec})
