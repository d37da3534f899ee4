"""EncryptedStringField on mongomock: nothing personal in the raw collection."""

import mongoengine
import pytest
from mongoengine import Document, ListField, StringField

from tgd_servicekit import crypto
from tgd_servicekit.encrypted_fields import (
    EncryptedDictField,
    EncryptedStringField,
    KeySealedDictField,
    SealedJsonField,
)
from tgd_servicekit.mongo import connect_database, disconnect_database


class Secretive(Document):
    name = EncryptedStringField(required=True)
    nicknames = ListField(EncryptedStringField())
    public = StringField()
    meta = {"db_alias": "crypto-test", "collection": "secretive"}  # noqa: RUF012


@pytest.fixture
def db():
    crypto.configure(crypto.development_keyring())
    connect_database("crypto-test", None, "crypto_test")
    yield mongoengine.get_db("crypto-test")
    disconnect_database("crypto-test")


def test_values_are_encrypted_in_the_collection_and_plain_when_loaded(db):
    doc = Secretive(name="EXEMPLE", nicknames=["Fictive", "Test"], public="tj-paris").save()
    raw = db.secretive.find_one({"_id": doc.pk})
    assert "EXEMPLE" not in str(raw)
    assert "Fictive" not in str(raw)
    assert raw["public"] == "tj-paris"
    loaded = Secretive.objects.get(pk=doc.pk)
    assert loaded.name == "EXEMPLE"
    assert loaded.nicknames == ["Fictive", "Test"]


def test_updates_are_encrypted_too(db):
    doc = Secretive(name="EXEMPLE").save()
    Secretive.objects(pk=doc.pk).update_one(set__name="AUTRE-EXEMPLE")
    assert "AUTRE-EXEMPLE" not in str(db.secretive.find_one({"_id": doc.pk}))
    assert Secretive.objects.get(pk=doc.pk).name == "AUTRE-EXEMPLE"


def test_querying_an_encrypted_field_is_refused(db):
    with pytest.raises(TypeError, match="blind index"):
        Secretive.objects(name="EXEMPLE").first()


def test_rotation_reseals_every_document_under_the_new_key_and_keeps_it_readable(db):
    import os

    from tgd_servicekit.rotation import reseal_documents, stale_key_count

    old = crypto.development_keyring()
    ids = [Secretive(name=f"EXEMPLE-{n}", nicknames=["Fictive"]).save().pk for n in range(3)]
    new_key = os.urandom(32)
    crypto.configure(crypto.KeyRing({**old.keys, "k2": new_key}, "k2", old.blind_index_key))
    assert stale_key_count(Secretive) == 3
    assert reseal_documents(Secretive) == 3
    assert stale_key_count(Secretive) == 0
    assert reseal_documents(Secretive) == 0  # idempotent
    crypto.configure(crypto.KeyRing({"k2": new_key}, "k2", old.blind_index_key))  # old key removed
    assert [Secretive.objects.get(pk=i).name for i in ids] == ["EXEMPLE-0", "EXEMPLE-1", "EXEMPLE-2"]
    assert db.secretive.find_one()["name"].startswith("enc:v1:k2:")


class Folder(Document):
    state = EncryptedDictField(required=True)
    status = StringField()
    meta = {"db_alias": "crypto-test", "collection": "folders"}  # noqa: RUF012


def test_every_string_leaf_of_an_encrypted_dict_is_sealed_and_comes_back(db):
    state = {
        "fiche": {"beneficiary": {"surname": "EXEMPLE", "phones": ["06 00 00 00 01"], "pets": True}},
        "n": 3,
        "position": {"lat": 46.34, "lon": 2.6, "note": None},
    }
    doc = Folder(state=state, status="active").save()
    raw = db.folders.find_one({"_id": doc.pk})
    assert "EXEMPLE" not in str(raw)
    assert "06 00 00 00 01" not in str(raw)
    assert "46.34" not in str(raw)  # numbers are personal too (positions): sealed, typed back
    assert set(raw["state"]) == {"fiche", "n", "position"}  # the structure stays plain
    assert Folder.objects.get(pk=doc.pk).state == state
    Folder.objects(pk=doc.pk).update_one(set__state={**state, "n": 4})
    assert "EXEMPLE" not in str(db.folders.find_one({"_id": doc.pk}))
    assert Folder.objects.get(pk=doc.pk).state["n"] == 4


def test_a_sealed_leaf_moved_to_another_path_does_not_open(db):
    doc = Folder(state={"a": "EXEMPLE", "b": "x"}).save()
    raw = db.folders.find_one({"_id": doc.pk})
    db.folders.update_one({"_id": doc.pk}, {"$set": {"state.b": raw["state"]["a"]}})
    with pytest.raises(Exception, match="authentication failed"):  # mongoengine wraps the DecryptionError
        Folder.objects.get(pk=doc.pk)


def test_updating_one_key_of_an_encrypted_dict_seals_it_at_its_path(db):
    doc = Folder(state={"device_id": "dev-1"}).save()
    Folder.objects(pk=doc.pk).update_one(
        set__state__dossier={"surname": "EXEMPLE", "lat": 46.34}, set__state__active=True
    )
    raw = str(db.folders.find_one({"_id": doc.pk}))
    assert "EXEMPLE" not in raw
    assert "46.34" not in raw
    assert Folder.objects.get(pk=doc.pk).state == {
        "device_id": "dev-1",
        "dossier": {"surname": "EXEMPLE", "lat": 46.34},
        "active": True,
    }
    with pytest.raises(TypeError, match="encrypted"):
        Folder.objects(state__active=True).first()


class Envelope(Document):
    body = SealedJsonField(required=True)
    meta = {"db_alias": "crypto-test", "collection": "envelopes"}  # noqa: RUF012


BODY = {"data": {"surname": "EXEMPLE", "lat": 46.34, "flags": [True, None]}, "id": "ev-1"}


def test_a_sealed_json_field_is_one_blob_and_comes_back_typed(db):
    doc = Envelope(body=BODY).save()
    raw = db.envelopes.find_one({"_id": doc.pk})
    assert crypto.is_sealed(raw["body"])
    assert "EXEMPLE" not in str(raw)
    assert Envelope.objects.get(pk=doc.pk).body == BODY


def test_a_sealed_json_field_reads_a_value_sealed_leaf_by_leaf(db):
    leaf = EncryptedDictField()  # the earlier layout of the same field
    leaf.name, leaf.owner_document = "body", Envelope
    sealed_leaves = leaf.to_mongo(BODY)
    assert crypto.is_sealed(sealed_leaves["data"]["surname"])
    legacy_id = db.envelopes.insert_one({"body": sealed_leaves}).inserted_id
    assert Envelope.objects.get(pk=legacy_id).body == BODY


def test_a_blob_opens_only_with_its_context_and_a_configured_key():
    ring = crypto.development_keyring()
    token = crypto.seal_json(ring, BODY, "alerts.sealed.a-1")
    assert crypto.open_json(ring, token, "alerts.sealed.a-1") == BODY
    with pytest.raises(crypto.DecryptionError, match="authentication failed"):
        crypto.open_json(ring, token, "alerts.sealed.a-2")  # the blob of another document
    other = crypto.KeyRing({crypto.DEVELOPMENT_KEY_ID: b"\x07" * 32}, crypto.DEVELOPMENT_KEY_ID, b"\x08" * 32)
    with pytest.raises(crypto.DecryptionError, match="authentication failed"):
        crypto.open_json(other, token, "alerts.sealed.a-1")  # same key id, another key
    missing = crypto.KeyRing({"k9": b"\x07" * 32}, "k9", b"\x08" * 32)
    with pytest.raises(crypto.DecryptionError, match="not configured"):
        crypto.open_json(missing, token, "alerts.sealed.a-1")


class Facts(Document):
    facts = KeySealedDictField(required=True)
    meta = {"db_alias": "crypto-test", "collection": "facts"}  # noqa: RUF012


def test_each_key_of_a_key_sealed_dict_is_one_blob_and_one_key_updates_alone(db):
    facts = {"dossier": {"surname": "EXEMPLE", "lat": 46.34}, "active": True, "unit": None}
    doc = Facts(facts=facts).save()
    raw = db.facts.find_one({"_id": doc.pk})["facts"]
    assert crypto.is_sealed(raw["dossier"])  # the whole dossier: one blob
    assert crypto.is_sealed(raw["active"])
    assert raw["unit"] is None
    assert "EXEMPLE" not in str(raw)
    assert Facts.objects.get(pk=doc.pk).facts == facts
    Facts.objects(pk=doc.pk).update_one(set__facts__dossier={"surname": "AUTRE-EXEMPLE"}, set__facts__active=False)
    assert "AUTRE-EXEMPLE" not in str(db.facts.find_one({"_id": doc.pk}))
    assert Facts.objects.get(pk=doc.pk).facts == {
        "dossier": {"surname": "AUTRE-EXEMPLE"},
        "active": False,
        "unit": None,
    }


def test_a_key_sealed_dict_reads_values_sealed_leaf_by_leaf_and_refuses_a_moved_blob(db):
    leaf = EncryptedDictField()  # the earlier layout of the same field
    leaf.name, leaf.owner_document = "facts", Facts
    legacy = {"dossier": {"surname": "EXEMPLE", "first_names": ["Fictive"]}, "active": True, "unit": None}
    legacy_id = db.facts.insert_one({"facts": leaf.to_mongo(legacy)}).inserted_id
    assert Facts.objects.get(pk=legacy_id).facts == legacy
    Facts.objects(pk=legacy_id).update_one(set__facts__active=False)  # one key rewritten: the rest as it was
    assert Facts.objects.get(pk=legacy_id).facts == {**legacy, "active": False}
    raw = db.facts.find_one({"_id": legacy_id})["facts"]
    db.facts.update_one({"_id": legacy_id}, {"$set": {"facts.unit": raw["active"]}})
    with pytest.raises(Exception, match="authentication failed"):
        Facts.objects.get(pk=legacy_id)
