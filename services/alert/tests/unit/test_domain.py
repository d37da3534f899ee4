"""Alert rules without I/O: trigger, grouping, qualification, journal."""

import pytest

from alert import domain
from alert.domain.script import Script
from alert.exceptions import AlertStateConflict, UnknownQuestion
from tgd_contracts.alert import AlertState, QualificationOutcome

from .fixtures import T0, device, new_alert, position, seconds

SCRIPT = Script.from_mapping(
    {
        "questions": [
            {"id": "can-talk", "text": "?", "answers": ["yes", "no"], "danger_if": ["no"]},
            {"id": "author-present", "text": "?", "answers": ["yes", "no", "unknown"], "danger_if": ["yes"]},
            {"id": "at-home", "text": "?", "answers": ["yes", "no"]},
        ]
    }
)


def test_a_press_raises_an_alert_with_its_position_and_a_journal_line():
    alert = new_alert()
    assert alert.state == AlertState.RAISED
    assert alert.flags == []
    assert [p.press_id for p in alert.presses] == ["p-1"]
    assert alert.positions == [position()]
    assert [(e.kind, e.at) for e in alert.journal] == [("raised", T0)]


@pytest.mark.parametrize(
    ("facts", "flags"),
    [({"known": False}, ["unknown_device"]), ({"active": False}, ["inactive_device"]), ({}, [])],
)
def test_unknown_and_inactive_devices_are_flagged_not_refused(facts, flags):
    alert = new_alert(**facts)
    assert alert.flags == flags
    assert alert.state == AlertState.RAISED


def test_a_press_within_the_window_joins_the_open_incident():
    alert = new_alert()
    window = seconds(600)
    assert domain.joins_open_incident(alert, T0 + seconds(599), window)
    assert domain.joins_open_incident(alert, T0 + seconds(600), window)
    assert not domain.joins_open_incident(alert, T0 + seconds(601), window)
    assert not domain.joins_open_incident(None, T0, window)


def test_the_window_runs_from_the_last_press_and_every_press_is_recorded():
    alert = new_alert()
    domain.join_press(alert, press_id="p-2", triggered_at=T0 + seconds(500), position=None, now=T0 + seconds(500))
    assert domain.joins_open_incident(alert, T0 + seconds(1000), seconds(600))
    assert [p.press_id for p in alert.presses] == ["p-1", "p-2"]
    assert domain.already_recorded(alert, "p-2")
    assert not domain.already_recorded(alert, "p-3")


def test_a_closed_incident_is_never_joined():
    alert = new_alert()
    domain.close(alert, actor="op-1", result=None, now=T0 + seconds(5))
    assert not domain.joins_open_incident(alert, T0 + seconds(6), seconds(600))


def test_answers_take_the_alert_and_are_journaled_with_what_was_said():
    alert = new_alert()
    domain.answer(
        alert, SCRIPT, operator="op-1", question_id="can-talk", value="no", note="Chuchote.", now=T0 + seconds(3)
    )
    assert alert.state == AlertState.TAKEN
    assert alert.operator == "op-1"
    assert alert.answers == {"can-talk": "no"}
    kinds = [(e.kind, e.actor, e.detail) for e in alert.journal]
    assert ("answer", "op-1", "can-talk=no") in kinds
    assert ("conversation", "op-1", "Chuchote.") in kinds


def test_unknown_questions_and_answers_are_refused():
    alert = new_alert()
    with pytest.raises(UnknownQuestion):
        domain.answer(alert, SCRIPT, operator="op", question_id="nope", value="yes", note=None, now=T0)
    with pytest.raises(UnknownQuestion):
        domain.answer(alert, SCRIPT, operator="op", question_id="can-talk", value="maybe", note=None, now=T0)


def test_the_script_suggests_danger_from_any_danger_answer():
    assert domain.suggested_outcome(SCRIPT, {}) is None
    assert domain.suggested_outcome(SCRIPT, {"can-talk": "yes", "at-home": "no"}) is None
    assert domain.suggested_outcome(SCRIPT, {"can-talk": "yes", "author-present": "yes"}) == "danger"


def test_a_decision_against_the_suggestion_is_recorded_as_such():
    alert = new_alert()
    domain.answer(alert, SCRIPT, operator="op", question_id="author-present", value="yes", note=None, now=T0)
    domain.qualify(alert, SCRIPT, operator="op", outcome=QualificationOutcome.NO_DANGER, note=None, now=T0)
    assert alert.journal[-1].detail == "no_danger (script suggested danger)"


@pytest.mark.parametrize("outcome", [QualificationOutcome.TEST_CALL, QualificationOutcome.ACCIDENTAL])
def test_test_calls_and_accidental_presses_close_the_alert(outcome):
    alert = new_alert()
    domain.qualify(alert, SCRIPT, operator="op", outcome=outcome, note=None, now=T0 + seconds(9))
    assert alert.state == AlertState.CLOSED
    assert alert.closed_at == T0 + seconds(9)
    assert alert.outcome == outcome


def test_an_alert_is_qualified_once_and_taken_by_one_operator():
    alert = new_alert()
    domain.take(alert, "op-1", T0)
    domain.take(alert, "op-1", T0)  # idempotent for the same operator
    with pytest.raises(AlertStateConflict):
        domain.take(alert, "op-2", T0)
    domain.qualify(alert, SCRIPT, operator="op-1", outcome=QualificationOutcome.TEST_CALL, note=None, now=T0)
    with pytest.raises(AlertStateConflict):
        domain.qualify(alert, SCRIPT, operator="op-1", outcome=QualificationOutcome.DANGER, note=None, now=T0)
    with pytest.raises(AlertStateConflict):
        domain.close(alert, actor="op-1", result=None, now=T0)


def test_scripts_are_validated():
    with pytest.raises(ValueError, match="distinct"):
        Script.from_mapping({"questions": [{"id": "a", "text": "?", "answers": ["y"]}] * 2})
    with pytest.raises(ValueError, match="danger_if"):
        Script.from_mapping({"questions": [{"id": "a", "text": "?", "answers": ["y"], "danger_if": ["n"]}]})


def test_the_packaged_script_loads():
    from alert.dependencies import load_script

    script = load_script(None)
    assert script.question("can-talk").answers == ("yes", "no", "no-answer")


def test_device_facts_default_to_unknown():
    assert domain.device_flags(device(known=False, active=False)) == ["unknown_device"]
