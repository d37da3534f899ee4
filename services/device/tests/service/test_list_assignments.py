"""``list_assignments``: the device side of a court's measures in progress at once (the
association's screen of test calls due), only the active ones by default."""

from .test_service import BENEFICIARY_CALL, OPERATOR_CALL, provisioned, service  # noqa: F401  (fixture)


def test_a_court_lists_its_active_assignments_with_the_next_test_call(service):  # noqa: F811
    device_id = provisioned(service)["device_id"]
    assert service.list_assignments("tj-moulins")["items"] == []  # provisioned, not yet active
    assert [a["status"] for a in service.list_assignments("tj-moulins", active_only=False)["items"]] == ["provisioned"]
    service.record_test_call(device_id, OPERATOR_CALL)
    service.record_test_call(device_id, BENEFICIARY_CALL)
    (active,) = service.list_assignments("tj-moulins")["items"]
    assert active["attribution_id"] == "att-1"
    assert active["next_test_call_due"] is not None
    assert service.list_assignments("tj-paris")["items"] == []
