"""A change that loses the race to another worker is applied again to what that worker
stored (tgd_servicekit.aggregate), never lost nor applied to a stale measure."""

import pytest

from evaluation.exceptions import InvalidState
from evaluation.models import MeasureDocument

from .test_service import REQUISITION, referral_received, service  # noqa: F401


def interfering(store, times):
    save, left = store.save, [times]

    def save_after_another_worker(m, version, *args):
        if left[0]:
            left[0] -= 1
            MeasureDocument.objects(referral_id=m.referral_id).update_one(inc__version=1)
        return save(m, version, *args)

    store.save = save_after_another_worker


def test_a_lost_race_is_applied_again_to_the_stored_measure(service):  # noqa: F811
    service.on_referral_received(referral_received())
    interfering(service.measures, times=2)
    view = service.request_evaluation("ref-001", REQUISITION)
    assert view["status"] == "evaluation_requested"
    assert service.events.names() == ["evaluation_requested"]
    assert MeasureDocument.objects.get(referral_id="ref-001").version == 3  # two other writes, then this one


def test_a_measure_always_changing_is_refused(service):  # noqa: F811
    service.on_referral_received(referral_received())
    interfering(service.measures, times=99)
    with pytest.raises(InvalidState):
        service.request_evaluation("ref-001", REQUISITION)
    assert service.events.names() == []
