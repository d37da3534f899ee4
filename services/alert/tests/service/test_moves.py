# ruff: noqa: F811  (the ``service`` fixture is imported from test_service)
"""Alerts follow her home: after a move, never to the unit she left (device read model)."""

from datetime import timedelta

from tgd_contracts.device import BeneficiaryMoved, ForcesInformed
from tgd_contracts.events import EventName

from .test_service import T0, partner_keys, provision, received, service, trigger  # noqa: F401 (fixture)

MOVED_AT = T0 + timedelta(minutes=5)


def moved(at=MOVED_AT):
    data = BeneficiaryMoved(
        device_id="dev-1",
        attribution_id="att-1",
        jurisdiction="tj-moulins",
        department="03",
        home_insee_code="03903",
        previous_insee_code="03190",
        moved_at=at,
    )
    return received(EventName.BENEFICIARY_MOVED, data)


def informed(unit, home_since):
    data = ForcesInformed.consume(
        {
            "attribution_id": "att-1",
            "device_id": "dev-1",
            "jurisdiction": "tj-moulins",
            "competent": {"audience": "police", "department": "03", "unit_code": unit, "unit_name": "CSP"},
            "also_informed": [],
            "acknowledged_at": "2026-01-01T00:00:00Z",
            "home_since": home_since.isoformat() if home_since else None,
        }
    )
    return received(EventName.FORCES_INFORMED, data, source="notify")


def dispatched_units(service):
    return {key.split(".")[2] for key in partner_keys(service) if key.endswith(".dispatch")}


def test_after_a_move_the_unit_she_left_is_never_alerted(service):
    provision(service)  # competent: gendarmerie bta-moulins
    service.on_beneficiary_moved(moved())
    facts = service.alerts.device("dev-1")
    assert facts.competent is None
    assert facts.home_since == MOVED_AT
    service.on_forces_informed(informed("csp-old", home_since=T0))  # late, for the old home: ignored
    assert service.alerts.device("dev-1").competent is None
    service.on_forces_informed(informed("csp-new", home_since=MOVED_AT))
    assert service.alerts.device("dev-1").competent.unit == "csp-new"
    service.on_beneficiary_moved(moved(at=T0))  # an older move: ignored
    assert service.alerts.device("dev-1").competent.unit == "csp-new"


def test_a_move_before_the_new_units_acknowledge_routes_to_the_operations_centre(service):
    provision(service)
    service.on_beneficiary_moved(moved())
    trigger(service, at=MOVED_AT + timedelta(minutes=1))
    service.now.now = MOVED_AT + timedelta(minutes=2)
    service.check_deadlines()  # failsafe dispatch
    keys = partner_keys(service)
    assert "command.03.cic-03.dispatch" in keys  # the failsafe dispatch went out, to the CIC where she is
    assert not any("bta-moulins" in k for k in keys)
