import pytest
from pydantic import ValidationError

from tgd_contracts.errors import ERRORS, ErrorCode, TgdError, parse_remote_error
from tgd_contracts.examples import referral
from tgd_contracts.referral import ReferralSubmission


def submission(**overrides):
    victim = {"surname": "EXEMPLE", "first_names": ["Exemple"], "birth_date": "1990-01-01", "sex": "F"}
    body = {**referral.submission(urgency="standard", facts="Des faits entièrement fictifs."), "victim": victim}
    body.update(overrides)
    return body


def test_producer_side_refuses_unknown_fields():
    with pytest.raises(ValidationError) as info:
        ReferralSubmission.model_validate(submission(shoe_size=42))
    assert info.value.errors()[0]["type"] == "extra_forbidden"


def test_producer_side_refuses_nested_unknown_fields():
    with pytest.raises(ValidationError):
        ReferralSubmission.model_validate(submission(victim={"surname": "X", "first_names": ["Y"], "religion": "z"}))


def test_consumer_side_ignores_unknown_fields_at_every_depth():
    parsed = ReferralSubmission.consume(
        submission(new_field=1, victim={"surname": "X", "first_names": ["Y"], "future": True})
    )
    assert parsed.victim.surname == "X"


@pytest.mark.parametrize(
    "overrides",
    [
        {"urgency": "very"},
        {"facts": "short"},
        {"facts": 1234567890123},
        {"jurisdiction": "TJ MOULINS"},
        {"victim": {"surname": 12, "first_names": ["Y"]}},
        {"victim": {"surname": "X", "first_names": []}},
        {"victim": {"surname": "X", "first_names": ["Y"], "birth_date": "2999-01-01"}},
        {"referrer": {"kind": "astrologer", "organisation": "X"}},
    ],
)
def test_invalid_submissions_are_refused(overrides):
    with pytest.raises(ValidationError):
        ReferralSubmission.model_validate(submission(**overrides))


def test_no_lax_coercion_of_strings():
    with pytest.raises(ValidationError):
        ReferralSubmission.model_validate(submission(referrer={"kind": "lawyer", "organisation": 5}))


def test_every_error_code_has_a_status_and_description():
    for code in ErrorCode:
        assert code in ERRORS
        assert 400 <= ERRORS[code].http_status <= 599
        assert ERRORS[code].description


def test_tgd_error_round_trips_through_its_string_form():
    err = TgdError("nope", code=ErrorCode.UNKNOWN_JURISDICTION)
    assert parse_remote_error(str(err)) == (ErrorCode.UNKNOWN_JURISDICTION, "nope")
    assert parse_remote_error("KeyError: 'x'") is None
    assert parse_remote_error('{"error": "no_such_code", "message": "m"}') is None


def test_partner_routing_keys_carry_audience_territory_unit_and_kind():
    from tgd_contracts.partners import Audience, MessageKind, partner_binding, partner_routing_key

    key = partner_routing_key(Audience.POLICE, "03", "csp-montlucon", MessageKind.DISPATCH)
    assert key == "police.03.csp-montlucon.dispatch"
    assert partner_routing_key(Audience.ASSOCIATION, "tj-moulins", None, MessageKind.DISPATCH) == (
        "association.tj-moulins.any.dispatch"
    )
    assert partner_binding(Audience.GENDARMERIE, "03") == "gendarmerie.03.any.*"
    with pytest.raises(ValueError):
        partner_routing_key(Audience.POLICE, "03.#", "x", MessageKind.DISPATCH)
    with pytest.raises(ValueError):
        partner_routing_key("pirates", "03", "x", MessageKind.DISPATCH)
