"""The fictional examples (tgd_contracts/examples): every one is accepted by its model,
comes out fresh, and nothing in it looks like real personal data."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from pydantic import ValidationError

from tgd_contracts.dossier import Dossier
from tgd_contracts.envelope import Envelope, ce_type
from tgd_contracts.evaluation import AttributionDecision, EvaluationReport
from tgd_contracts.events import EventName
from tgd_contracts.examples import (
    FIRST_NAMES,
    SURNAME_PREFIXES,
    device,
    dossier,
    evaluation,
    events,
    merged,
    phone,
    referral,
)
from tgd_contracts.examples.catalogue import CATALOGUE, openapi_examples
from tgd_contracts.referral import ReferralSubmission
from tgd_contracts.registry import EVENTS
from tgd_contracts.stock import DeviceRegistration, luhn_valid

FICTIONAL_PHONE = re.compile(r"^06 ?00 ?00 ?00 ?\d\d$")
NAME_KEYS = ("surname", "usage_name")
PHONE_KEYS = ("phones", "work_phones", "school_phone", "terminal_number")


def walk(value: Any, key: str = ""):
    """(key, leaf) of every leaf string of a wire body (list items keep their list's key)."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield from walk(v, k)
    elif isinstance(value, list):
        for item in value:
            yield from walk(item, key)
    elif isinstance(value, str):
        yield key, value


VARIANTS = [build() for _, build, _ in CATALOGUE] + [
    referral.submission("EXEMPLE-042", urgency="standard"),
    evaluation.evaluation_report(yes=14, items=27, override={"level": "high", "by": "Référente", "reason": "Fictif."}),
    evaluation.decision(months=3, incarcerated=True),
    device.registration(7, "tj-montlucon", key="run-1"),
    dossier.dossier(
        surname="EXEMPLE-PHONE",
        beneficiary={"phones": [phone(3)], "household": [{"surname": "EXEMPLE", "first_names": ["Enfant"]}]},
    ),
]


@pytest.mark.parametrize(("model", "build", "summary"), CATALOGUE, ids=[s for _, _, s in CATALOGUE])
def test_every_example_is_accepted_by_its_model_and_round_trips(model, build, summary):
    body = build()
    parsed = model.consume(body)
    assert json.loads(json.dumps(body)) == body  # JSON types only: a body an HTTP client sends as is
    assert parsed.to_wire() == model.consume(parsed.to_wire()).to_wire()


def test_builders_return_fresh_bodies():
    first = dossier.fiche_navette()
    first["beneficiary"]["identity"]["first_names"].append("Changé")
    assert dossier.fiche_navette()["beneficiary"]["identity"]["first_names"] == ["Fictive"]


def test_variants_and_overrides_are_validated_too():
    assert ReferralSubmission.consume(VARIANTS[-5]).victim.surname == "EXEMPLE-042"
    assert EvaluationReport.consume(VARIANTS[-4]).risk.override is not None
    assert AttributionDecision.consume(VARIANTS[-3]).duration_months == 3
    registration = DeviceRegistration.consume(VARIANTS[-2])
    assert luhn_valid(registration.imei)
    assert registration.imei != device.imei(7)
    assert device.registration(7, key="run-1")["imei"] == registration.imei  # stable for a seed run
    assert Dossier.consume(VARIANTS[-1]).beneficiary.phones == ["0600000003"]
    with pytest.raises(ValidationError):  # an override can still make a body invalid: the model says so
        Dossier.consume(dossier.dossier(beneficiary={"home": {"postcode": "3100"}}))


def test_merged_deep_merges_and_none_removes():
    base = {"a": {"b": 1, "c": 2}, "d": 3}
    assert merged(base, {"a": {"c": 5}, "d": None}) == {"a": {"b": 1, "c": 5}}
    assert base == {"a": {"b": 1, "c": 2}, "d": 3}


@pytest.mark.parametrize("body", VARIANTS)
def test_nothing_looks_like_real_personal_data(body):
    for key, text in walk(body):
        if key in NAME_KEYS:
            assert text.startswith(SURNAME_PREFIXES), (key, text)
        if key == "first_names":
            assert text in FIRST_NAMES, text
        if key in PHONE_KEYS:
            assert FICTIONAL_PHONE.match(text), (key, text)
        if key == "street":
            assert "Fictive" in text, text
        if key == "email":
            assert text.endswith((".invalid", "exemple.fr")), text
        assert not re.search(r"(?<!\d)0[1-9](?:[ .]?\d\d){4}(?!\d)", text) or FICTIONAL_PHONE.match(text), text


def test_the_real_data_check_can_fail():
    real_looking = dossier.dossier(beneficiary={"identity": {"surname": "DUPONT"}, "phones": ["06 12 34 56 78"]})
    with pytest.raises(AssertionError):
        test_nothing_looks_like_real_personal_data(real_looking)
    with pytest.raises(AssertionError):
        test_nothing_looks_like_real_personal_data(dossier.dossier(beneficiary={"phones": ["0612345678"]}))


def test_openapi_examples_name_each_catalogued_body():
    found = openapi_examples(AttributionDecision)
    assert [e["summary"] for e in found.values()] == ["Attribution accordée", "Attribution refusée"]
    with pytest.raises(KeyError):
        openapi_examples(str)


@pytest.mark.parametrize("event", sorted(events.DATA))
def test_event_examples_are_valid_envelopes_of_their_event(event):
    producer, model = EVENTS[event]
    message = events.asyncapi_examples(event, str(producer), model)["examples"][0]
    envelope = Envelope.model_validate(message["payload"])
    assert envelope.type == ce_type(event)
    assert model.consume(envelope.data).to_wire() == model.consume(events.DATA[event][1]).to_wire()
    assert message["headers"]["cloudEvents:id"] == envelope.id


def test_an_event_without_a_written_example_or_with_a_stale_one_gets_none():
    assert events.asyncapi_examples(EventName.ALERT_RAISED, "alert", object) == {}
    _, attribution_withdrawn = EVENTS[EventName.ATTRIBUTION_WITHDRAWN]
    assert events.asyncapi_examples(EventName.REFERRAL_RECEIVED, "referral", attribution_withdrawn) == {}
