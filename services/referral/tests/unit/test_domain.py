"""Referral rules, without I/O."""

from datetime import UTC, datetime

import pytest

from referral import domain
from referral.exceptions import IdempotencyKeyReused, InvalidRequest, UnknownJurisdiction
from tgd_contracts.referral import ReferralSubmission, Urgency

NOW = datetime(2026, 3, 4, 5, 6, 7, 891234, tzinfo=UTC)


def submission(**overrides) -> ReferralSubmission:
    body = {
        "referrer": {"kind": "police_investigator", "organisation": "Commissariat Fictif"},
        "victim": {"surname": "EXEMPLE", "first_names": ["Personne", "Fictive"]},
        "facts": "Faits fictifs utilisés uniquement pour les tests.",
        "urgency": "urgent",
        "jurisdiction": "tj-cusset",
    }
    body.update(overrides)
    return ReferralSubmission.model_validate(body)


def test_receive_records_a_received_referral_with_the_millisecond_time():
    referral = domain.receive(submission(), now=NOW, referral_id="abc")
    assert referral.status == "received"
    assert referral.received_at == NOW.replace(microsecond=891000)
    assert referral.victim.first_names == ["Personne", "Fictive"]


def test_receive_refuses_an_unknown_jurisdiction():
    with pytest.raises(UnknownJurisdiction):
        domain.receive(submission(jurisdiction="tj-atlantis"), now=NOW, referral_id="abc")


def test_the_event_carries_routing_facts_and_no_identity():
    referral = domain.receive(submission(), now=NOW, referral_id="abc")
    event = domain.received_event(referral).to_wire()
    assert event["referral_id"] == "abc"
    assert event["urgency"] == "urgent"
    assert "EXEMPLE" not in str(event)
    assert "victim" not in event


@pytest.mark.parametrize("key", ["k3y-0001", "a" * 128, "client:2026.01_x"])
def test_well_formed_idempotency_keys(key):
    assert domain.check_idempotency_key(key) == key


@pytest.mark.parametrize("key", [None, 12345678, "short", "a" * 129, "has space1", "ünïcode-key"])
def test_malformed_idempotency_keys(key):
    with pytest.raises(InvalidRequest):
        domain.check_idempotency_key(key)


def test_fingerprint_is_stable_and_sensitive_to_content():
    assert domain.fingerprint(submission()) == domain.fingerprint(submission())
    assert domain.fingerprint(submission()) != domain.fingerprint(submission(urgency="standard"))


def test_a_new_key_is_new_a_same_body_is_a_replay_another_body_is_refused():
    assert domain.classify_submission(None, "f1") is domain.Submission.NEW
    assert domain.classify_submission("f1", "f1") is domain.Submission.REPLAY
    with pytest.raises(IdempotencyKeyReused):
        domain.classify_submission("f1", "f2")


def test_list_filter_maps_urgent_flag_to_urgency():
    assert domain.list_filter("tj-paris", True, 10, 0).urgency is Urgency.URGENT
    assert domain.list_filter("tj-paris", False, 10, 0).urgency is Urgency.STANDARD
    assert domain.list_filter("tj-paris", None, 10, 0).urgency is None


def test_list_filter_refuses_an_unknown_jurisdiction():
    with pytest.raises(UnknownJurisdiction):
        domain.list_filter("tj-nowhere", None, 10, 0)


@pytest.mark.parametrize("role", ["association", "prosecutor"])
def test_the_association_and_the_parquet_read_the_submitted_referral_in_full(role):
    stored = domain.receive(submission(), now=NOW, referral_id="abc").to_wire()
    view = domain.view_for(stored, role)
    assert view == {**stored, "view": "record"}


@pytest.mark.parametrize("role", ["referrer", "police", "gendarmerie", "spip"])
def test_any_other_sender_gets_a_receipt_without_identity(role):
    stored = domain.receive(submission(), now=NOW, referral_id="abc").to_wire()
    view = domain.view_for(stored, role)
    assert view == {
        "id": "abc",
        "status": "received",
        "received_at": stored["received_at"],
        "urgency": "urgent",
        "jurisdiction": "tj-cusset",
        "referrer_kind": "police_investigator",
        "view": "receipt",
    }
    assert "EXEMPLE" not in str(view)
