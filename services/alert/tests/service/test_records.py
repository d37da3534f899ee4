# ruff: noqa: F811  (the ``service`` fixture is imported from test_service)
"""The alert record's layout on the in-memory database: her personal part sealed as one
blob (collection, field and id as associated data), the rest plain; targeted updates
with a version guard; the open list read without decrypting; the migration of the
earlier layout (sealed leaf by leaf) and the key rotation."""

from datetime import timedelta

import pytest

from alert.domain import Alert
from alert.models import AlertDocument
from alert.repository import migration, record_layout
from alert.repository.records import AlertRecords
from tgd_servicekit import crypto
from tgd_servicekit.encrypted_fields import EncryptedDictField

from .test_service import T0, provision, service, trigger  # noqa: F401  (fixture)

NOTE = "Il frappe à la porte (fictif)."


def raw(alert_id):
    return AlertDocument._get_collection().find_one({"_id": alert_id})


def dispatched(service):
    provision(service)
    alert_id = trigger(service)["alert_id"]
    service.answer_question(
        alert_id, {"operator": "op-1", "question_id": "author-present", "answer": "yes", "note": NOTE}
    )
    view = service.qualify_alert(alert_id, {"operator": "op-1", "outcome": "danger"})
    return alert_id, view


# -- one sealed blob ---------------------------------------------------------------------
def test_the_personal_part_is_one_blob_and_the_state_is_plain(service):
    alert_id, view = dispatched(service)
    doc = raw(alert_id)
    assert crypto.is_sealed(doc["sealed"])
    assert "record" not in doc
    outside = str({k: v for k, v in doc.items() if k != "sealed"})
    for personal in ("46.56", "3.33", "Il frappe", "EXEMPLE", "Rue Fictive", "author-present"):
        assert personal not in outside
    assert doc["plain"]["state"] == "dispatched"
    assert [d["step"] for d in doc["plain"]["deliveries"]] == [d["step"] for d in view["deliveries"]]
    assert doc["summary"]["jurisdiction"] == "tj-moulins"
    assert [c["kind"] for c in doc["codes"]][:2] == ["raised", "taken"]
    # every outbox envelope is one blob too
    assert all(crypto.is_sealed(entry["envelope"]) for entry in doc["outbox"])
    again = service.get_alert(alert_id)
    assert again["journal"][3]["detail"] == NOTE  # read back whole
    assert again["positions"][0]["lat"] == 46.56


def test_a_blob_moved_to_another_alert_or_opened_with_another_key_is_refused(service):
    provision(service)
    first = trigger(service)["alert_id"]
    service.close_alert(first, {"operator": "op-1"})
    service.now.now = T0 + timedelta(hours=1)
    second = trigger(service, press_id="press-2", at=T0 + timedelta(hours=1))["alert_id"]
    collection = AlertDocument._get_collection()
    collection.update_one({"_id": second}, {"$set": {"sealed": raw(first)["sealed"]}})
    with pytest.raises(crypto.DecryptionError):
        AlertRecords().get(second)
    other = crypto.KeyRing({"k-other": b"\x01" * 32}, "k-other", b"\x02" * 32)
    previous = crypto.current()
    crypto.configure(other)
    try:
        with pytest.raises(crypto.DecryptionError):
            AlertRecords().get(first)
    finally:
        crypto.configure(previous)
    assert AlertRecords().get(first)[0].alert_id == first


# -- targeted updates --------------------------------------------------------------------
class Spy:
    def __init__(self, collection):
        self.collection = collection
        self.updates = []

    def __getattr__(self, name):
        return getattr(self.collection, name)

    def update_one(self, query, update, **kwargs):
        self.updates.append(update)
        return self.collection.update_one(query, update, **kwargs)

    def replace_one(self, *args, **kwargs):  # pragma: no cover - must never be called
        raise AssertionError("a whole-record rewrite")


def test_an_acknowledgement_is_a_targeted_update_of_what_changed(service, monkeypatch):
    alert_id, view = dispatched(service)
    spy = Spy(AlertDocument._get_collection())
    monkeypatch.setattr(AlertRecords, "collection", staticmethod(lambda: spy))
    centre = view["deliveries"][0]
    service.acknowledge(alert_id, {"dispatch_id": centre["dispatch_id"], "recipient": centre["recipient"]})
    (update,) = spy.updates
    assert set(update["$set"]) == {"plain.deliveries.0", "summary", "sealed", "version"}  # the journal is sealed
    assert update["$push"] == {
        "codes": {"$each": [{"at": update["$push"]["codes"]["$each"][0]["at"], "kind": "acknowledged"}]}
    }
    assert "plain" not in update["$set"]  # never the whole plain state
    assert "outbox" not in update.get("$push", {})


def test_a_change_with_messages_pushes_them_in_the_same_update(service, monkeypatch):
    provision(service)
    alert_id = trigger(service)["alert_id"]
    spy = Spy(AlertDocument._get_collection())
    monkeypatch.setattr(AlertRecords, "collection", staticmethod(lambda: spy))
    service.qualify_alert(alert_id, {"operator": "op-1", "outcome": "danger"})
    dispatch_update = next(u for u in spy.updates if "outbox" in u.get("$push", {}))
    routing_keys = [entry["routing_key"] for entry in dispatch_update["$push"]["outbox"]["$each"]]
    assert routing_keys == [
        "command.03.cic-03.dispatch",
        "gendarmerie.03.bta-moulins.dispatch",
        "association.tj-moulins.any.dispatch",
    ]
    assert dispatch_update["$set"]["plain.state"] == "dispatched"
    assert "version" in dispatch_update["$set"]


def test_two_acknowledgements_racing_both_land(service):
    """Worker B acknowledges while worker A holds the alert it read: A's write is refused
    by the version guard, A reads again and writes its own: nothing is lost."""
    from alert.domain import routing
    from tgd_contracts.alert import Recipient

    alert_id, view = dispatched(service)
    centre, home, _ = view["deliveries"]
    ops = service.ops
    raced = []

    def ack_a(alert, now):
        if not raced:  # B lands between A's read and A's write
            raced.append(True)
            service.acknowledge(alert_id, {"dispatch_id": home["dispatch_id"], "recipient": home["recipient"]})
        routing.acknowledge(alert, centre["dispatch_id"], Recipient(**centre["recipient"]), now)
        return []

    ops.mutate(alert_id, "alert.acknowledge", ack_a)
    deliveries = service.get_alert(alert_id)["deliveries"]
    assert deliveries[0]["acknowledged_at"] is not None
    assert deliveries[1]["acknowledged_at"] is not None
    kinds = [c["kind"] for c in raw(alert_id)["codes"]]
    assert kinds.count("acknowledged") == 2
    assert raw(alert_id)["summary"]["acknowledged"] is True


def test_acknowledgements_in_concurrent_green_threads_all_land(service):
    """Every addressee at once, some twice (a redelivery): on the real store (CI runs this
    suite on it too) the writes interleave on I/O; the version guard retries the losers."""
    import eventlet

    alert_id, view = dispatched(service)
    requests = [{"dispatch_id": d["dispatch_id"], "recipient": d["recipient"]} for d in view["deliveries"]]
    pool = eventlet.GreenPool()
    for request in [*requests, *requests[:2]]:
        pool.spawn(service.acknowledge, alert_id, request)
    pool.waitall()
    assert all(d["acknowledged_at"] for d in service.get_alert(alert_id)["deliveries"])
    assert [c["kind"] for c in raw(alert_id)["codes"]].count("acknowledged") == 3  # once each


def test_an_acknowledgement_received_twice_over_amqp_is_applied_once_and_the_copy_writes_nothing(service, monkeypatch):
    """No inbox for acknowledgements: the record itself says the delivery is acknowledged,
    and an unchanged record is not written (no version bump, no write at all)."""
    from tgd_contracts.events import EventName
    from tgd_contracts.registry import event_model

    from .test_service import received

    alert_id, view = dispatched(service)
    centre = view["deliveries"][0]
    ack = event_model(EventName.PARTNER_ACKNOWLEDGED)(
        alert_id=alert_id, dispatch_id=centre["dispatch_id"], recipient=centre["recipient"], acknowledged_at=T0
    )
    event = received(EventName.PARTNER_ACKNOWLEDGED, ack, source="command-03-cic-03")
    service.on_partner_acknowledged(event)
    once = raw(alert_id)
    spy = Spy(AlertDocument._get_collection())
    monkeypatch.setattr(AlertRecords, "collection", staticmethod(lambda: spy))
    service.on_partner_acknowledged(event)  # redelivered
    assert spy.updates == []
    assert raw(alert_id) == once
    assert [c["kind"] for c in once["codes"]].count("acknowledged") == 1


def test_a_press_finds_the_devices_newest_open_alert_on_the_alerts_themselves(service):
    """No pointer document beside the alert: the open alert is read on its index, and a
    closed one is never joined."""
    from alert.repository import AlertRepository

    provision(service)
    first = trigger(service)["alert_id"]
    repo = AlertRepository()
    assert repo.open_alert_for("dev-1")[0].alert_id == first
    later = T0 + timedelta(hours=1)  # past the grouping window: a new incident, the first still open
    service.now.now = later
    second = trigger(service, press_id="press-2", at=later)["alert_id"]
    assert second != first
    assert repo.open_alert_for("dev-1")[0].alert_id == second
    service.close_alert(second, {"operator": "op-1"})
    assert repo.open_alert_for("dev-1")[0].alert_id == first
    service.close_alert(first, {"operator": "op-1"})
    assert repo.open_alert_for("dev-1") is None
    assert "open_incidents" not in AlertDocument._get_db().list_collection_names()


def test_an_alert_that_keeps_changing_gives_up_after_the_attempts_and_stores_nothing(service, monkeypatch):
    """Every write refused by the version guard: the shared algorithm reads again each
    time (tgd_servicekit.aggregate), then gives up with an error; nothing is published."""
    from tgd_servicekit.aggregate import MAX_ATTEMPTS

    alert_id, _ = dispatched(service)
    ops = service.ops
    before, attempts = raw(alert_id), []
    monkeypatch.setattr(ops.repo, "save", lambda *args: attempts.append(1) and False)
    published = len(service.events.published)
    with pytest.raises(RuntimeError, match="too many concurrent changes"):
        ops.mutate(alert_id, "alert.close", lambda a, now: routing_closed(a, now))
    assert len(attempts) == MAX_ATTEMPTS
    assert raw(alert_id) == before
    assert len(service.events.published) == published


def routing_closed(alert, now):
    from alert import domain
    from alert.domain import routing

    domain.close(alert, actor="op-fictive", result=None, now=now)
    return routing.closed_messages(alert)


# -- the open list -------------------------------------------------------------------------
def test_the_open_list_is_read_without_decrypting(service, monkeypatch):
    provision(service)
    alert_id = trigger(service)["alert_id"]
    service.now.now = T0 + timedelta(seconds=20)
    trigger(service, press_id="press-2", at=T0 + timedelta(seconds=20))

    def refuse(*args, **kwargs):
        raise AssertionError("decrypted for the open list")

    monkeypatch.setattr(crypto, "open_sealed", refuse)
    (line,) = service.list_open_alerts()["items"]
    assert (line["alert_id"], line["presses"], line["jurisdiction"], line["state"]) == (
        alert_id,
        2,
        "tj-moulins",
        "raised",
    )


# -- migration ------------------------------------------------------------------------------
def legacy(alert: Alert, version: int = 3) -> None:
    """Store ``alert`` as the earlier layout did: the record and the outbox envelopes sealed
    leaf by leaf (EncryptedDictField), no ``layout``."""
    envelope_field = EncryptedDictField()
    envelope_field.name = "envelope"
    envelope_field.owner_document = type("AlertOutboxEntry", (), {})
    doc = AlertDocument(
        alert_id=alert.alert_id,
        device_id=alert.device.device_id,
        state=alert.state.value,
        open=alert.is_open,
        raised_at=alert.raised_at,
        press_ids=[p.press_id for p in alert.presses],
        version=version,
        record=alert.model_dump(mode="json"),
    )
    son = doc.to_mongo().to_dict()
    envelope = {"id": f"ev-{alert.alert_id}", "type": "fr.tgd.alert_raised", "data": {"alert_id": alert.alert_id}}
    son["outbox"] = [
        {
            "event_id": envelope["id"],
            "envelope": envelope_field.to_mongo(envelope),
            "published": True,
            "failed": False,
            "attempts": 0,
            "created_at": alert.raised_at,
        }
    ]
    AlertDocument._get_collection().insert_one(son)


def legacy_alerts(service, count):
    provision(service)
    alerts = []
    for i in range(count):
        alert_id = trigger(service, press_id=f"press-{i}", at=T0 + timedelta(hours=i))["alert_id"]
        service.now.now = T0 + timedelta(hours=i, minutes=1)
        service.close_alert(alert_id, {"operator": "op-1"}) if i % 2 else None
        alerts.append(AlertRecords().get(alert_id)[0])
    AlertDocument._get_collection().delete_many({})
    for alert in alerts:
        legacy(alert)
    return alerts


def test_documents_of_the_earlier_layout_are_read_then_migrated_idempotently(service):
    alerts = legacy_alerts(service, 5)
    assert all("record" in raw(a.alert_id) for a in alerts)
    for alert in alerts:  # read as they are, before any migration
        assert AlertRecords().get(alert.alert_id)[0] == alert
    open_ids = {line["alert_id"] for line in service.list_open_alerts()["items"]}
    assert open_ids == {a.alert_id for a in alerts if a.is_open}

    run = migration.migrate(batch=2)
    assert (run.converted, run.remaining) == (2, 3)
    run = migration.migrate(batch=2, after=run.last)  # resumed where the first stopped
    assert run.converted == 2
    run = migration.migrate(batch=10, after=run.last)
    assert (run.converted, run.remaining, run.failed) == (1, 0, [])
    assert migration.migrate().converted == 0  # idempotent
    for alert in alerts:
        doc = raw(alert.alert_id)
        assert "record" not in doc
        assert (doc["layout"], doc["version"]) == (record_layout.LAYOUT, 4)
        assert AlertRecords().get(alert.alert_id)[0] == alert
        assert crypto.is_sealed(doc["outbox"][0]["envelope"])
        evidence = AlertRecords().evidence_of(alert.alert_id)
        assert evidence[1][0]["id"] == f"ev-{alert.alert_id}"
    assert service.list_open_alerts() == service.list_open_alerts()


def test_a_document_of_the_earlier_layout_is_converted_by_its_next_change(service):
    alerts = legacy_alerts(service, 1)
    (alert,) = alerts
    service.take_alert(alert.alert_id, {"operator": "op-2"})
    doc = raw(alert.alert_id)
    assert doc["layout"] == record_layout.LAYOUT
    assert "record" not in doc
    assert service.get_alert(alert.alert_id)["operator"] == "op-2"


def test_a_migration_racing_a_worker_leaves_the_workers_change_and_converts_later(service, monkeypatch):
    (alert,) = legacy_alerts(service, 1)
    convert = migration._convert

    def racing(document, ring):
        update = convert(document, ring)
        service.take_alert(alert.alert_id, {"operator": "op-2"})  # the worker writes first
        return update

    monkeypatch.setattr(migration, "_convert", racing)
    run = migration.migrate()
    assert run.conflicts == 1
    assert service.get_alert(alert.alert_id)["operator"] == "op-2"


def test_a_migration_racing_the_relay_keeps_the_entry_it_marked_published(service, monkeypatch):
    (alert,) = legacy_alerts(service, 1)
    AlertDocument._get_collection().update_one({"_id": alert.alert_id}, {"$set": {"outbox.0.published": False}})
    convert = migration._convert

    def racing(document, ring):
        update = convert(document, ring)
        service.alerts.mark_published(alert.alert_id, f"ev-{alert.alert_id}")  # the relay, meanwhile
        return update

    monkeypatch.setattr(migration, "_convert", racing)
    assert migration.migrate().conflicts == 1
    monkeypatch.undo()
    assert migration.migrate().converted == 1
    assert raw(alert.alert_id)["outbox"][0]["published"] is True  # never published twice


def test_rotation_reseals_blobs_and_envelopes_under_the_new_key(service):
    alert_id, _ = dispatched(service)
    old = crypto.current()
    new_key = crypto.KeyRing({**old.keys, "k-new": b"\x03" * 32}, "k-new", old.blind_index_key)
    crypto.configure(new_key)
    try:
        run = migration.migrate_all()
        assert (run.resealed, run.remaining) == (1, 0)
        doc = raw(alert_id)
        assert crypto.key_id_of(doc["sealed"]) == "k-new"
        assert {crypto.key_id_of(e["envelope"]) for e in doc["outbox"]} == {"k-new"}
        crypto.configure(crypto.KeyRing({"k-new": b"\x03" * 32}, "k-new", old.blind_index_key))  # old key gone
        assert service.get_alert(alert_id)["journal"][3]["detail"] == NOTE
        assert migration.migrate_all().resealed == 0
    finally:
        crypto.configure(old)
