"""Marks published, batched across changes (tgd_servicekit.outbox_marks): the pure queue,
the flusher's green thread and the dependency that owns it. The writes on a real driver
are in test_outbox_lease.py."""

import logging

import eventlet
import eventlet.event
import pytest
from nameko import config

from tgd_servicekit import mongo
from tgd_servicekit.outbox_marks import MarkFlusher, PendingMarks, flush

NEVER = 3600.0  # a tick that never comes during a test: only a full batch or stop flushes


class Writes:
    """A store's ``mark_published_batch``: records each command; fails the first ``failures``."""

    def __init__(self, failures: int = 0):
        self.commands: list[list[tuple[str, str]]] = []
        self.failures = failures
        self.done = eventlet.event.Event()

    def __call__(self, marks):
        if self.failures:
            self.failures -= 1
            raise ConnectionRefusedError("store down")
        self.commands.append(list(marks))
        if not self.done.ready():
            self.done.send()


def test_the_marks_of_several_changes_are_written_in_one_command():
    pending, writes = PendingMarks(), Writes()
    pending.add("alert-1", ["e1", "e2"])  # a trigger's messages
    pending.add("alert-2", ["e3"])  # another alert's decision
    pending.add("alert-1", ["e4"])  # the first alert's close
    assert flush(pending, writes) == 4
    assert writes.commands == [[("alert-1", "e1"), ("alert-1", "e2"), ("alert-2", "e3"), ("alert-1", "e4")]]
    assert len(pending) == 0
    assert flush(pending, writes) == 0  # nothing queued: no command
    assert len(writes.commands) == 1


def test_a_full_batch_is_reported_and_written_batch_by_batch():
    pending, writes = PendingMarks(batch=2), Writes()
    assert pending.add("a", ["e1"]) is False
    assert pending.add("b", ["e2", "e3"]) is True
    assert flush(pending, writes) == 3
    assert writes.commands == [[("a", "e1"), ("b", "e2")], [("b", "e3")]]


def test_an_id_queued_twice_is_written_once():
    pending, writes = PendingMarks(), Writes()
    pending.add("a", ["e1"])
    pending.add("a", ["e1"])
    flush(pending, writes)
    assert writes.commands == [[("a", "e1")]]


def test_a_failed_write_keeps_its_marks_before_the_newer_ones_and_says_so(caplog):
    pending, writes = PendingMarks(), Writes(failures=1)
    pending.add("a", ["e1", "e2"])
    with caplog.at_level(logging.WARNING, logger="tgd_servicekit.outbox"):
        assert flush(pending, writes) == 0
    assert "2 marks not written (ConnectionRefusedError)" in caplog.text
    pending.add("b", ["e3"])  # queued while the store was down
    assert flush(pending, writes) == 3  # the next tick retries: nothing lost
    assert writes.commands == [[("a", "e1"), ("a", "e2"), ("b", "e3")]]


def test_beyond_the_limit_the_oldest_marks_are_let_go_and_counted():
    pending = PendingMarks(batch=10, limit=2)
    pending.add("a", ["e1", "e2", "e3"])
    assert (len(pending), pending.dropped) == (2, 1)
    assert pending.take() == [("a", "e2"), ("a", "e3")]


def test_the_flusher_writes_a_full_batch_without_waiting_for_its_tick():
    writes = Writes()
    flusher = MarkFlusher(writes, interval_s=NEVER, batch=2)
    flusher.start()
    try:
        flusher.add("a", ["e1"])
        flusher.add("b", ["e2"])
        with eventlet.Timeout(10):
            writes.done.wait()
        assert writes.commands == [[("a", "e1"), ("b", "e2")]]
    finally:
        flusher.stop()


def test_the_flusher_writes_on_its_tick_and_retries_a_failed_write():
    writes = Writes(failures=2)
    flusher = MarkFlusher(writes, interval_s=0.01, batch=100)
    flusher.start()
    try:
        flusher.add("a", ["e1"])
        with eventlet.Timeout(10):
            writes.done.wait()
        assert writes.commands == [[("a", "e1")]]
    finally:
        flusher.stop()


def test_stop_writes_what_is_queued_kill_leaves_it_to_the_relay(caplog):
    stopped, killed = Writes(), Writes()
    clean, abrupt = MarkFlusher(stopped, interval_s=NEVER), MarkFlusher(killed, interval_s=NEVER)
    for flusher in (clean, abrupt):
        flusher.start()
        flusher.add("a", ["e1", "e2"])
    clean.stop()
    with caplog.at_level(logging.WARNING, logger="tgd_servicekit.outbox"):
        abrupt.kill()
    assert stopped.commands == [[("a", "e1"), ("a", "e2")]]
    assert killed.commands == []
    assert "2 marks dropped by kill; the relay republishes them" in caplog.text


class Repository:
    """What a service's repository factory makes: records the marks it writes, and
    whether the database was still connected then."""

    written: list[tuple[list, bool]] = []  # noqa: RUF012
    published_marks = None

    def mark_published_batch(self, marks):
        import mongoengine

        connected = "marks-test" in mongoengine.connection._connections
        Repository.written.append((list(marks), connected))


@pytest.fixture
def dependency():
    Repository.written = []
    provider = mongo.MongoRepository("marks-test", Repository, batch_marks=True)
    with config.patch({"OUTBOX_MARK_INTERVAL_MS": NEVER * 1000, "MONGODB_URI": None}, clear=False):
        provider.setup()
    return provider


def test_the_dependency_hands_its_flusher_to_each_repository_and_flushes_before_disconnecting(dependency):
    dependency.start()
    repository = dependency.get_dependency(worker_ctx=None)
    assert repository.published_marks is dependency.marks
    repository.published_marks.add("alert-1", ["e1"])
    dependency.get_dependency(worker_ctx=None).published_marks.add("alert-2", ["e2"])  # another worker
    dependency.stop()
    assert Repository.written == [([("alert-1", "e1"), ("alert-2", "e2")], True)]


def test_without_batch_marks_a_repository_writes_its_marks_itself():
    provider = mongo.MongoRepository("marks-test", Repository)
    with config.patch({"MONGODB_URI": None}, clear=False):
        provider.setup()
    provider.start()
    assert provider.get_dependency(worker_ctx=None).published_marks is None
    provider.stop()
