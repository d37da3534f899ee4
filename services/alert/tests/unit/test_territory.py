"""Where she is and who can send a patrol there (pure): her consent, the fix's age and
accuracy, position -> commune -> department and zone -> the directory's centres."""

from datetime import timedelta

import pytest
from pydantic import ValidationError

from alert import domain
from alert.domain import positions, routing
from alert.domain.escalation import Policy
from tgd_contracts.alert import PartnerPosition, Position, PositionStatus, RoutingBasis

from .fixtures import (
    BORDEAUX,
    CLERMONT,
    GENDARMERIE,
    LONDON,
    MONTLUCON,
    POLICE,
    SOUVIGNY,
    T0,
    dossier,
    new_alert,
    position,
    seconds,
    territory,
)

WHERE = territory()
POLICY = Policy(ack_delay=seconds(60), repeats=1)


def dispatch_at(pos, at=T0, **device):
    alert = new_alert(pos=pos, **device)
    out = routing.dispatch(alert, at, None, WHERE)
    return alert, out


def test_with_consent_a_fresh_precise_fix_routes_to_the_centre_where_she_is():
    _, out = dispatch_at(position(**MONTLUCON))
    assert out[0].routing_key == "command.03.cic-03.dispatch"
    located = out[0].data.located
    assert (located.basis, located.position_status) == (RoutingBasis.POSITION, PositionStatus.USABLE)
    assert (located.insee_code, located.commune, located.department, located.zone) == (
        "03185",
        "Montluçon",
        "03",
        "police",
    )
    assert out[0].data.position_status == PositionStatus.USABLE


def test_a_commune_not_in_the_directory_takes_its_departments_default_zone():
    _, out = dispatch_at(position(**SOUVIGNY))
    assert out[0].routing_key == "command.03.corg-03.dispatch"
    assert out[0].data.located.insee_code == "03275"


def test_far_from_home_in_another_department_the_centre_there_gets_it_and_her_home_unit_too():
    # her home is in the gendarmerie zone of the Allier; she is in Clermont-Ferrand (63)
    alert, out = dispatch_at(position(**CLERMONT), competent=GENDARMERIE, other_force=POLICE)
    assert [o.routing_key for o in out] == [
        "command.63.corg-63.dispatch",
        "gendarmerie.03.bta-cusset.dispatch",
        "association.tj-montlucon.any.dispatch",
    ]
    assert out[0].data.position == alert.positions[-1]
    assert alert.ladder[-1].recipient.unit == "corg-03"  # the 63 CORG's backup, from the directory


def test_without_consent_no_position_is_kept_or_sent_and_her_home_routes():
    alert, out = dispatch_at(position(**CLERMONT), dossier=dossier(consent=False))
    assert alert.positions == []
    assert any(e.kind == "position-not-kept" for e in alert.journal)
    assert all(o.data.position is None for o in out)
    assert {o.data.position_status for o in out} == {PositionStatus.NO_CONSENT}
    assert out[0].routing_key == "command.03.cic-03.dispatch"  # her home: police zone of 03
    assert out[0].data.located.basis == RoutingBasis.HOME


def test_without_a_dossier_her_consent_is_unknown_so_no_position_is_kept():
    alert, out = dispatch_at(position(**CLERMONT), dossier=None)
    assert alert.positions == []
    assert out[0].data.position_status == PositionStatus.CONSENT_UNKNOWN
    assert out[0].routing_key == "command.03.cic-03.dispatch"


def test_a_stale_fix_is_sent_for_information_but_her_home_routes():
    old = position(T0 - timedelta(minutes=11), **CLERMONT)
    _, out = dispatch_at(old)
    assert out[0].data.position == old
    assert out[0].data.position_status == PositionStatus.STALE
    assert out[0].routing_key == "command.03.cic-03.dispatch"


@pytest.mark.parametrize("accuracy", [1_000.1, 5_000.0, 100_000.0])
def test_a_fix_too_imprecise_does_not_route(accuracy):
    _, out = dispatch_at(position(accuracy_m=accuracy, **CLERMONT))
    assert out[0].data.position_status == PositionStatus.INACCURATE
    assert out[0].routing_key == "command.03.cic-03.dispatch"


@pytest.mark.parametrize(
    "bad", [{"accuracy_m": float("nan")}, {"accuracy_m": float("inf")}, {"accuracy_m": -1.0}, {"lat": float("nan")}]
)
def test_nan_infinite_or_absurd_values_are_refused_by_the_contract(bad):
    values = {"lat": 46.0, "lon": 2.0, "accuracy_m": 10.0, "fixed_at": T0.isoformat()} | bad
    with pytest.raises(ValidationError):
        Position.model_validate(values)


def test_a_position_abroad_or_where_no_centre_is_known_falls_back_to_her_home():
    _, out = dispatch_at(position(**LONDON))
    assert out[0].data.position_status == PositionStatus.OUTSIDE
    assert out[0].routing_key == "command.03.cic-03.dispatch"
    alert, out = dispatch_at(position(**BORDEAUX))
    assert out[0].routing_key == "command.03.cic-03.dispatch"
    assert any(e.kind == "no-centre-there" for e in alert.journal)


def test_no_fix_with_consent_routes_by_home():
    _, out = dispatch_at(None)
    assert out[0].data.position_status == PositionStatus.NO_FIX
    assert out[0].data.located.basis == RoutingBasis.HOME


def test_a_new_position_goes_to_every_force_already_alerted_not_the_association():
    alert, _ = dispatch_at(position(**MONTLUCON))
    later = position(T0 + seconds(30), accuracy_m=12.0, **SOUVIGNY)
    assert domain.add_position(alert, later, T0 + seconds(31))
    out = positions.position_messages(alert, T0 + seconds(31), WHERE)
    assert [o.routing_key for o in out] == ["command.03.cic-03.position", "police.03.csp-montlucon.position"]
    message = out[0].data
    assert isinstance(message, PartnerPosition)
    assert message.position == later
    assert message.dispatch_id == alert.deliveries[0].dispatch_id
    assert (message.position_status, message.located.insee_code) == (PositionStatus.USABLE, "03275")


def test_without_consent_a_new_position_is_neither_kept_nor_forwarded():
    alert, _ = dispatch_at(None, dossier=dossier(consent=False))
    assert not domain.add_position(alert, position(**MONTLUCON), T0 + seconds(5))
    assert alert.positions == []
    assert positions.position_messages(alert, T0 + seconds(5), WHERE) == []


def test_before_dispatch_a_new_position_is_kept_for_the_console_only():
    alert = new_alert()
    assert domain.add_position(alert, position(**SOUVIGNY), T0 + seconds(5))
    assert positions.position_messages(alert, T0 + seconds(5), WHERE) == []


def test_before_forces_informed_her_home_zone_comes_from_the_directory_or_the_departments_default():
    # no competent unit known yet: the dossier's home commune (Montluçon: police zone)
    _, out = dispatch_at(None, competent=None, other_force=None)
    assert out[0].routing_key == "command.03.cic-03.dispatch"
    # a home commune the directory does not list: the default zone of 03 (gendarmerie)
    _, out = dispatch_at(None, competent=None, other_force=None, dossier=dossier(home_insee="03275"))
    assert out[0].routing_key == "command.03.corg-03.dispatch"
    # nothing known of her home but the department: still its default zone's centre
    _, out = dispatch_at(None, competent=None, other_force=None, dossier=None)
    assert out[0].routing_key == "command.03.corg-03.dispatch"


def test_a_fresh_dossier_without_consent_drops_the_positions_kept_on_the_older_copy():
    alert = new_alert()  # the activation copy said she consented: the press's position was kept
    assert len(alert.positions) == 1
    alert.device.dossier = dossier(consent=False)  # refreshed at alert time
    assert domain.forget_positions_without_consent(alert, T0 + seconds(1)) == 1
    assert alert.positions == []
    out = routing.dispatch(alert, T0 + seconds(2), None, WHERE)
    assert all(o.data.position is None for o in out)
    assert out[0].data.position_status == PositionStatus.NO_CONSENT
    alert.device.dossier = dossier(consent=True)
    assert domain.forget_positions_without_consent(alert, T0 + seconds(3)) == 0
