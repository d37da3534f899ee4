"""The shared document fields: stored under their own names beside the service's, and
read back as an aggregate and as evidence."""

from datetime import UTC, datetime

import mongoengine
import pytest
from mongoengine import StringField
from pydantic import BaseModel

from tgd_contracts.envelope import build_envelope
from tgd_contracts.referral import ProfessionalKind, ReferralReceived, Urgency
from tgd_servicekit import crypto
from tgd_servicekit.documents import StoredAggregate, WithOutbox, load_state, stored_evidence
from tgd_servicekit.encrypted_fields import EncryptedDictField
from tgd_servicekit.mongo import connect_database, disconnect_database
from tgd_servicekit.outbox import outbox_entry

ALIAS = "documents-test"
T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


class Case(BaseModel):
    case_id: str
    status: str


class CaseDocument(StoredAggregate):
    case_id = StringField(primary_key=True)
    state = EncryptedDictField(required=True)
    meta = {"db_alias": ALIAS, "collection": "cases", "indexes": ["next_deadline_at"]}  # noqa: RUF012


class NoteDocument(WithOutbox):
    note_id = StringField(primary_key=True)
    meta = {"db_alias": ALIAS, "collection": "notes"}  # noqa: RUF012


@pytest.fixture
def db():
    crypto.configure(crypto.development_keyring())
    connect_database(ALIAS, None, "documents_test")
    yield mongoengine.get_db(ALIAS)
    mongoengine.get_connection(ALIAS).drop_database("documents_test")
    disconnect_database(ALIAS)


def envelope():
    data = ReferralReceived(
        referral_id="r1",
        jurisdiction="tj-paris",
        urgency=Urgency.URGENT,
        referrer_kind=ProfessionalKind.OTHER,
        received_at=T0,
    )
    return build_envelope(source_service="referral", event_name="referral_received", subject="r1", data=data)


def test_the_shared_fields_are_stored_under_their_names_without_a_class_marker(db):
    sent = envelope()
    CaseDocument(case_id="c1", state={"case_id": "c1", "status": "open"}, next_deadline_at=T0, version=3).save()
    CaseDocument.objects(case_id="c1").update_one(push__outbox=outbox_entry(sent))
    raw = db.cases.find_one({"_id": "c1"})
    assert set(raw) == {"_id", "state", "next_deadline_at", "version", "outbox"}
    assert raw["outbox"][0]["event_id"] == sent.id
    assert raw["state"]["status"] != "open"  # sealed by the service's own field


def test_a_sealed_state_is_bound_to_the_document_that_declares_it(db):
    assert CaseDocument._fields["state"]._context() == "CaseDocument.state"


def test_an_aggregate_is_loaded_with_its_version_and_read_as_evidence(db):
    sent = envelope()
    CaseDocument(case_id="c1", state={"case_id": "c1", "status": "open"}, version=3, outbox=[outbox_entry(sent)]).save()
    assert load_state(CaseDocument, Case, case_id="c1") == (Case(case_id="c1", status="open"), 3)
    state, envelopes = stored_evidence(CaseDocument, case_id="c1")
    assert state == {"case_id": "c1", "status": "open"}
    assert [e["id"] for e in envelopes] == [sent.id]


def test_a_missing_aggregate_is_none(db):
    assert load_state(CaseDocument, Case, case_id="nope") is None
    assert stored_evidence(CaseDocument, case_id="nope") is None


def test_an_outbox_alone_adds_no_deadline_nor_version(db):
    NoteDocument(note_id="n1").save()
    assert set(db.notes.find_one({"_id": "n1"})) == {"_id", "outbox"}
