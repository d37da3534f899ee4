"""The two statistics RPCs every service answers, written once: ``exact_statistics``, the
exact figures of a court and period (its parquet, the steering committee), and
``statistics``, the same figures anonymised for the observatory (counts and delays only).

A service's read entrypoints derive from :class:`StatisticsEntrypoints` and say how its
figures are made (:meth:`~StatisticsEntrypoints.exact_figures`, where an unknown court is
refused if the service refuses it) and anonymised (``anonymise``, from
:mod:`tgd_contracts.statistics.anonymise`). Every error on the way is an expected one (a
:class:`~tgd_contracts.errors.TgdError`: an invalid query, an unknown court)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from tgd_contracts.base import Contract
from tgd_contracts.errors import TgdError
from tgd_contracts.statistics import StatisticsQuery
from tgd_servicekit.consumers import rpc
from tgd_servicekit.requests import parse


class StatisticsEntrypoints:
    anonymise: ClassVar[Callable[[Any], Contract]]

    def exact_figures(self, query: StatisticsQuery) -> Contract:
        raise NotImplementedError

    @rpc(expected_exceptions=TgdError)
    def statistics(self, query: dict[str, Any]) -> dict[str, Any]:
        """Observatory aggregates of a jurisdiction and period: anonymised figures only."""
        exact = self.exact_figures(parse(StatisticsQuery, query))
        return type(self).anonymise(type(exact).consume(exact.to_wire())).to_wire()

    @rpc(expected_exceptions=TgdError)
    def exact_statistics(self, query: dict[str, Any]) -> dict[str, Any]:
        """Exact figures of a court and period (its parquet, the steering committee)."""
        return self.exact_figures(parse(StatisticsQuery, query)).to_wire()
