"""The retention rule the referral and evaluation services share."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from tgd_contracts.measure_retention import MeasureRetention

T0 = datetime(2026, 1, 10, tzinfo=UTC)


@dataclass(frozen=True)
class Days:
    days: int

    def after(self, moment: datetime) -> datetime:
        return moment + timedelta(days=self.days)


POLICY = MeasureRetention(undecided=Days(180), after_end=Days(90))


def due(**facts):
    return POLICY.purge_due_at(**{"started_at": T0, "undecided": True, "ended_at": None, "anonymised": False, **facts})


def test_undecided_data_is_kept_at_most_the_undecided_period_from_its_start():
    assert due() == T0 + timedelta(days=180)


def test_an_undecided_measure_with_no_known_start_has_no_date():
    assert due(started_at=None) is None


def test_while_the_attribution_lasts_there_is_no_date():
    assert due(undecided=False) is None


def test_once_ended_it_is_kept_the_after_end_period_from_the_end_even_if_still_marked_undecided():
    ended = T0 + timedelta(days=30)
    assert due(undecided=False, ended_at=ended) == ended + timedelta(days=90)
    assert due(ended_at=ended) == ended + timedelta(days=90)


def test_once_anonymised_there_is_nothing_left_to_purge():
    assert due(anonymised=True, ended_at=T0) is None
