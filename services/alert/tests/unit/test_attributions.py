"""One attribution at a time in the device read model (pure)."""

from datetime import UTC, datetime, timedelta

from alert.domain.attributions import Holder, Step, step

T0 = datetime(2026, 6, 1, tzinfo=UTC)


def test_the_first_events_and_those_of_the_current_attribution_update():
    assert step(Holder(), "att-1") == Step.UPDATE
    assert step(Holder("att-1", T0), "att-1") == Step.UPDATE
    assert step(Holder("att-1", T0), "att-1", T0) == Step.UPDATE


def test_a_new_attribution_replaces_an_ended_one_whatever_its_events_order():
    ended = Holder("att-1", T0, frozenset({"att-1"}))
    assert step(ended, "att-2") == Step.REPLACE  # forces_informed before device_provisioned
    assert step(ended, "att-2", T0 + timedelta(days=9)) == Step.REPLACE


def test_late_events_of_an_ended_attribution_and_older_provisionings_are_ignored():
    assert step(Holder("att-2", T0, frozenset({"att-1"})), "att-1") == Step.IGNORE
    assert step(Holder("att-2", T0, frozenset({"att-1"})), "att-1", T0 - timedelta(days=1)) == Step.IGNORE
    assert step(Holder("att-2", T0), "att-1", T0 - timedelta(days=1)) == Step.IGNORE


def test_a_newer_provisioning_replaces_even_before_the_return_is_seen():
    assert step(Holder("att-1", T0), "att-2", T0 + timedelta(days=1)) == Step.REPLACE
    assert step(Holder("att-1", None), "att-2", T0) == Step.REPLACE


def test_another_attribution_that_cannot_be_placed_yet_waits():
    assert step(Holder("att-1", T0), "att-2") == Step.WAIT
