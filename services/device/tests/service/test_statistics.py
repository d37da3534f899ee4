"""DeviceService.statistics on a seeded history with known answers."""

from datetime import timedelta

import pytest

from device.exceptions import UnknownJurisdiction

from ..factories import BENEFICIARY_CALL, OPERATOR_CALL, fiche, registration
from .test_service import T0, decided, service, withdrawn  # noqa: F401  (the fixture)

APRIL = {"jurisdiction": "tj-moulins", "starts_on": "2026-04-01", "ends_on": "2026-04-30"}


def seed(service):  # noqa: F811
    """12 terminals in Moulins; 7 attributions provisioned and activated on 1 April; one
    withdrawn on the 5th (its device collected, reset and back in stock on the 6th); one
    test call on the 10th."""
    for n in range(12):
        service.add_device(registration(n))
    devices = []
    for n in range(7):
        service.on_attribution_decided(decided(f"att-{n}"))
        device_id = service.record_fiche(f"att-{n}", fiche())["device_id"]
        service.record_test_call(device_id, OPERATOR_CALL)
        service.record_test_call(device_id, BENEFICIARY_CALL)
        devices.append(device_id)
    service.now.value = T0 + timedelta(days=4)
    service.on_attribution_withdrawn(withdrawn("att-0"))
    service.now.value = T0 + timedelta(days=5)
    at = service.now.value.isoformat()
    service.record_recovery(devices[0], {"collected_at": at, "reset_at": at})
    service.now.value = T0 + timedelta(days=9)
    service.record_test_call(devices[1], BENEFICIARY_CALL)


def test_stock_overdue_test_calls_and_the_period(service):  # noqa: F811
    seed(service)
    service.now.value = T0 + timedelta(days=16)  # the fortnightly call of 1 April is overdue
    stats = service.statistics(APRIL)
    counts = {k: v["value"] for k, v in stats.items() if isinstance(v, dict)}
    assert counts == {
        "in_stock": 6,  # 12 - 7 + 1 returned, collected and reset
        "assigned": 6,
        "overdue_test_calls": 5,  # 6 active, one called on the 10th
        "provisioned": 7,
        "returned": None,  # 1: suppressed
    }
    assert stats["returned"]["suppressed"] is True
    assert stats["as_of"].startswith("2026-04-17")


def test_before_the_deadline_nothing_is_overdue_and_other_places_are_empty(service):  # noqa: F811
    seed(service)
    assert service.statistics(APRIL)["overdue_test_calls"] == {"value": 0, "suppressed": False}
    cusset = service.statistics({**APRIL, "jurisdiction": "tj-cusset"})
    assert cusset["in_stock"]["value"] == 0
    assert cusset["provisioned"]["value"] == 0
    with pytest.raises(UnknownJurisdiction):
        service.statistics({**APRIL, "jurisdiction": "tj-nowhere"})


def test_exact_figures_and_the_stock_never_suppressed(service):  # noqa: F811
    seed(service)
    service.now.value = T0 + timedelta(days=16)
    figures = service.exact_statistics(APRIL)
    assert (figures["in_stock"], figures["assigned"], figures["returned"]) == (6, 6, 1)
    cusset = service.statistics({**APRIL, "jurisdiction": "tj-cusset"})
    assert cusset["in_stock"] == {"value": 0, "suppressed": False}
