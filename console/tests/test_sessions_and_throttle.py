"""The console's server-side sessions (logout ends one for good, the longest session is
bounded) and its login throttle (per pair and per address, never a lockout of a login
for everyone), without I/O beyond a temporary file."""

from __future__ import annotations

import time

from tgd_servicekit.login_throttle import LoginThrottle
from tgd_servicekit.session_registry import SessionRegistry


def test_a_session_lives_while_open_for_its_own_login_only(tmp_path):
    registry = SessionRegistry(tmp_path / "sessions.json")
    registry.open("sid-1", "c.exemple", time.time() + 60)
    assert registry.is_open("sid-1", "c.exemple")
    assert not registry.is_open("sid-1", "m.exemple")  # a session names its person
    assert not registry.is_open("sid-2", "c.exemple")
    assert not registry.is_open("", "c.exemple")
    assert "sid-1" not in (tmp_path / "sessions.json").read_text()  # only its digest is kept
    registry.close("sid-1")
    assert not registry.is_open("sid-1", "c.exemple")


def test_a_session_ends_at_its_maximum_and_another_process_sees_the_logout(tmp_path):
    registry = SessionRegistry(tmp_path / "sessions.json")
    registry.open("old", "c.exemple", time.time() - 1)
    registry.open("new", "c.exemple", time.time() + 60)
    assert not registry.is_open("old", "c.exemple")
    other = SessionRegistry(tmp_path / "sessions.json")  # another worker of the console
    assert other.is_open("new", "c.exemple")
    registry.close("new")
    assert not other.is_open("new", "c.exemple")


def test_a_corrupt_registry_opens_no_session(tmp_path):
    (tmp_path / "sessions.json").write_text("{not json")
    assert not SessionRegistry(tmp_path / "sessions.json").is_open("x", "c.exemple")


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_pair_is_locked_after_its_failures_and_unlocked_after_the_lockout():
    clock = Clock()
    throttle = LoginThrottle(per_pair=3, per_address=10, lockout_s=60, clock=clock)
    for _ in range(3):
        assert throttle.retry_after("c.exemple", "10.0.0.1") == 0
        throttle.failed("c.exemple", "10.0.0.1")
    assert throttle.retry_after("c.exemple", "10.0.0.1") > 0
    assert throttle.retry_after("c.exemple", "10.0.0.2") == 0  # her own workstation still logs in
    clock.now += 61
    assert throttle.retry_after("c.exemple", "10.0.0.1") == 0


def test_an_address_spraying_logins_is_locked_but_not_for_those_who_succeeded_there():
    clock = Clock()
    throttle = LoginThrottle(per_pair=5, per_address=4, lockout_s=60, clock=clock)
    throttle.succeeded("c.exemple", "10.0.0.9")
    for n in range(4):
        throttle.failed(f"guess{n}", "10.0.0.9")
    assert throttle.retry_after("someone", "10.0.0.9") > 0
    assert throttle.retry_after("c.exemple", "10.0.0.9") == 0


def test_a_success_clears_the_pair_s_failures():
    throttle = LoginThrottle(per_pair=2, per_address=10, lockout_s=60, clock=Clock())
    throttle.failed("c.exemple", "10.0.0.1")
    throttle.succeeded("c.exemple", "10.0.0.1")
    throttle.failed("c.exemple", "10.0.0.1")
    assert throttle.retry_after("c.exemple", "10.0.0.1") == 0
