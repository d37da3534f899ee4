"""Two submissions under one idempotency key racing: the one whose write loses reads the
winner's referral again and answers it as a replay (tgd_servicekit.aggregate)."""

import pytest

from referral.exceptions import IdempotencyKeyReused
from referral.models import ReferralDocument

from .test_service import body, service  # noqa: F401


def racing(store, winner):
    """The next lookup by key misses the referral ``winner`` submits at that moment."""
    find, first = store.find_by_idempotency_key, [True]

    def find_before_the_winner_wrote(key):
        if first[0]:
            first[0] = False
            winner()
            return None
        return find(key)

    store.find_by_idempotency_key = find_before_the_winner_wrote


def test_the_loser_of_a_race_answers_the_winners_referral(service):  # noqa: F811
    won = {}
    racing(service.referrals, lambda: won.update(service.submit_referral("key-00000001", body())))
    lost = service.submit_referral("key-00000001", body())
    assert lost == {**won, "created": False}
    assert ReferralDocument.objects.count() == 1
    assert [e.event_name for e in service.events.published] == ["referral_received"]  # the winner's only


def test_a_racing_submission_with_another_body_is_refused(service):  # noqa: F811
    racing(service.referrals, lambda: service.submit_referral("key-00000001", body()))
    with pytest.raises(IdempotencyKeyReused):
        service.submit_referral("key-00000001", body(facts="D'autres faits fictifs."))
    assert ReferralDocument.objects.count() == 1
