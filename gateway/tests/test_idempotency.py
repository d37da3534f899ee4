"""One idempotency rule for every POST that creates or triggers something
(gateway/contract/idempotency.py), checked route by route with the authorisation
matrix's valid requests: a replay with the same key and body gets the first answer and
the service is not called again; the same key with another body is 409; no key, no
memory (the route runs again)."""

from __future__ import annotations

import copy

import pytest

from gateway.auth.access import ACCESS
from gateway.auth.roles import FORCES, Role
from gateway.auth.rules import AUDIENCE_OF_ROLE, Source
from gateway.contract.idempotency import IdempotencyStore, idempotent_route
from tgd_testkit.fake_lifecycle import unit_of
from tgd_testkit.tokens import auth_headers

from .test_authorisation_matrix import OWN, ROUTES, build, national, request_for

OPTIONAL = [key for key in ROUTES if idempotent_route(*key.split(" ", 1)) == "optional"]


def call(key: str, idempotency_key: str | None, tweak: bool = False):
    rule = ACCESS[key]
    role = sorted(rule.roles)[0]
    client, fake, _ = build(jurisdiction_of=lambda object_id: OWN)
    fake.notice_audience = role.value if role in FORCES else Role.POLICE.value
    fake.reminder_audience = AUDIENCE_OF_ROLE.get(role, "parquet")  # as the matrix: addressed to the caller
    method, url, kwargs = request_for(key, OWN, role)
    headers = {**kwargs["headers"], **auth_headers(role, "*" if national(rule) else OWN, unit=unit_of(OWN))}
    headers["X-Access-Reason"] = "suivi"
    if idempotency_key:
        headers["Idempotency-Key"] = idempotency_key

    def send(other_body: bool = False):
        body = copy.deepcopy(kwargs.get("json"))
        if other_body:
            body = {**(body or {}), "changed": True}
        return client.request(method, url, **{**kwargs, "json": body, "headers": headers})

    lookups = {loc.lookup[:2] for loc in rule.territory if loc.source is Source.LOOKUP}
    return send, fake, lookups


def changes(fake, lookups, since: int) -> list:
    return [(s, m) for s, m, _ in fake.calls[since:] if (s, m) not in lookups]


def test_the_rule_covers_every_post_of_the_partner_api():
    posts = [key for key in ROUTES if key.startswith("POST /v1/")]
    own_key = {"POST /v1/referrals", "POST /v1/device-alerts", "POST /v1/oauth/token", "POST /v1/oauth/revoke"}
    assert sorted(set(posts) - own_key) == sorted(OPTIONAL)
    assert idempotent_route("POST", "/v1/referrals") == "required"


@pytest.mark.parametrize("key", OPTIONAL)
def test_a_replay_gets_the_first_answer_and_another_body_is_409(key):
    send, fake, lookups = call(key, "retry-0001")
    first = send()
    assert 200 <= first.status_code < 300, first.text
    done = len(fake.calls)
    assert changes(fake, lookups, 0), "the route reached its service"

    replay = send()
    assert (replay.status_code, replay.content) == (first.status_code, first.content)
    assert replay.headers["idempotent-replayed"] == "true"
    assert changes(fake, lookups, done) == [], "a replay must not run the route again"

    reused = send(other_body=True)
    assert reused.status_code == 409, reused.text
    assert reused.json()["error"] == "idempotency_key_reused"


@pytest.mark.parametrize("key", OPTIONAL[:3])
def test_without_a_key_each_call_runs(key):
    send, fake, lookups = call(key, None)
    assert 200 <= send().status_code < 300
    done = len(fake.calls)
    assert 200 <= send().status_code < 300
    assert changes(fake, lookups, done), "without a key nothing is remembered"


def test_a_malformed_key_is_refused_before_anything_runs():
    send, _fake, _ = call(OPTIONAL[0], "short")
    response = send()
    assert response.status_code == 422
    assert response.json()["error"] == "invalid_request"


def test_failures_are_not_kept_and_old_entries_expire():
    store = IdempotencyStore(ttl_s=10, max_entries=2)
    assert store.begin("k", "body", now=0) is None
    store.finish("k", 503, [], b"")
    assert store.begin("k", "body", now=1) is None  # a retry after a failure runs again
    store.finish("k", 200, [], b"{}")
    assert store.begin("k", "other", now=2).fingerprint == "body"
    assert store.begin("k", "body", now=11) is None  # expired: runs again
    for key in ("a", "b", "c"):
        store.begin(key, "body", now=12)
    assert list(store.entries) == ["b", "c"]  # bounded: the oldest goes first
