"""Routing, failsafe and escalation timing with an injected clock (pure functions)."""

import pytest

from alert import domain, escalation, routing
from alert.escalation import Policy
from alert.exceptions import AlertStateConflict, NotAddressed
from tgd_contracts.alert import AlertState, DispatchKind, InterventionResult, PartnerDispatch
from tgd_contracts.device import ForcesInformed
from tgd_contracts.events import EventName

from .fixtures import ASSOCIATION, COMMAND, GENDARMERIE, POLICE, T0, new_alert, seconds

POLICY = Policy(failsafe_delay=seconds(30), ack_delay=seconds(60), repeats=1)


def keys(outgoing):
    return [o.routing_key for o in outgoing]


def dispatched(**device_overrides):
    alert = new_alert(**device_overrides)
    out = routing.dispatch(alert, T0, None)
    return alert, out


def test_danger_goes_to_the_competent_force_and_the_association():
    alert, out = dispatched()
    assert alert.state == AlertState.DISPATCHED
    assert keys(out) == ["police.03.csp-montlucon.dispatch", "association.tj-montlucon.any.dispatch"]
    first = out[0].data
    assert isinstance(first, PartnerDispatch)
    assert first.position == alert.positions[-1]
    assert first.attempt == 1
    assert first.dispatch_id != out[1].data.dispatch_id


def test_without_a_known_force_the_command_centre_is_alerted_and_unknown_devices_too():
    _, out = dispatched(competent=None, other_force=None)
    assert keys(out)[0] == "command.03.any.dispatch"
    _, out = dispatched(known=False, competent=None, other_force=None, department=None, jurisdiction=None)
    assert keys(out) == ["command.unrouted.any.dispatch"]


def test_no_danger_redirects_to_the_association_only():
    alert = new_alert()
    alert.state = AlertState.TAKEN
    out = routing.redirect(alert, T0, None)
    assert alert.state == AlertState.REDIRECTED
    assert keys(out) == ["association.tj-montlucon.any.dispatch"]


def test_failsafe_fires_at_the_delay_and_not_before():
    alert = new_alert()
    assert escalation.next_deadline(alert, POLICY) == T0 + seconds(30)
    assert escalation.due_actions(alert, T0 + seconds(29.9), POLICY, None) == []
    assert alert.state == AlertState.RAISED
    out = escalation.due_actions(alert, T0 + seconds(30), POLICY, None)
    assert alert.automatic is True
    assert alert.state == AlertState.DISPATCHED
    assert keys(out) == ["police.03.csp-montlucon.dispatch", "association.tj-montlucon.any.dispatch"]
    assert all(o.data.automatic and o.data.outcome is None for o in out)
    assert any(e.kind == "failsafe" for e in alert.journal)


def test_a_taken_alert_is_left_to_its_operator_until_the_qualification_delay():
    alert = new_alert()
    domain.take(alert, "op-1", T0 + seconds(5))
    assert escalation.next_deadline(alert, POLICY) == T0 + seconds(305)
    assert escalation.due_actions(alert, T0 + seconds(304), POLICY, None) == []
    out = escalation.due_actions(alert, T0 + seconds(305), POLICY, None)  # the operator was cut off
    assert keys(out)[0] == "police.03.csp-montlucon.dispatch"
    assert alert.automatic is True


def test_a_qualified_alert_has_no_qualification_deadline():
    alert = new_alert()
    domain.take(alert, "op-1", T0)
    alert.outcome = "no_danger"
    routing.redirect(alert, T0, None)
    routing.acknowledge(alert, alert.deliveries[0].dispatch_id, alert.deliveries[0].recipient, T0)
    assert escalation.next_deadline(alert, POLICY) is None


def test_without_acknowledgement_the_dispatch_repeats_then_escalates_to_the_other_force_then_command():
    alert, _ = dispatched()
    assert escalation.next_deadline(alert, POLICY) == T0 + seconds(60)
    assert escalation.due_actions(alert, T0 + seconds(59), POLICY, None) == []

    out = escalation.due_actions(alert, T0 + seconds(60), POLICY, None)  # repeat both
    assert keys(out) == ["police.03.csp-montlucon.dispatch", "association.tj-montlucon.any.dispatch"]
    assert [o.data.attempt for o in out] == [2, 2]
    assert escalation.next_deadline(alert, POLICY) == T0 + seconds(120)

    out = escalation.due_actions(alert, T0 + seconds(120), POLICY, None)  # escalate; association is done
    assert keys(out) == ["gendarmerie.03.bta-cusset.escalation"]
    assert out[0].data.kind == DispatchKind.ESCALATION

    out = escalation.due_actions(alert, T0 + seconds(180), POLICY, None)
    assert keys(out) == ["gendarmerie.03.bta-cusset.escalation"]  # repeated once
    assert out[0].data.attempt == 2
    out = escalation.due_actions(alert, T0 + seconds(240), POLICY, None)
    assert keys(out) == ["command.03.any.escalation"]
    out = escalation.due_actions(alert, T0 + seconds(300), POLICY, None)
    assert [o.recipient for o in out] == [COMMAND]  # the command centre is repeated until someone answers
    assert out[0].data.attempt == 2


def test_escalation_skips_a_missing_other_force():
    alert, _ = dispatched(other_force=None)
    escalation.due_actions(alert, T0 + seconds(60), POLICY, None)
    out = escalation.due_actions(alert, T0 + seconds(120), POLICY, None)
    assert keys(out) == ["command.03.any.escalation"]


def test_an_acknowledgement_stops_the_force_ladder():
    alert, out = dispatched()
    police_dispatch = out[0].data.dispatch_id
    assert routing.acknowledge(alert, police_dispatch, POLICE, T0 + seconds(10))
    out = escalation.due_actions(alert, T0 + seconds(60), POLICY, None)
    assert keys(out) == ["association.tj-montlucon.any.dispatch"]  # only the association is repeated
    assert escalation.due_actions(alert, T0 + seconds(600), POLICY, None) == []
    assert escalation.next_deadline(alert, POLICY) is None


def test_a_late_acknowledgement_from_the_first_force_stops_the_escalation_too():
    alert, out = dispatched()
    police_dispatch = out[0].data.dispatch_id
    escalation.due_actions(alert, T0 + seconds(60), POLICY, None)
    escalation.due_actions(alert, T0 + seconds(120), POLICY, None)  # escalated to the gendarmerie
    routing.acknowledge(alert, police_dispatch, POLICE, T0 + seconds(130))
    assert escalation.due_actions(alert, T0 + seconds(1000), POLICY, None) == []


def test_an_acknowledgement_must_match_the_dispatch_and_its_recipient():
    alert, out = dispatched()
    police_dispatch = out[0].data.dispatch_id
    with pytest.raises(NotAddressed):
        routing.acknowledge(alert, police_dispatch, GENDARMERIE, T0)
    with pytest.raises(NotAddressed):
        routing.acknowledge(alert, "nope", POLICE, T0)
    assert all(d.acknowledged_at is None for d in alert.deliveries)
    assert routing.acknowledge(alert, police_dispatch, POLICE, T0 + seconds(1))
    assert routing.acknowledge(alert, police_dispatch, POLICE, T0 + seconds(2))  # a duplicate changes nothing
    assert alert.deliveries[0].acknowledged_at == T0 + seconds(1)


def test_the_outcome_closes_the_alert_and_tells_every_partner():
    alert, _ = dispatched()
    out = routing.report_outcome(alert, POLICE, InterventionResult.AUTHOR_ARRESTED, "Fictif.", T0 + seconds(900))
    assert alert.state == AlertState.CLOSED
    assert alert.result == InterventionResult.AUTHOR_ARRESTED
    assert keys(out) == ["police.03.csp-montlucon.closure", "association.tj-montlucon.any.closure", None]
    assert out[-1].event_name == EventName.ALERT_CLOSED
    assert escalation.next_deadline(alert, POLICY) is None
    with pytest.raises(AlertStateConflict):  # a second report is refused, the first one stands
        routing.report_outcome(alert, POLICE, InterventionResult.ON_SITE, None, T0 + seconds(901))
    assert alert.result == InterventionResult.AUTHOR_ARRESTED


def test_forces_informed_gives_the_competent_unit_and_the_other_force():
    notice = ForcesInformed.consume(
        {
            "attribution_id": "att-1",
            "device_id": "dev-1",
            "jurisdiction": "tj-montlucon",
            "competent": {"audience": "police", "department": "03", "unit_code": "csp-montlucon", "unit_name": "CSP"},
            "also_informed": [
                {"audience": "police", "department": "03", "unit_code": "ddsp-03", "unit_name": "DDSP"},
                {"audience": "gendarmerie", "department": "03", "unit_code": "BTA-Cusset", "unit_name": "BTA"},
            ],
            "acknowledged_at": "2026-01-01T00:00:00Z",
        }
    )
    facts = routing.forces_facts(notice)
    assert facts["competent"] == POLICE
    assert facts["other_force"] == GENDARMERIE
    assert facts["department"] == "03"


def test_the_association_is_addressed_by_jurisdiction():
    assert routing.association(new_alert()) == ASSOCIATION
    assert routing.association(new_alert(jurisdiction=None)) is None
