"""Routing, failsafe and escalation timing with an injected clock (pure functions).
Where she is, her consent and the directory's centres: test_territory.py."""

import pytest

from alert import domain
from alert.domain import escalation, routing
from alert.domain.escalation import Policy
from alert.exceptions import AlertStateConflict, NotAddressed
from tgd_contracts.alert import AlertState, DispatchKind, InterventionResult, PartnerDispatch
from tgd_contracts.device import ForcesInformed
from tgd_contracts.events import EventName

from .fixtures import ASSOCIATION, GENDARMERIE, POLICE, T0, new_alert, seconds, territory

POLICY = Policy(failsafe_delay=seconds(30), ack_delay=seconds(60), repeats=1)
WHERE = territory()
CENTRE = "command.03.cic-03"  # the CIC of the Allier (she is near Montluçon, police zone)
BACKUP = "command.03.cic-63"  # its backup named by the directory


def keys(outgoing):
    return [o.routing_key for o in outgoing]


def due(alert, at):
    return escalation.due_actions(alert, at, POLICY, None, WHERE)


def dispatched(**device_overrides):
    alert = new_alert(**device_overrides)
    out = routing.dispatch(alert, T0, None, WHERE)
    return alert, out


def test_danger_goes_to_the_centre_where_she_is_her_home_unit_and_the_association():
    alert, out = dispatched()
    assert alert.state == AlertState.DISPATCHED
    assert keys(out) == [
        f"{CENTRE}.dispatch",
        "police.03.csp-montlucon.dispatch",
        "association.tj-montlucon.any.dispatch",
    ]
    first = out[0].data
    assert isinstance(first, PartnerDispatch)
    assert first.position == alert.positions[-1]
    assert first.attempt == 1
    assert len({o.data.dispatch_id for o in out}) == 3
    assert alert.deliveries[0].name == "CIC fictif de l'Allier"
    assert alert.deliveries[0].phone == "01 99 00 03 17"


def test_without_any_centre_or_force_known_the_command_queue_is_alerted():
    _, out = dispatched(known=False, competent=None, other_force=None, department=None, jurisdiction=None, pos=None)
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
    assert due(alert, T0 + seconds(29.9)) == []
    assert alert.state == AlertState.RAISED
    out = due(alert, T0 + seconds(30))
    assert alert.automatic is True
    assert alert.state == AlertState.DISPATCHED
    assert keys(out)[0] == f"{CENTRE}.dispatch"
    assert all(o.data.automatic and o.data.outcome is None for o in out)
    assert any(e.kind == "failsafe" for e in alert.journal)


def test_a_taken_alert_is_left_to_its_operator_until_the_qualification_delay():
    alert = new_alert()
    domain.take(alert, "op-1", T0 + seconds(5))
    assert escalation.next_deadline(alert, POLICY) == T0 + seconds(305)
    assert due(alert, T0 + seconds(304)) == []
    out = due(alert, T0 + seconds(305))  # the operator was cut off
    assert keys(out)[0] == f"{CENTRE}.dispatch"
    assert alert.automatic is True


def test_a_qualified_alert_has_no_qualification_deadline():
    alert = new_alert()
    domain.take(alert, "op-1", T0)
    alert.outcome = "no_danger"
    routing.redirect(alert, T0, None)
    routing.acknowledge(alert, alert.deliveries[0].dispatch_id, alert.deliveries[0].recipient, T0)
    assert escalation.next_deadline(alert, POLICY) is None


def test_without_acknowledgement_the_directory_ladder_is_walked_centre_repeat_backup():
    alert, _ = dispatched()
    assert escalation.next_deadline(alert, POLICY) == T0 + seconds(60)
    assert due(alert, T0 + seconds(59)) == []

    out = due(alert, T0 + seconds(60))  # rung 2: the centre again; the follow-ups repeated once
    assert keys(out) == [
        f"{CENTRE}.dispatch",
        "police.03.csp-montlucon.dispatch",
        "association.tj-montlucon.any.dispatch",
    ]
    assert [o.data.attempt for o in out] == [2, 2, 2]
    assert escalation.next_deadline(alert, POLICY) == T0 + seconds(120)

    out = due(alert, T0 + seconds(120))  # rung 3: the backup centre; the follow-ups are done
    assert keys(out) == [f"{BACKUP}.escalation"]
    assert out[0].data.kind == DispatchKind.ESCALATION
    assert alert.deliveries[-1].phone == "01 99 00 63 17"

    for n, at in enumerate((180, 240, 300), start=2):  # past the ladder: the backup until someone answers
        out = due(alert, T0 + seconds(at))
        assert keys(out) == [f"{BACKUP}.escalation"]
        assert out[0].data.attempt == n
    sent = {d.recipient.audience for d in alert.deliveries}
    assert sent == {"command", "police", "association"}  # never the other force (gendarmerie)


def test_a_gendarmerie_zone_ladder_stays_with_the_gendarmerie():
    alert, out = dispatched(competent=GENDARMERIE, other_force=POLICE, pos=None)  # home: gendarmerie zone of 03
    assert keys(out)[0] == "command.03.corg-03.dispatch"
    due(alert, T0 + seconds(60))
    assert keys(due(alert, T0 + seconds(120))) == ["command.03.corg-63.escalation"]
    assert "police" not in {d.recipient.audience for d in alert.deliveries}


def test_the_centres_acknowledgement_stops_the_ladder_her_home_units_does_not():
    alert, out = dispatched()
    home_unit = out[1].data.dispatch_id
    assert routing.acknowledge(alert, home_unit, POLICE, T0 + seconds(10))
    out = due(alert, T0 + seconds(60))
    assert keys(out) == [f"{CENTRE}.dispatch", "association.tj-montlucon.any.dispatch"]  # the centre still
    centre = alert.deliveries[0]
    assert routing.acknowledge(alert, centre.dispatch_id, centre.recipient, T0 + seconds(70))
    out = due(alert, T0 + seconds(120))
    assert out == []  # the association was repeated once already; nothing else is due
    assert due(alert, T0 + seconds(600)) == []
    assert escalation.next_deadline(alert, POLICY) is None


def test_a_late_acknowledgement_from_the_first_centre_stops_the_escalation_too():
    alert, _ = dispatched()
    centre = alert.deliveries[0]
    due(alert, T0 + seconds(60))
    due(alert, T0 + seconds(120))  # escalated to the backup centre
    routing.acknowledge(alert, centre.dispatch_id, centre.recipient, T0 + seconds(130))
    assert due(alert, T0 + seconds(1000)) == []


def test_an_acknowledgement_must_match_the_dispatch_and_its_recipient():
    alert, out = dispatched()
    police_dispatch = out[1].data.dispatch_id
    with pytest.raises(NotAddressed):
        routing.acknowledge(alert, police_dispatch, GENDARMERIE, T0)
    with pytest.raises(NotAddressed):
        routing.acknowledge(alert, "nope", POLICE, T0)
    assert all(d.acknowledged_at is None for d in alert.deliveries)
    assert routing.acknowledge(alert, police_dispatch, POLICE, T0 + seconds(1))
    assert routing.acknowledge(alert, police_dispatch, POLICE, T0 + seconds(2))  # a duplicate changes nothing
    assert alert.deliveries[1].acknowledged_at == T0 + seconds(1)


def test_the_outcome_closes_the_alert_and_tells_every_partner():
    alert, _ = dispatched()
    out = routing.report_outcome(alert, POLICE, InterventionResult.AUTHOR_ARRESTED, "Fictif.", T0 + seconds(900))
    assert alert.state == AlertState.CLOSED
    assert alert.result == InterventionResult.AUTHOR_ARRESTED
    assert keys(out) == [
        f"{CENTRE}.closure",
        "police.03.csp-montlucon.closure",
        "association.tj-montlucon.any.closure",
        None,
    ]
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
