"""Orientation rules (what became of a referral), without I/O: the vocabulary, dates
(not in the future, not before the referral, in Europe/Paris), several kinds allowed,
the same kind on the same date once, who recorded it."""

from datetime import UTC, date, datetime, timedelta

import pytest

from referral.domain import orientation
from referral.exceptions import InvalidRequest, OrientationRecorded
from tgd_contracts.orientation import Orientation, OrientationKind, RecorderAudience

RECEIVED = datetime(2026, 3, 9, 23, 30, tzinfo=UTC)  # 10 March in Paris
NOW = datetime(2026, 3, 20, 22, 30, tzinfo=UTC)  # 20 March 23:30 in Paris


def entry(kind="complaint", on="2026-03-12"):
    return Orientation(kind=kind, on=on, recorded_by="Intervenante fictive")


def recorded(kind="complaint", on="2026-03-12", n=1):
    return orientation.recorded(entry(kind, on), f"orientation-{n:04d}", RecorderAudience.ASSOCIATION, NOW)


def test_the_vocabulary_is_the_four_outcomes_of_seed_000():
    assert {k.value for k in OrientationKind} == {"complaint", "protection_order", "specialised_association",
                                                  "evaluation"}  # fmt: skip
    with pytest.raises(ValueError):
        entry(kind="telepathy")


def test_several_kinds_may_apply_to_one_referral():
    existing = [recorded("complaint"), recorded("protection_order", n=2)]
    assert orientation.check(entry("evaluation"), RECEIVED, NOW, existing).kind == OrientationKind.EVALUATION


def test_the_same_kind_on_another_date_is_another_orientation():
    assert orientation.check(entry("complaint", "2026-03-15"), RECEIVED, NOW, [recorded("complaint")])


def test_the_same_kind_on_the_same_date_is_refused():
    with pytest.raises(OrientationRecorded, match="already recorded"):
        orientation.check(entry("complaint"), RECEIVED, NOW, [recorded("complaint")])


def test_dates_are_days_in_paris():
    assert orientation.check(entry(on="2026-03-10"), RECEIVED, NOW, [])  # the referral's day in Paris
    assert orientation.check(entry(on="2026-03-20"), RECEIVED, NOW, [])  # today in Paris
    with pytest.raises(InvalidRequest, match="2026-03-10 or later"):
        orientation.check(entry(on="2026-03-09"), RECEIVED, NOW, [])  # 9 March in UTC only
    with pytest.raises(InvalidRequest, match="future"):
        orientation.check(entry(on=(date(2026, 3, 20) + timedelta(days=1)).isoformat()), RECEIVED, NOW, [])


def test_who_recorded_it_is_the_partner_the_gateway_names():
    assert orientation.recorder("parquet") is RecorderAudience.PARQUET
    for other in ("police", "referrer", None, 5):
        with pytest.raises(InvalidRequest):
            orientation.recorder(other)


def test_the_view_is_newest_first():
    view = orientation.view("r" * 32, "tj-moulins", [recorded("complaint", "2026-03-11"),
                                                     recorded("evaluation", "2026-03-14", 2)])  # fmt: skip
    assert [o.kind for o in view.orientations] == ["evaluation", "complaint"]
