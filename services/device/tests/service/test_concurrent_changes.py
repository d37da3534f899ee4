"""A change that loses the race to another worker is applied again to what that worker
stored (tgd_servicekit.aggregate); a device taken from the stock for the lost attempt
goes back to the stock first."""

import pytest

from device.exceptions import InvalidState
from device.models import AssignmentDocument, DeviceDocument

from ..factories import fiche, registration
from .test_service import decided, service  # noqa: F401


def interfering(store, times):
    """The next ``times`` saves find the assignment changed by another worker."""
    save, left = store.save, [times]

    def save_after_another_worker(a, version, *args):
        if left[0] and version is not None:
            left[0] -= 1
            AssignmentDocument.objects(attribution_id=a.attribution_id).update_one(inc__version=1)
        return save(a, version, *args)

    store.save = save_after_another_worker


def test_a_lost_race_at_provisioning_puts_the_device_back_and_provisions_once(service):  # noqa: F811
    service.add_device(registration(1))
    service.add_device(registration(2))
    service.on_attribution_decided(decided())
    interfering(service.store, times=1)
    view = service.record_fiche("att-1", fiche())
    assert view["status"] == "provisioned"
    assert service.events.names() == ["device_provisioned"]  # one event, for the attempt stored
    states = {d.device_id: (d.state, d.attribution_id) for d in DeviceDocument.objects}
    assert states[view["device_id"]] == ("assigned", "att-1")
    assert sorted(s for s, _ in states.values()) == ["assigned", "in_stock"]  # the other one never leaked


def test_an_assignment_always_changing_is_refused_and_keeps_no_device(service):  # noqa: F811
    service.add_device(registration(1))
    service.on_attribution_decided(decided())
    interfering(service.store, times=99)
    with pytest.raises(InvalidState):
        service.record_fiche("att-1", fiche())
    assert [(d.state, d.attribution_id) for d in DeviceDocument.objects] == [("in_stock", None)]
    assert service.events.names() == []
