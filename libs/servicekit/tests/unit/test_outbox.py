"""The outbox relay: publish in order, mark only what the broker confirmed."""

from datetime import UTC, datetime

from kombu.exceptions import OperationalError

from tgd_contracts.envelope import build_envelope
from tgd_contracts.referral import ProfessionalKind, ReferralReceived, Urgency
from tgd_servicekit import outbox


def entry(n: int, attempts: int = 0):
    data = ReferralReceived(
        referral_id=f"r{n}",
        jurisdiction="tj-paris",
        urgency=Urgency.URGENT,
        referrer_kind=ProfessionalKind.OTHER,
        received_at=datetime(2026, 1, 1, tzinfo=UTC),
    )
    env = build_envelope(source_service="referral", event_name="referral_received", subject=f"r{n}", data=data)
    return f"r{n}", {"event_id": env.id, "envelope": env.model_dump(mode="json"), "attempts": attempts}


class FakeStore:
    def __init__(self, entries):
        self.entries = entries
        self.published: list[str] = []
        self.failures: list[tuple[str, str, bool]] = []

    def pending_events(self, limit, now=None):
        return [e for e in self.entries if e[1]["event_id"] not in self.published][:limit]

    def claim(self, owner_id, event_id, now, until):
        return True

    def release(self, owner_id, event_id):
        pass

    def mark_published(self, owner_id, event_id):
        self.published.append(event_id)

    def mark_attempt_failed(self, owner_id, event_id, error, give_up):
        self.failures.append((event_id, error, give_up))


def test_confirmed_entries_are_marked_published():
    store = FakeStore([entry(1), entry(2)])
    sent = []
    report = outbox.relay(store, lambda env: sent.append(env.id))
    assert report.published == 2
    assert store.published == sent


def test_an_unreachable_broker_keeps_everything_pending_without_burning_attempts():
    store = FakeStore([entry(1), entry(2)])

    def down(env):
        raise OperationalError("connection refused")

    report = outbox.relay(store, down)
    assert report.published == 0
    assert store.published == []
    assert store.failures == []  # not the entries' fault
    assert len(store.pending_events(10)) == 2


def test_a_refused_entry_is_retried_then_given_up_visibly():
    first = entry(1, attempts=outbox.MAX_ATTEMPTS - 1)
    store = FakeStore([first, entry(2)])

    def refuse_first(env):
        if env.id == first[1]["event_id"]:
            raise ValueError("unroutable")

    report = outbox.relay(store, refuse_first)
    assert report.published == 1
    assert store.failures == [(first[1]["event_id"], "ValueError", True)]


def test_after_a_crash_between_write_and_publish_the_relay_publishes():
    store = FakeStore([entry(1)])  # written, never published (the process died)
    sent = []
    outbox.relay(store, lambda env: sent.append(env.event_name))
    assert sent == ["referral_received"]
