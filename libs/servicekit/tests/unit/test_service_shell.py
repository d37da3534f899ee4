"""The pieces every service's entrypoint shell shares: the service base, providers built
from the configuration, the statistics RPCs, lookups that find nothing and the pass over
passed deadlines."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from nameko import config
from nameko.extensions import DependencyProvider

from tgd_contracts.base import Contract
from tgd_contracts.errors import ErrorCode, TgdError
from tgd_contracts.statistics import StatisticsQuery
from tgd_servicekit.providers import FromConfig
from tgd_servicekit.requests import InvalidRequest, found
from tgd_servicekit.service import ServiceShell
from tgd_servicekit.statistics import StatisticsEntrypoints
from tgd_servicekit.timers import each_due

NOW = datetime(2026, 4, 1, 9, 0, tzinfo=UTC)


class NotHere(TgdError):
    code = ErrorCode.REFERRAL_NOT_FOUND


def test_every_service_inherits_the_events_the_clock_the_relay_and_the_rotation():
    class SomeService(ServiceShell):
        name = "some"

    providers = {n for n in dir(SomeService) if isinstance(getattr(SomeService, n), DependencyProvider)}
    assert providers == {"events", "now"}
    assert hasattr(SomeService.relay_outbox, "nameko_entrypoints")
    assert hasattr(SomeService.rotate_field_keys, "nameko_entrypoints")


def test_from_config_builds_its_value_at_setup_with_the_builder_it_was_given():
    provider = FromConfig(lambda values: int(values.get("TGD_TEST_CAP", 1)) * 10)
    with config.patch({"TGD_TEST_CAP": "3"}):
        provider.setup()
    assert provider.get_dependency(None) == 30


def test_from_config_subclasses_naming_their_builder_still_work():
    class Cap(FromConfig):
        build = staticmethod(lambda values: values.get("TGD_TEST_CAP", "none"))

    provider = Cap()
    with config.patch({}, clear=True):
        provider.setup()
    assert provider.get_dependency(None) == "none"


def test_found_gives_what_was_found_or_the_services_not_found_error():
    assert found(("state", 3), NotHere) == ("state", 3)
    assert found([], NotHere) == []  # found, though empty
    with pytest.raises(NotHere):
        found(None, NotHere)


class Figures(Contract):
    jurisdiction: str
    count: int


class Statistics(StatisticsEntrypoints):
    anonymise = staticmethod(lambda exact: Figures(jurisdiction=exact.jurisdiction, count=exact.count // 10 * 10))

    def __init__(self) -> None:
        self.queries: list[StatisticsQuery] = []

    def exact_figures(self, query: StatisticsQuery) -> Figures:
        self.queries.append(query)
        return Figures(jurisdiction=query.jurisdiction, count=17)


QUERY = {"jurisdiction": "tj-paris", "starts_on": "2026-03-01", "ends_on": "2026-03-31"}


def test_exact_statistics_are_the_services_figures_of_the_parsed_query():
    service = Statistics()
    assert service.exact_statistics(QUERY) == {"jurisdiction": "tj-paris", "count": 17}
    assert service.queries[0].starts_on == date(2026, 3, 1)


def test_statistics_are_the_same_figures_anonymised():
    assert Statistics().statistics(QUERY) == {"jurisdiction": "tj-paris", "count": 10}


@pytest.mark.parametrize("entrypoint", ["statistics", "exact_statistics"])
def test_an_invalid_statistics_query_is_an_invalid_request(entrypoint):
    with pytest.raises(InvalidRequest):
        getattr(Statistics(), entrypoint)({**QUERY, "ends_on": "2026-02-01"})


class Busy(Exception):
    pass


class DueStore:
    def __init__(self, keys: list[str]) -> None:
        self.keys = keys
        self.released: list[tuple[str, datetime]] = []

    def due(self, now: datetime) -> list[str]:
        return list(self.keys)

    def release_due(self, key: str, now: datetime) -> None:
        self.released.append((key, now))


def test_each_passed_deadline_is_handled_and_one_changed_meanwhile_waits_for_the_next_pass():
    store = DueStore(["a", "b", "c"])

    def change(key: str, tick: Any) -> str:
        if key == "b":
            raise Busy()
        return tick(key)

    done = each_due(store, NOW, change, str.upper, Busy)
    assert done.due == 3
    assert done.handled == ["A", "C"]
    assert store.released == [("a", NOW), ("b", NOW), ("c", NOW)]


def test_another_failure_stops_the_pass_with_its_claim_released():
    store = DueStore(["a", "b"])

    def change(key: str, tick: Any) -> str:
        raise ValueError(key)

    with pytest.raises(ValueError, match="a"):
        each_due(store, NOW, change, str.upper, Busy)
    assert store.released == [("a", NOW)]
