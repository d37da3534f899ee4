"""The pure parts of the hardening: access reasons, login throttle, stream slots, JSON depth,
revocation (no app, no I/O)."""

import pytest

from gateway.auth.clients import Client
from gateway.auth.reasons import parse_reason
from gateway.auth.revocation import revoked
from gateway.auth.roles import Role
from gateway.auth.streams import StreamSlots
from gateway.auth.throttle import LoginThrottle
from gateway.middleware import json_too_deep


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (None, None),
        ("", None),
        ("suivi", "suivi"),
        (" Suivi ", "suivi"),
        ("droit-acces:DA-2026/17", "droit-acces:DA-2026/17"),
    ],
)
def test_a_reason_code_with_an_optional_reference_is_accepted(given, expected):
    assert parse_reason(given) == (expected, None)


@pytest.mark.parametrize("given", ["suivi de la bénéficiaire", "EXEMPLE Fictive", "suivi:", "suivi:a b", "x" * 80])
def test_free_text_is_refused_with_a_message(given):
    reason, problem = parse_reason(given)
    assert reason is None
    assert problem


def test_the_throttle_locks_a_pair_then_an_address_and_unlocks_after_the_lockout():
    now = [0.0]
    throttle = LoginThrottle(per_pair=2, per_address=3, lockout_s=60, clock=lambda: now[0])
    for _ in range(2):
        assert throttle.retry_after("c.exemple", "a1") == 0
        throttle.failed("c.exemple", "a1")
    assert throttle.retry_after("c.exemple", "a1") == 60
    assert throttle.retry_after("c.exemple", "a2") == 0  # the same login elsewhere: not locked
    assert throttle.retry_after("c.autre", "a1") == 0
    throttle.failed("c.autre", "a1")  # the address's third failure
    assert throttle.retry_after("c.troisieme", "a1") == 60
    now[0] = 61
    assert throttle.retry_after("c.exemple", "a1") == 0


def test_a_success_clears_the_pairs_failures():
    throttle = LoginThrottle(per_pair=2, per_address=10, lockout_s=60)
    throttle.failed("c.exemple", "a1")
    throttle.succeeded("c.exemple", "a1")
    throttle.failed("c.exemple", "a1")
    assert throttle.retry_after("c.exemple", "a1") == 0


def test_stream_slots_per_client_and_in_total():
    slots = StreamSlots(per_client=1, total=2)
    assert slots.acquire("a")
    assert not slots.acquire("a")
    assert slots.acquire("b")
    assert not slots.acquire("c")
    slots.release("a")
    assert slots.acquire("c")


def test_json_depth_is_counted_outside_strings_only():
    assert not json_too_deep(b'{"a": [[1]], "b": "[[[[[[[[[["}', limit=3)
    assert json_too_deep(b"[[[[1]]]]", limit=3)
    assert not json_too_deep(b'["\\"[[[[", 1]', limit=1)  # an escaped quote inside a string
    assert json_too_deep(b"[" * 30_000, limit=32)


def test_a_token_is_revoked_by_a_disabled_a_rotated_or_in_production_an_unknown_account():
    client = Client("c1", "Fictive", Role.ASSOCIATION, ["tj-moulins"], "hash")
    assert not revoked(client, issued_at=1000, strict=True)
    client.rotated_at = "1970-01-01T00:20:00+00:00"  # 1200 s
    assert revoked(client, issued_at=1000, strict=True)
    assert not revoked(client, issued_at=1200, strict=True)  # issued in the second of the rotation
    client.disabled = True
    assert revoked(client, issued_at=2000, strict=False)
    assert revoked(None, issued_at=0, strict=True)
    assert not revoked(None, issued_at=0, strict=False)


def test_an_operator_who_logged_in_from_an_address_is_not_locked_out_by_a_sprayer_there():
    throttle = LoginThrottle(per_pair=3, per_address=2, lockout_s=60)
    throttle.succeeded("c.exemple", "proxy")
    for n in range(5):
        throttle.failed(f"c.guess{n}", "proxy")
    assert throttle.retry_after("c.nouvelle", "proxy") > 0  # the address is locked for others
    assert throttle.retry_after("c.exemple", "proxy") == 0  # not for her
