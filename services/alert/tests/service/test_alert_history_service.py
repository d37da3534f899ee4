"""``alerts_of_jurisdiction``: the parquet's list of its court's alerts, through the service."""

import pytest

from alert.exceptions import InvalidRequest

from .test_service import provision, service, trigger  # noqa: F401  (fixture)


def test_a_court_lists_its_alerts_and_another_court_none(service):  # noqa: F811
    provision(service)
    alert_id = trigger(service)["alert_id"]
    listed = service.alerts_of_jurisdiction("tj-moulins")
    assert [a["alert_id"] for a in listed["items"]] == [alert_id]
    assert listed["items"][0]["state"] == "raised"
    assert service.alerts_of_jurisdiction("tj-paris")["items"] == []


@pytest.mark.parametrize(("days", "limit"), [(0, 10), (400, 10), (30, 0), ("30", 10)])
def test_a_bad_window_is_refused(service, days, limit):  # noqa: F811
    with pytest.raises(InvalidRequest):
        service.alerts_of_jurisdiction("tj-moulins", days=days, limit=limit)
