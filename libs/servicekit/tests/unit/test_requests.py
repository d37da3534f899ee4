"""Validating RPC payloads and ids with the service's own error class."""

import pytest

from tgd_contracts.errors import ErrorCode, TgdError
from tgd_contracts.referral import Referrer
from tgd_servicekit.requests import short_id, validated


class Invalid(TgdError):
    code = ErrorCode.INVALID_REQUEST


def test_a_valid_payload_gives_the_model():
    assert validated(Referrer, {"kind": "lawyer", "organisation": "Cabinet Fictif"}, Invalid).kind == "lawyer"


def test_an_invalid_payload_names_the_locations_not_the_values():
    with pytest.raises(Invalid) as info:
        validated(Referrer, {"kind": "SECRET-VALUE", "organisation": 5}, Invalid)
    assert "kind" in info.value.message
    assert "organisation" in info.value.message
    assert "SECRET-VALUE" not in info.value.message


@pytest.mark.parametrize("value", [None, 5, "", "x" * 65])
def test_ids_are_strings_of_1_to_64_characters(value):
    with pytest.raises(Invalid, match="Ids are"):
        short_id(value, Invalid, "Ids are strings of 1 to 64 characters.")
    assert short_id("a" * 64, Invalid) == "a" * 64


def test_the_services_parse_and_check_id_raise_invalid_request():
    from tgd_servicekit.requests import InvalidRequest, check_id, parse

    assert parse(Referrer, {"kind": "lawyer", "organisation": "Cabinet Fictif"}).kind == "lawyer"
    with pytest.raises(InvalidRequest) as info:
        parse(Referrer, {"kind": "SECRET-VALUE"})
    assert info.value.code == ErrorCode.INVALID_REQUEST
    assert "SECRET-VALUE" not in info.value.message
    assert check_id("a1") == "a1"
    with pytest.raises(InvalidRequest, match="Ids are strings of 1 to 64 characters"):
        check_id(["a"])
