"""ReferralService.statistics on a seeded history with known answers."""

from datetime import UTC, datetime

import pytest
from nameko.testing.services import worker_factory

from referral.domain.retention import RetentionPolicy
from referral.exceptions import InvalidRequest, UnknownJurisdiction
from referral.models import DB_ALIAS
from referral.repository import ReferralRepository
from referral.service import ReferralService
from tgd_contracts.statistics import StatisticsQuery

from .test_service import RecordingPublisher, body

JANUARY = {"jurisdiction": "tj-montlucon", "starts_on": "2026-01-01", "ends_on": "2026-01-31"}


@pytest.fixture
def service(in_memory_db):
    in_memory_db(DB_ALIAS)
    return worker_factory(
        ReferralService, referrals=ReferralRepository(), events=RecordingPublisher(), retention_policy=RetentionPolicy()
    )


def submit(service, n, at, **overrides):
    service.now = lambda: at
    service.submit_referral(f"key-stat-{n:04d}", body(facts=f"Faits fictifs numéro {n}.", **overrides))


def seed(service):
    """January in Montluçon (Paris days): 6 urgent from hospitals, 5 standard from lawyers,
    2 standard from social workers, these 7 in the last minute of 31 January in Paris
    (22:59 UTC); plus one at 23:00 UTC, already 1 February in Paris, and one in another
    jurisdiction."""
    for n in range(6):
        submit(service, n, datetime(2026, 1, 1 + n, 9, tzinfo=UTC))
    for n in range(6, 13):
        kind = "lawyer" if n < 11 else "social_worker"
        submit(service, n, datetime(2026, 1, 31, 22, 59, tzinfo=UTC), urgency="standard",
               referrer={"kind": kind, "organisation": "Organisme Fictif"})  # fmt: skip
    submit(service, 13, datetime(2026, 1, 31, 23, 0, tzinfo=UTC))  # 00:00 on 1 February in Paris: the next period
    submit(service, 14, datetime(2026, 1, 15, tzinfo=UTC), jurisdiction="tj-moulins")  # another jurisdiction


def test_counts_of_the_period_with_small_cells_suppressed(service):
    seed(service)
    stats = service.statistics(JANUARY)
    assert stats["referrals"] == {"value": 13, "suppressed": False}
    assert stats["urgent"] == {"value": 6, "suppressed": False}
    kinds = stats["by_referrer_kind"]
    assert kinds["hospital"] == {"value": 6, "suppressed": False}
    # social workers (2) are few; lawyers (5, the smallest other cell) go with them, or 13 - 6 - 5 gives it away
    assert kinds["social_worker"] == {"value": None, "suppressed": True}
    assert kinds["lawyer"] == {"value": None, "suppressed": True}
    assert kinds["judge"] == {"value": 0, "suppressed": False}
    assert "EXEMPLE" not in str(stats)
    assert "Fictif" not in str(stats)
    assert StatisticsQuery.consume(JANUARY).starts_on.isoformat() == stats["starts_on"]


def test_exact_figures_of_the_same_period_keep_the_small_cells(service):
    seed(service)
    figures = service.exact_statistics(JANUARY)
    assert figures["referrals"] == 13
    assert figures["by_urgency"] == {"urgent": 6, "standard": 7}
    assert figures["by_referrer_kind"]["social_worker"] == 2
    assert figures["by_referrer_kind"]["lawyer"] == 5
    february = service.exact_statistics({**JANUARY, "starts_on": "2026-02-01", "ends_on": "2026-02-28"})
    assert february["referrals"] == 1  # the one at 23:00 UTC on 31 January
    assert "Fictif" not in str(figures)
    with pytest.raises(UnknownJurisdiction):
        service.exact_statistics({**JANUARY, "jurisdiction": "tj-nowhere"})


def test_a_small_period_is_suppressed_entirely(service):
    seed(service)
    stats = service.statistics({**JANUARY, "starts_on": "2026-02-01", "ends_on": "2026-02-28"})
    assert stats["referrals"] == {"value": None, "suppressed": True}
    assert service.statistics({**JANUARY, "jurisdiction": "tj-paris"})["referrals"] == {"value": 0, "suppressed": False}


def test_bad_queries_are_refused(service):
    with pytest.raises(InvalidRequest):
        service.statistics({**JANUARY, "ends_on": "2025-12-31"})
    with pytest.raises(UnknownJurisdiction):
        service.statistics({**JANUARY, "jurisdiction": "tj-nowhere"})
