"""A press is never silenced; only an addressee acknowledges or reports; a test call
counts (pure rules, injected clock)."""

import pytest

from alert import domain
from alert.dependencies import load_script
from alert.domain import escalation, presses, routing
from alert.domain.escalation import Policy
from alert.domain.qualified_test_calls import messages_for_test_call
from alert.exceptions import AlertStateConflict, NotAddressed
from tgd_contracts.alert import AlertState, DispatchKind, InterventionResult, QualificationOutcome, Recipient
from tgd_contracts.events import EventName

from .fixtures import ASSOCIATION, POLICE, T0, device, new_alert, position, sample_dossier, seconds, territory

POLICY = Policy(failsafe_delay=seconds(30), ack_delay=seconds(60), repeats=1)
WHERE = territory()
CENTRE = "command.03.cic-03"  # the CIC of the Allier in the sample directory


def script():
    return load_script(None)


def press(alert, n, at, pos=None, dossier=None):
    return presses.on_press(alert, press_id=f"p-{n}", triggered_at=at, position=pos, now=at, dossier=dossier)


def redirected(at=T0):
    alert = new_alert(at)
    domain.qualify(alert, script(), operator="op-1", outcome=QualificationOutcome.NO_DANGER, note=None, now=at)
    routing.after_qualification(alert, at, None, WHERE)
    assert alert.state == AlertState.REDIRECTED
    return alert


# -- re-press after "no danger" ------------------------------------------------------
def test_a_press_after_no_danger_reopens_the_incident_with_the_failsafe_clock_restarted():
    alert = redirected()
    assert escalation.next_deadline(alert, POLICY) != T0 + seconds(30)  # only the association's repeat
    out = press(alert, 2, T0 + seconds(100))
    assert out == []
    assert alert.state == AlertState.RAISED
    assert alert.reopened_at == T0 + seconds(100)
    assert alert.outcome is None
    assert alert.operator is None
    assert escalation.next_deadline(alert, POLICY) == T0 + seconds(130)
    assert [e.kind for e in alert.journal][-2:] == ["press-joined", "reopened"]


def test_a_reopened_incident_can_be_qualified_as_danger_by_an_operator():
    alert = redirected()
    press(alert, 2, T0 + seconds(100))
    now = T0 + seconds(110)
    domain.qualify(alert, script(), operator="op-2", outcome=QualificationOutcome.DANGER, note=None, now=now)
    out = routing.after_qualification(alert, now, None, WHERE)
    assert alert.state == AlertState.DISPATCHED
    assert alert.operator == "op-2"
    assert [o.routing_key for o in out] == [
        f"{CENTRE}.dispatch",
        "police.03.csp-montlucon.dispatch",
        "association.tj-montlucon.any.dispatch",
    ]


def test_a_reopened_incident_nobody_takes_is_dispatched_by_the_failsafe_from_the_new_press():
    alert = redirected()
    press(alert, 2, T0 + seconds(100))
    assert escalation.due_actions(alert, T0 + seconds(129), POLICY, None, WHERE) == []  # not from the first press
    out = escalation.due_actions(alert, T0 + seconds(130), POLICY, None, WHERE)
    assert alert.state == AlertState.DISPATCHED
    assert alert.automatic
    assert out[0].routing_key == f"{CENTRE}.dispatch"
    assert out[0].data.automatic is True


def test_presses_while_raised_or_taken_only_join():
    alert = new_alert()
    assert press(alert, 2, T0 + seconds(5)) == []
    assert alert.state == AlertState.RAISED
    assert alert.reopened_at is None
    assert len(alert.presses) == 2


# -- re-press on a dispatched incident ------------------------------------------------
def dispatched_alert():
    alert = new_alert()
    routing.dispatch(alert, T0, None, WHERE)
    return alert


def test_a_press_on_a_dispatched_incident_goes_at_once_to_every_force_already_alerted():
    alert = dispatched_alert()
    escalation.due_actions(alert, T0 + seconds(60), POLICY, None, WHERE)  # repeat to the centre
    escalation.due_actions(alert, T0 + seconds(120), POLICY, None, WHERE)  # escalated to its backup
    forces = {d.recipient for d in alert.deliveries if d.recipient.audience != "association"}
    assert len(forces) == 3  # the centre, its backup, her home's unit
    at = T0 + seconds(150)
    out = press(alert, 2, at, position(at))
    assert {o.recipient for o in out} == forces
    assert ASSOCIATION not in {o.recipient for o in out}
    for o in out:
        assert o.data.kind == DispatchKind.PRESS
        assert o.data.pressed_at == at
        delivery = next(d for d in reversed(alert.deliveries) if d.recipient == o.recipient)
        assert o.data.dispatch_id == delivery.dispatch_id  # acknowledged like the delivery it follows
    assert alert.state == AlertState.DISPATCHED
    assert alert.journal[-1].kind == "press-forwarded"


def test_the_forwarded_press_carries_her_latest_position_only_with_her_consent():
    alert = dispatched_alert()
    at = T0 + seconds(20)
    latest = position(at)
    (with_consent,) = [o for o in press(alert, 2, at, latest, sample_dossier(True)) if o.recipient == POLICE]
    assert with_consent.data.position == latest
    (without,) = [o for o in press(alert, 3, at, latest, sample_dossier(False)) if o.recipient == POLICE]
    assert without.data.position is None
    (unknown,) = [o for o in press(alert, 4, at, latest, None) if o.recipient == POLICE]
    assert unknown.data.position is None  # no dossier: nothing says she consented


# -- only an addressee ------------------------------------------------------------------
STRANGER = Recipient(audience="police", territory="75", unit="csp-paris-15")


def test_an_acknowledgement_from_a_recipient_never_addressed_is_refused_and_changes_nothing():
    alert = dispatched_alert()
    police = next(d for d in alert.deliveries if d.recipient == POLICE)
    before = alert.model_copy(deep=True)
    with pytest.raises(NotAddressed):
        routing.acknowledge(alert, police.dispatch_id, STRANGER, T0 + seconds(5))
    assoc = next(d for d in alert.deliveries if d.recipient == ASSOCIATION)
    with pytest.raises(NotAddressed):  # an addressee naming another's dispatch id
        routing.acknowledge(alert, assoc.dispatch_id, POLICE, T0 + seconds(5))
    assert alert == before
    assert routing.acknowledge(alert, police.dispatch_id, POLICE, T0 + seconds(5)) is True


def test_an_outcome_only_from_a_force_addressed_and_never_twice():
    alert = dispatched_alert()
    before = alert.model_copy(deep=True)
    for stranger in (STRANGER, ASSOCIATION):
        with pytest.raises(NotAddressed):
            routing.report_outcome(alert, stranger, InterventionResult.ON_SITE, None, T0 + seconds(5))
    assert alert == before
    out = routing.report_outcome(alert, POLICE, InterventionResult.AUTHOR_ARRESTED, None, T0 + seconds(9))
    assert alert.state == AlertState.CLOSED
    assert out
    closed = alert.model_copy(deep=True)
    with pytest.raises(AlertStateConflict):
        routing.report_outcome(alert, POLICE, InterventionResult.ON_SITE, None, T0 + seconds(12))
    assert alert == closed


# -- test calls and flags ----------------------------------------------------------------
def test_a_test_call_on_the_alert_key_emits_the_event_the_device_service_counts():
    alert = new_alert()
    now = T0 + seconds(40)
    domain.qualify(alert, script(), operator="op-1", outcome=QualificationOutcome.TEST_CALL, note=None, now=now)
    (out,) = messages_for_test_call(alert, now)
    assert out.event_name == EventName.ALERT_TEST_CALL
    assert out.recipient is None
    assert (out.data.device_id, out.data.attribution_id) == ("dev-0001", "att-0001")
    assert out.data.called_at == T0
    assert out.data.qualified_at == now
    assert alert.state == AlertState.CLOSED


def test_an_accidental_press_or_an_unattributed_device_emits_no_test_call():
    alert = new_alert()
    domain.qualify(alert, script(), operator="op-1", outcome=QualificationOutcome.ACCIDENTAL, note=None, now=T0)
    assert messages_for_test_call(alert, T0) == []
    unknown = new_alert(known=False, attribution_id=None)
    domain.qualify(unknown, script(), operator="op-1", outcome=QualificationOutcome.TEST_CALL, note=None, now=T0)
    assert messages_for_test_call(unknown, T0) == []


def test_a_returned_device_is_flagged_and_its_old_incident_is_not_joined_by_another_attribution():
    returned = device(active=False, returned_at=T0)
    assert domain.device_flags(returned) == [domain.INACTIVE_DEVICE, domain.RETURNED_DEVICE]
    alert = new_alert()
    window = seconds(600)
    assert domain.joins_open_incident(alert, T0 + seconds(5), window, device())
    assert not domain.joins_open_incident(alert, T0 + seconds(5), window, device(attribution_id="att-0002"))
