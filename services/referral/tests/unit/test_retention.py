"""How long a referral's personal data is kept (referral.domain.retention), pure."""

from datetime import UTC, datetime, timedelta

from referral.domain.retention import Basis, RetentionPolicy, due, purge_due_at
from tgd_servicekit.durations import Period

T0 = datetime(2026, 1, 31, 12, 0, tzinfo=UTC)
POLICY = RetentionPolicy(undecided=Period(months=6), after_end=Period(months=3))
SECOND = timedelta(seconds=1)


def test_a_referral_never_decided_is_purged_6_months_after_its_receipt():
    basis = Basis(received_at=T0)
    at = purge_due_at(basis, POLICY)
    assert at == datetime(2026, 7, 31, 12, 0, tzinfo=UTC)
    assert not due(basis, POLICY, at - SECOND)
    assert due(basis, POLICY, at)


def test_a_granted_attribution_keeps_the_referral_while_it_lasts():
    assert purge_due_at(Basis(received_at=T0, attribution_id="att-1"), POLICY) is None


def test_a_refused_withdrawn_or_expired_basis_keeps_it_3_months_more():
    ended = T0 + timedelta(days=200)
    basis = Basis(received_at=T0, attribution_id="att-1", ended_at=ended)
    assert purge_due_at(basis, POLICY) == Period(months=3).after(ended)
    assert not due(basis, POLICY, Period(months=3).after(ended) - SECOND)
    assert due(basis, POLICY, Period(months=3).after(ended))


def test_nothing_is_due_once_purged():
    assert purge_due_at(Basis(received_at=T0, anonymised=True), POLICY) is None
