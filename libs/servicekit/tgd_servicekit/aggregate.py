"""The aggregate algorithm, written once: load, apply a rule, store the new state with its
outgoing messages in one write (transactional outbox), publish them, mark them published,
and start again from a fresh read when someone else changed the aggregate meanwhile.

Every service's use cases go through :func:`change`; what differs between services lives
in its :class:`AggregateStore` adapter (how it loads and writes: a whole document, or
targeted ``$set``/``$push`` updates; which deadline, purge date or report goes with the
write) and in the arguments (how a rule's output becomes an envelope, how it is
published).

The entries a store writes are leased to this instance from the start
(:func:`tgd_servicekit.outbox.outbox_entry`): :func:`change` publishes them at once
(:func:`tgd_servicekit.outbox.publish_stored`) and the relay leaves them alone; one whose
publication fails gets its lease back and the relay retries it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar

from tgd_contracts.envelope import Envelope
from tgd_servicekit.outbox_publish import Parallel, publish_stored

S = TypeVar("S")  # the aggregate's state
M = TypeVar("M")  # an outgoing message as the store keeps it (an Envelope, or with its routing key)
#: how many fresh reads :func:`change` makes before it gives up on a busy aggregate
MAX_ATTEMPTS = 8
#: a use case's rule: the aggregate's state -> its new state and what it emits
Rule = Callable[[S], tuple[S, Sequence[Any]]]


class AggregateNotFound(LookupError):
    """No aggregate with this key, and no way to start one."""


class ConcurrentChange(RuntimeError):
    """The aggregate kept changing under :func:`change` (every attempt lost the race)."""


class AggregateStore(Protocol[S, M]):
    """Where an aggregate lives. ``version`` is whatever the store compares on write
    (an int counter, typically); :func:`change` hands back what ``load`` gave."""

    def load(self, key: Any) -> tuple[S, Any] | None:
        """The state and its version, or None when there is none yet."""
        ...

    def save(self, key: Any, state: S, version: Any | None, messages: Sequence[M]) -> bool:
        """Store ``state`` and ``messages`` (outbox entries leased to this instance) in one
        write, only if the aggregate is still at ``version`` (``None``: only if it does
        not exist yet). False when it changed meanwhile (nothing written)."""
        ...

    def release(self, owner_id: Any, event_id: str) -> None: ...

    def mark_published(self, owner_id: Any, event_id: str) -> None: ...


class RepositoryStore(Generic[S, M]):
    """An :class:`AggregateStore` over a service repository: ``load``, ``release`` and
    ``mark_published`` are the repository's; ``write(state, version, messages)`` stores
    (computing what goes with the state: a deadline, a purge date...) and raises
    ``stale`` when the version guard refused the write."""

    def __init__(
        self,
        repository: Any,
        write: Callable[[S, Any, list[M]], Any],
        stale: type[BaseException] | tuple[type[BaseException], ...],
    ):
        self.repository = repository
        self.write = write
        self.stale = stale

    def load(self, key: Any) -> tuple[S, Any] | None:
        return self.repository.load(key)

    def save(self, key: Any, state: S, version: Any | None, messages: Sequence[M]) -> bool:
        try:
            self.write(state, version, list(messages))
        except self.stale:
            return False
        return True

    def release(self, owner_id: Any, event_id: str) -> None:
        self.repository.release(owner_id, event_id)

    def mark_published(self, owner_id: Any, event_id: str) -> None:
        self.repository.mark_published(owner_id, event_id)


@dataclass
class Changed(Generic[S, M]):
    """What :func:`change` did: the state before and after the rule, the messages stored
    (and published), and whether anything was written."""

    before: S
    after: S
    messages: list[M] = field(default_factory=list)
    written: bool = True
    attempts: int = 1


def _identity(_state: Any, item: Any) -> Any:
    return item


def _envelope_itself(message: Any) -> Envelope:
    return message


def change(
    store: AggregateStore[S, M],
    key: Any,
    rule: Rule[S],
    *,
    publish: Callable[[M], None],
    build: Callable[[S, Any], M] = _identity,
    envelope_of: Callable[[M], Envelope] = _envelope_itself,
    start: Callable[[Any], S] | None = None,
    missing: Callable[[], BaseException] | None = None,
    conflict: Callable[[], BaseException] | None = None,
    skip_unchanged: bool = True,
    compensate: Callable[[S, S], None] | None = None,
    spawn: Callable[..., Any] | None = None,
    parallel: Parallel | None = None,
    attempts: int = MAX_ATTEMPTS,
) -> Changed[S, M]:
    """Apply ``rule`` to the aggregate ``key`` and store the result with its messages.

    - ``rule(state) -> (new_state, emitted)``; ``build(new_state, item)`` makes each
      emitted item a message (default: the items are the messages already).
    - Not found: a new aggregate ``start(key)`` (stored with version None), else
      ``missing()`` is raised (default :class:`AggregateNotFound`).
    - ``skip_unchanged``: an existing aggregate the rule left equal, with nothing
      emitted, is not written (a rule that changes its state in place passes False).
    - The store refused the write (changed meanwhile): ``compensate(before, rejected)``
      undoes what the rule did outside the aggregate (e.g. a device taken from stock),
      then everything starts again from a fresh read; after ``attempts`` lost races
      ``conflict()`` is raised (default :class:`ConcurrentChange`).
    - Stored: the messages are published with ``publish`` (in a green thread of their own
      through ``spawn``, when given; each at the same time through ``parallel``), then
      those confirmed are marked published (one write when the store can); one that
      fails stays in the outbox for the relay.
    """
    for attempt in range(1, attempts + 1):
        loaded = store.load(key)
        if loaded is None:
            if start is None:
                raise missing() if missing else AggregateNotFound(key)
            current, version = start(key), None
        else:
            current, version = loaded
        after, emitted = rule(current)
        if skip_unchanged and version is not None and after == current and not emitted:
            return Changed(current, current, [], written=False, attempts=attempt)
        messages = [build(after, item) for item in emitted]
        if not store.save(key, after, version, messages):
            if compensate is not None:
                compensate(current, after)
            continue
        _publish_stored(store, key, messages, publish, envelope_of, spawn, parallel)
        return Changed(current, after, messages, written=True, attempts=attempt)
    raise conflict() if conflict else ConcurrentChange(key)


def _publish_stored(
    store: AggregateStore[Any, M],
    key: Any,
    messages: list[M],
    publish: Callable[[M], None],
    envelope_of: Callable[[M], Envelope],
    spawn: Callable[..., Any] | None,
    parallel: Parallel | None,
) -> None:
    if not messages:
        return
    by_id = {envelope_of(m).id: m for m in messages}
    args = (store, key, [envelope_of(m) for m in messages], lambda envelope: publish(by_id[envelope.id]), parallel)
    if spawn is None:
        publish_stored(*args)
    else:
        spawn(publish_stored, *args)
