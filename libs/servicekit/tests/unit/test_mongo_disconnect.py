"""Disconnecting an alias forgets the cached collection of every document class on it,
even of two classes with the same name (mongoengine's registry keeps only one)."""

from mongoengine import Document, StringField

from tgd_servicekit.mongo import connect_database, disconnect_database


def make(alias: str) -> type[Document]:
    class SameName(Document):
        value = StringField()
        meta = {"db_alias": alias, "collection": "same"}  # noqa: RUF012

    return SameName


def test_both_same_named_classes_lose_their_collection_and_see_the_new_database():
    first, second = make("test-disconnect-a"), make("test-disconnect-b")
    connect_database("test-disconnect-a", None, "db_one")
    connect_database("test-disconnect-b", None, "db_one_b")
    first(value="kept in the first database").save()
    second(value="other").save()
    assert first._get_collection() is not None
    disconnect_database("test-disconnect-a")
    disconnect_database("test-disconnect-b")
    assert first._collection is None
    assert second._collection is None
    connect_database("test-disconnect-a", None, "db_two")
    assert first.objects.count() == 0  # the new database, not the cached old one
    disconnect_database("test-disconnect-a")
