"""One attribution at a time in the device read model (pure)."""

from datetime import UTC, datetime, timedelta

from alert.domain.attributions import Holder, Step, dossier_for, informed_for_left_home, move_already_known, step

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


def test_a_dossier_is_kept_only_for_the_attribution_it_belongs_to():
    fictive = {"attribution_id": "att-1", "beneficiary": {"last_name": "Exemple"}}
    assert dossier_for(fictive, "att-1") is fictive
    assert dossier_for(fictive, "att-2") is None  # the device was given again meanwhile
    assert dossier_for({"beneficiary": {}}, "att-1") is None
    assert dossier_for(None, "att-1") is None


def test_units_informed_for_a_home_she_has_left_are_ignored():
    assert informed_for_left_home(None, None) is False  # nothing known: applied
    assert informed_for_left_home(T0, T0) is False
    assert informed_for_left_home(T0, T0 + timedelta(hours=1)) is False
    assert informed_for_left_home(T0, T0 - timedelta(seconds=1)) is True
    assert informed_for_left_home(T0, None) is True  # no home date: older than the one known


def test_a_move_replayed_or_older_than_the_home_known_changes_nothing():
    assert move_already_known(None, T0) is False
    assert move_already_known(T0, T0 + timedelta(seconds=1)) is False
    assert move_already_known(T0, T0) is True
    assert move_already_known(T0, T0 - timedelta(days=1)) is True
