"""The aggregate algorithm (:func:`tgd_servicekit.aggregate.change`) over an in-memory
store: load, rule, one write with the messages, publish, mark; retry on a lost race."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

import pytest

from tgd_contracts.envelope import build_envelope
from tgd_contracts.referral import ProfessionalKind, ReferralReceived, Urgency
from tgd_servicekit.aggregate import AggregateNotFound, ConcurrentChange, RepositoryStore, change


@dataclass(frozen=True)
class Counter:
    key: str
    value: int = 0


def envelope(subject: str, n: int) -> Any:
    data = ReferralReceived(
        referral_id=f"r{n}",
        jurisdiction="tj-paris",
        urgency=Urgency.URGENT,
        referrer_kind=ProfessionalKind.OTHER,
        received_at=datetime(2026, 3, 1, 12, 0, tzinfo=UTC),
    )
    return build_envelope(source_service="referral", event_name="referral_received", subject=subject, data=data)


class Store:
    """Versioned documents with their outbox; ``interfere`` changes a document behind
    the caller's back before that many saves."""

    def __init__(self) -> None:
        self.docs: dict[str, tuple[Counter, int]] = {}
        self.outbox: dict[str, list[dict[str, Any]]] = {}
        self.saves = 0
        self.interfere = 0
        self.log: list[str] = []

    def load(self, key: str) -> tuple[Counter, int] | None:
        return self.docs.get(key)

    def save(self, key: str, state: Counter, version: int | None, messages: Sequence[Any]) -> bool:
        self.saves += 1
        if self.interfere:
            self.interfere -= 1
            old = self.docs.get(key)
            self.docs[key] = (replace(old[0], value=old[0].value + 100), old[1] + 1) if old else (Counter(key, 100), 1)
        current = self.docs.get(key)
        if (current[1] if current else None) != version:
            self.log.append("refused")
            return False
        self.docs[key] = (state, (version or 0) + 1)
        entries = [{"id": m.id, "published": False, "leased": True} for m in messages]
        self.outbox.setdefault(key, []).extend(entries)
        self.log.append("saved")
        return True

    def _entry(self, key: str, event_id: str) -> dict[str, Any]:
        return next(e for e in self.outbox[key] if e["id"] == event_id)

    def release(self, key: str, event_id: str) -> None:
        self._entry(key, event_id)["leased"] = False
        self.log.append(f"released {event_id}")

    def mark_published(self, key: str, event_id: str) -> None:
        self._entry(key, event_id)["published"] = True
        self.log.append(f"marked {event_id}")


def add(n: int, emit: int = 0):
    def rule(c: Counter) -> tuple[Counter, list[int]]:
        return replace(c, value=c.value + n), list(range(emit))

    return rule


def test_stores_the_new_state_with_its_messages_then_publishes_and_marks_them():
    store, sent = Store(), []
    store.docs["a"] = (Counter("a", 1), 3)
    done = change(store, "a", add(2, emit=2), build=lambda c, n: envelope(c.key, n), publish=sent.append)
    assert done.before == Counter("a", 1)
    assert done.after == Counter("a", 3)
    assert done.written
    assert store.docs["a"] == (Counter("a", 3), 4)
    assert [m.id for m in sent] == [m.id for m in done.messages]
    assert store.log == ["saved", f"marked {sent[0].id}", f"marked {sent[1].id}"]  # stored before published
    assert all(e["published"] for e in store.outbox["a"])


def test_a_missing_aggregate_raises_the_callers_error_or_starts_a_new_one():
    store = Store()
    with pytest.raises(AggregateNotFound):
        change(store, "x", add(1), publish=print)

    class NotHere(Exception):
        pass

    with pytest.raises(NotHere):
        change(store, "x", add(1), publish=print, missing=NotHere)
    assert store.saves == 0
    done = change(store, "x", add(1), publish=print, start=Counter)
    assert done.written
    assert store.docs["x"] == (Counter("x", 1), 1)


def test_no_change_and_no_message_writes_nothing():
    store = Store()
    store.docs["a"] = (Counter("a", 1), 1)
    done = change(store, "a", add(0), publish=print)
    assert not done.written
    assert store.saves == 0
    assert done.after == Counter("a", 1)


def test_a_new_aggregate_is_stored_even_unchanged():
    store = Store()
    assert change(store, "n", add(0), publish=print, start=Counter).written
    assert store.docs["n"] == (Counter("n", 0), 1)


def test_a_rule_that_changes_in_place_asks_for_every_write():
    store = Store()
    store.docs["a"] = (Counter("a", 1), 1)
    done = change(store, "a", add(0), publish=print, skip_unchanged=False)
    assert done.written
    assert store.docs["a"][1] == 2


def test_a_lost_race_compensates_and_starts_again_from_a_fresh_read():
    store, undone = Store(), []
    store.docs["a"] = (Counter("a", 1), 1)
    store.interfere = 2
    done = change(store, "a", add(1), publish=print, compensate=lambda before, after: undone.append(after.value))
    assert undone == [2, 102]  # each rejected attempt undone
    assert done.attempts == 3
    assert done.after == Counter("a", 202)
    assert store.log == ["refused", "refused", "saved"]


def test_a_new_aggregate_created_meanwhile_is_read_again_and_changed():
    store = Store()
    store.interfere = 1  # another instance inserts it first
    done = change(store, "n", add(1), publish=print, start=Counter)
    assert done.attempts == 2
    assert store.docs["n"] == (Counter("n", 101), 2)


def test_an_aggregate_always_changing_gives_up_with_the_callers_error():
    store = Store()
    store.docs["a"] = (Counter("a", 1), 1)
    store.interfere = 99

    class Busy(Exception):
        pass

    with pytest.raises(Busy):
        change(store, "a", add(1), publish=print, conflict=Busy, attempts=3)
    assert store.saves == 3
    store.interfere = 99
    with pytest.raises(ConcurrentChange):
        change(store, "a", add(1), publish=print, attempts=2)


def test_a_failed_publication_stays_in_the_outbox_for_the_relay():
    store = Store()
    store.docs["a"] = (Counter("a", 1), 1)

    def broker_down(_message: Any) -> None:
        raise ConnectionError("down")

    done = change(store, "a", add(1, emit=1), build=lambda c, n: envelope(c.key, n), publish=broker_down)
    assert done.written
    entry = store.outbox["a"][0]
    assert entry == {"id": done.messages[0].id, "published": False, "leased": False}  # lease given back


def test_messages_with_a_routing_key_and_spawned_publication():
    store, sent, spawned = Store(), [], []
    store.docs["a"] = (Counter("a", 1), 1)

    class Keyed(tuple):
        @property
        def id(self) -> str:  # the fake store keeps the envelope's id
            return self[0].id

    def spawn(fn, *args):
        spawned.append(fn)
        fn(*args)

    done = change(
        store,
        "a",
        add(1, emit=2),
        build=lambda c, n: Keyed((envelope(c.key, n), f"unit.{n}")),
        envelope_of=lambda m: m[0],
        publish=lambda m: sent.append(m[1]),
        spawn=spawn,
    )
    assert sent == ["unit.0", "unit.1"]
    assert len(spawned) == 1  # one green thread publishes the change's messages, then marks them
    assert [e["published"] for e in store.outbox["a"]] == [True, True]
    assert done.messages[0][1] == "unit.0"


def test_a_repository_store_turns_the_stale_error_into_a_refused_write():
    inner = Store()
    inner.docs["a"] = (Counter("a", 1), 1)

    class Stale(Exception):
        pass

    written = []

    def write(state, version, messages):
        if not inner.save(state.key, state, version, messages):
            raise Stale
        written.append((state.value, version))

    store = RepositoryStore(inner, write, Stale)
    inner.interfere = 1
    done = change(store, "a", add(1, emit=1), build=lambda c, n: envelope(c.key, n), publish=print)
    assert done.attempts == 2
    assert written == [(102, 2)]
    assert inner.outbox["a"][0]["published"]  # marked through the repository
