"""The alert record's layout and its targeted updates, pure (alert.record_layout)."""

from alert.domain.routing import CENTRE
from alert.domain.routing import COMPETENT as HOME_UNIT
from alert.repository import record_layout as layout

from .fixtures import T0, new_alert


def record():
    return new_alert().model_dump(mode="json")


def test_split_and_join_give_the_record_back_and_keep_her_data_out_of_the_plain_part():
    full = record()
    personal, plain = layout.split(full)
    assert layout.join(personal, plain) == full
    assert set(personal) <= set(layout.PERSONAL)
    for text in ("EXEMPLE", "46.34", "rue Fictive"):
        assert text not in str(plain)
    assert plain["state"] == "raised"


def test_the_summary_is_the_open_lists_line_without_identity_or_position():
    line = layout.summary(record())
    assert line == {
        "alert_id": "a-1",
        "state": "raised",
        "device_id": "dev-0001",
        "jurisdiction": "tj-montlucon",
        "flags": [],
        "raised_at": line["raised_at"],
        "presses": 1,
        "acknowledged": False,
        "reopened": False,
    }


def test_only_a_centre_of_the_ladder_makes_the_line_acknowledged():
    home = {"step": HOME_UNIT, "acknowledged_at": T0.isoformat()}
    assert layout.acknowledged([home, {"step": CENTRE, "acknowledged_at": None}]) is False
    assert layout.acknowledged([home, {"step": CENTRE, "acknowledged_at": T0.isoformat()}]) is True
    assert layout.acknowledged([home]) is True  # redirected: the association alone


def stored(rec, **fields):
    return layout.stored(rec, state=rec["state"], raised_by="dev p-1", **fields)


def test_an_unchanged_record_gives_an_empty_update():
    rec = record()
    assert layout.operators(layout.changes(stored(rec), stored(rec))) == {}


def test_appended_items_are_pushed_and_changed_items_set_one_by_one():
    before = record()
    before["deliveries"] = [
        {"dispatch_id": "d-1", "step": HOME_UNIT, "acknowledged_at": None},
        {"dispatch_id": "d-2", "step": CENTRE, "acknowledged_at": None},
    ]
    after = {**before, "deliveries": [dict(d) for d in before["deliveries"]]}
    after["deliveries"][0]["acknowledged_at"] = T0.isoformat()
    after["journal"] = [*before["journal"], {"at": T0.isoformat(), "actor": "x", "kind": "acknowledged"}]
    update = layout.operators(layout.changes(stored(before), stored(after)))
    assert update["$set"]["plain.deliveries.0"]["acknowledged_at"] == T0.isoformat()
    assert "plain.deliveries" not in update["$set"]
    assert update["$push"] == {"codes": {"$each": [{"at": T0.isoformat(), "kind": "acknowledged"}]}}
    assert set(update["$set"]) == {"plain.deliveries.0"}  # the summary is unchanged (no centre)


def test_a_list_both_changed_and_grown_is_set_whole():
    before = record()
    before["deliveries"] = [{"dispatch_id": "d-1", "attempts": 1}]
    after = {**before, "deliveries": [{"dispatch_id": "d-1", "attempts": 2}, {"dispatch_id": "d-2", "attempts": 1}]}
    update = layout.changes(stored(before), stored(after))
    assert update["$set"]["plain.deliveries"] == after["deliveries"]
    assert "plain.deliveries" not in update["$push"]


def test_closing_unsets_the_unique_press_key_and_sets_other_empty_fields_to_null():
    rec = record()
    old = stored(rec, next_deadline_at=T0)
    new = {**stored({**rec, "state": "closed"}, next_deadline_at=None), "raised_by": None}
    update = layout.changes(old, new)
    assert update["$unset"] == {"raised_by": True}
    assert update["$set"]["next_deadline_at"] is None
    assert update["$set"]["plain.state"] == "closed"


def test_without_the_previous_form_every_field_is_set_and_the_old_layout_removed():
    update = layout.changes(None, {**stored(record()), "raised_by": None})
    assert {"layout", "plain", "summary", "codes", "state"} <= set(update["$set"])
    assert "personal" not in update["$set"]
    assert update["$unset"] == {"raised_by": True, "record": True}


def test_the_context_names_collection_field_and_id():
    assert layout.context("a-1") == "alerts.sealed.a-1"


def test_an_unchanged_record_makes_an_update_with_nothing_to_write_a_changed_one_does_not():
    before = layout.stored(record(), state="raised")
    assert layout.unchanged(layout.changes(before, layout.stored(record(), state="raised")))
    assert not layout.unchanged(layout.changes(before, layout.stored(record(), state="taken")))
    assert not layout.unchanged(layout.changes(None, before))  # unknown before: everything is set


def test_an_outbox_entry_built_directly_is_what_its_document_class_stores_and_reads():
    from alert.models import AlertOutboxEntry
    from alert.repository.records import outbox_entry, raw_entries
    from tgd_contracts.alert import AlertRaised
    from tgd_contracts.envelope import build_envelope
    from tgd_servicekit import crypto

    crypto.configure()
    data = AlertRaised(alert_id="a-1", device_id="dev-0001", attribution_id="att-1", raised_at=T0, flags=[])
    envelope = build_envelope(source_service="alert", event_name="alert_raised", subject="a-1", data=data)
    (direct,) = raw_entries([(envelope, "command.03.cic-03.dispatch")])
    through_class = outbox_entry(envelope, "command.03.cic-03.dispatch").to_mongo().to_dict()
    assert direct.keys() == through_class.keys()
    assert crypto.is_sealed(direct["envelope"])
    read = AlertOutboxEntry._from_son(direct)
    assert read.envelope == envelope.model_dump(mode="json")  # opens with the field's context
    assert read.routing_key == "command.03.cic-03.dispatch"
    assert (read.published, read.failed, read.attempts) == (False, False, 0)
