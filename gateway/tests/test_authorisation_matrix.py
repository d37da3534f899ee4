"""The authorisation matrix, generated from the app's routes and the access table:
every (route x role x own/foreign jurisdiction). A route with no access rule, or with
no sample request below, fails here; so does any answer that leaks.

To cover a new route: one line in gateway/auth/access.py (its rule); when it takes a
body, one ``Sample`` below (path and query parameters are generated from the OpenAPI
spec when there is no sample); and a fake answer for the service method it calls in
dev/tgd_testkit/fake_services.py. The jurisdiction is put where the rule says it is found.
"""

from __future__ import annotations

import copy
import tempfile
from dataclasses import dataclass, field
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from fastapi.testclient import TestClient

from gateway.auth.access import ACCESS
from gateway.auth.guard import declared_keys
from gateway.auth.roles import FORCES, Role
from gateway.auth.rules import AUDIENCE_OF_ROLE, Source
from gateway.main import create_app
from gateway.settings import Settings
from tgd_contracts.jurisdictions import JURISDICTIONS
from tgd_testkit.fake_lifecycle import unit_of
from tgd_testkit.fake_services import FakeServices
from tgd_testkit.tokens import auth_headers

from .lifecycle_samples import IDS, LIFECYCLE_SAMPLES

OWN, FOREIGN = "tj-moulins", "tj-paris"
PERSONAL_MARKERS = (
    "EXEMPLE",
    "Fictive",
    "Faits fictifs",
    "Hôpital Fictif",
    "+33 6 00 00 00 00",
    "Service social fictif",
)


ALERT = "0123456789abcdef0123456789abcdef"
ANSWER = {"operator": "op-1", "question_id": "danger-now", "answer": "yes"}
QUALIFICATION = {"operator": "op-1", "outcome": "danger"}
CLOSE = {"operator": "op-1"}
RESULT = "on_site"


@dataclass
class Sample:
    path: dict[str, str] = field(default_factory=dict)
    query: dict[str, str] = field(default_factory=dict)
    json: Any = None
    headers: dict[str, str] = field(default_factory=dict)


HANDOVER_RECIPIENT = X25519PrivateKey.generate()
SAMPLES: dict[str, Sample] = {
    "POST /v1/handovers": Sample(json={"jurisdiction": "placeholder", "recipient": "operateur-fictif"}),
    "POST /v1/referrals": Sample(
        json={
            "referrer": {"kind": "hospital", "organisation": "Hôpital Fictif"},
            "victim": {"surname": "EXEMPLE", "first_names": ["Fictive"]},
            "facts": "Faits fictifs de la matrice d'autorisation.",
            "urgency": "urgent",
            "jurisdiction": "placeholder",
        },
        headers={"Idempotency-Key": "matrix-0001"},
    ),
    "GET /v1/referrals/{referral_id}": Sample(path={"referral_id": "0123456789abcdef0123456789abcdef"}),
    "GET /v1/referrals/{referral_id}/measure/record": Sample(path={"referral_id": IDS["referral_id"]}),
    "GET /v1/referrals/{referral_id}/contacts": Sample(path={"referral_id": IDS["referral_id"]}),
    "GET /v1/follow-ups": Sample(query={"jurisdiction": OWN, "referral_id": IDS["referral_id"]}),
    "POST /v1/referrals/{referral_id}/contacts": Sample(
        path={"referral_id": IDS["referral_id"]},
        json={"on": "2026-01-05", "nature": "phone_call", "by": "Intervenante fictive"},
        headers={"Idempotency-Key": "matrix-contact-01"},
    ),
    "POST /v1/referrals/{referral_id}/orientations": Sample(
        path={"referral_id": IDS["referral_id"]},
        json={"kind": "complaint", "on": "2026-01-05", "recorded_by": "Intervenante fictive"},
        headers={"Idempotency-Key": "matrix-orientation-01"},
    ),
    "POST /v1/referrals/{referral_id}/contact-details": Sample(
        path={"referral_id": IDS["referral_id"]},
        json={"safe_contact": {"phone": "+33 6 00 00 00 00", "safe_times": "matin", "message_allowed": False}},
    ),
    "POST /v1/oauth/token": Sample(),  # public: only "not 401/403" is checked
    "POST /v1/oauth/revoke": Sample(),
    **{
        key: Sample(path={k: v for k, v in IDS.items() if f"{{{k}}}" in key}, json=body)
        for key, body in LIFECYCLE_SAMPLES.items()
    },
    # enum path parameters (their schema is a $ref)
    "GET /v1/observatory/plots/{name}.{fmt}": Sample(path={"name": "activity", "fmt": "png"}),
    # the alert pipeline
    "POST /v1/device-alerts": Sample(
        json={"device_id": "dev-0001", "press_id": "press-0001", "triggered_at": "2026-06-01T22:00:00Z"}
    ),
    "POST /v1/device-alerts/positions": Sample(
        json={
            "device_id": "dev-0001",
            "position": {"lat": 46.34, "lon": 2.6, "accuracy_m": 25, "fixed_at": "2026-06-01T21:59:58Z"},
        }
    ),
    "POST /v1/alerts/{alert_id}/take": Sample(path={"alert_id": ALERT}, json={"operator": "op-1"}),
    "POST /v1/alerts/{alert_id}/answers": Sample(path={"alert_id": ALERT}, json=ANSWER),
    "POST /v1/alerts/{alert_id}/dispatch": Sample(path={"alert_id": ALERT}, json={"operator": "op-1"}),
    "POST /v1/alerts/{alert_id}/redirect": Sample(path={"alert_id": ALERT}, json={"operator": "op-1"}),
    "POST /v1/alerts/{alert_id}/qualification": Sample(path={"alert_id": ALERT}, json=QUALIFICATION),
    "POST /v1/alerts/{alert_id}/close": Sample(path={"alert_id": ALERT}, json=CLOSE),
    "POST /v1/alerts/{alert_id}/acknowledgements": Sample(path={"alert_id": ALERT}, json={"dispatch_id": "d-1"}),
    "POST /v1/alerts/{alert_id}/outcome": Sample(path={"alert_id": ALERT}, json={"result": RESULT}),
    "GET /v1/alerts/{alert_id}": Sample(path={"alert_id": ALERT}),
    "POST /v1/alerts/{alert_id}/position-retention": Sample(
        path={"alert_id": ALERT}, json={"authorised_by": "Parquet de Moulins (fictif)"}
    ),
    "GET /v1/evidence/alerts/{alert_id}": Sample(path={"alert_id": ALERT}),
    "GET /v1/alerts/stream": Sample(query={"max_events": "1", "interval": "0.2"}),  # a bounded stream
    # the operator console's old address: a redirect to the console (not in the OpenAPI spec)
    "GET /console/{rest}": Sample(path={"rest": "alerts"}),
}


def build(jurisdiction_of=lambda object_id: OWN):
    fake = FakeServices(jurisdiction_of)
    settings = Settings(data_dir=tempfile.mkdtemp(prefix="tgd-matrix-"), rate_per_s=1e6, rate_burst=1_000_000)
    app = create_app(settings, rpc=fake)
    app.state.handover_recipients = {"operateur-fictif": HANDOVER_RECIPIENT.public_key()}
    return TestClient(app, raise_server_exceptions=False), fake, app


APP = build()[2]
ROUTES = declared_keys(APP)
SPEC = APP.openapi()


def value_for(schema: dict[str, Any]) -> Any:
    """A valid value for a simple parameter schema (enum, pattern, integer, string)."""
    import warnings

    from hypothesis import find, settings
    from hypothesis import strategies as st

    if "enum" in schema:
        return schema["enum"][0]
    if "anyOf" in schema:
        return value_for(next(s for s in schema["anyOf"] if s.get("type") != "null"))
    if schema.get("type") == "integer":
        return schema.get("minimum", 1)
    if "pattern" in schema:
        # The simplest matching value, the same on every run: a random ``.example()`` once drew
        # "." or "..", which a URL normalises away (``/devices/..`` is ``/device-alerts``): a 404.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            strategy = st.from_regex(schema["pattern"], fullmatch=True)
            return find(strategy, lambda v: v.strip("."), settings=settings(database=None))
    return "x" * max(1, schema.get("minLength", 1))


def generated_sample(key: str, sample: Sample | None = None) -> Sample:
    """Path and required query parameters from the spec; the body only from a ``Sample``."""
    method, path = key.split(" ", 1)
    operation = SPEC["paths"].get(path, {}).get(method.lower(), {})  # the docs routes are not in the spec
    assert sample or "requestBody" not in operation, f"add a Sample with a valid body for {key} in {__file__}"
    sample = sample or Sample()
    for parameter in operation.get("parameters", []):
        if parameter["name"] in sample.path or parameter["name"] in sample.query:
            continue
        if parameter["in"] == "path":
            sample.path[parameter["name"]] = str(value_for(parameter["schema"]))
        elif parameter["in"] == "query" and parameter.get("required"):
            sample.query[parameter["name"]] = str(value_for(parameter["schema"]))
    return sample


def test_every_route_has_an_access_rule_and_every_rule_a_route():
    assert [key for key in ROUTES if key not in ACCESS] == [], "declare these routes in gateway/auth/access.py"
    assert [key for key in ACCESS if key not in ROUTES] == [], "these rules name no route"


def put(target: dict[str, Any], dotted: str, value: str) -> None:
    *parents, last = dotted.split(".")
    for part in parents:
        target = target.setdefault(part, {})
    target[last] = value


def recipient_for(role: Role | None, jurisdiction: str) -> dict[str, str]:
    """The recipient a partner of ``role`` answers as: its unit in ``jurisdiction``'s territory."""
    audience = role.value if role in (Role.POLICE, Role.GENDARMERIE, Role.ASSOCIATION) else "police"
    territory = jurisdiction if audience == "association" else JURISDICTIONS[jurisdiction].department
    return {"audience": audience, "territory": territory, "unit": unit_of(OWN)}


def national(rule: Any) -> bool:
    return any(loc.source is Source.NATIONAL for loc in rule.territory)


def request_for(key: str, jurisdiction: str, role: Role | None = None) -> tuple[str, str, dict[str, Any]]:
    sample = generated_sample(key, copy.deepcopy(SAMPLES[key]) if key in SAMPLES else None)
    for loc in ACCESS[key].territory:
        if loc.source is Source.QUERY:
            sample.query[loc.field] = jurisdiction
        elif loc.source is Source.PATH:
            sample.path[loc.field] = jurisdiction
        elif loc.source is Source.BODY:
            value = unit_of(jurisdiction) if loc.kind == "unit" else jurisdiction
            put(sample.json, loc.field, AUDIENCE_OF_ROLE.get(role, "parquet") if loc.kind == "audience" else value)
        elif loc.source is Source.RECIPIENT:
            put(sample.json, loc.field, recipient_for(role, jurisdiction))
    method, path = key.split(" ", 1)
    url = path.format(**sample.path)
    kwargs: dict[str, Any] = {"params": sample.query, "headers": sample.headers}
    if sample.json is not None:
        kwargs["json"] = sample.json
    return method, url, kwargs


@pytest.mark.parametrize("where", ["own", "foreign", "foreign-object"])
@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("key", ROUTES)
def test_matrix(key, role, where):
    """own: the caller's jurisdiction everywhere; foreign: another one everywhere (request
    and stored objects); foreign-object: the request names the caller's jurisdiction but
    the service's objects belong to another one (a guessed id, a lying parameter)."""
    assert key in ACCESS, f"no access rule declared for {key}: add it to gateway/auth/access.py"
    rule = ACCESS[key]
    requested = FOREIGN if where == "foreign" else OWN
    stored = OWN if where == "own" else FOREIGN
    client, fake, _ = build(jurisdiction_of=lambda object_id: stored)
    fake.notice_audience = role.value if role in FORCES else Role.POLICE.value  # a notice to the caller's force
    fake.reminder_audience = AUDIENCE_OF_ROLE.get(role, "parquet")  # a reminder to the caller's audience
    method, url, kwargs = request_for(key, requested, role)
    # a national rule (the teleassistance platform): "own" is a national token, "foreign" a local one
    token_scope = "*" if national(rule) and where != "foreign" else OWN
    caller = auth_headers(role, token_scope, unit=unit_of(OWN))  # a unit token: forces act as the unit of OWN
    kwargs["headers"] = {**kwargs["headers"], **caller, "X-Access-Reason": "controle:matrix"}
    response = client.request(method, url, **kwargs)

    if rule.public:
        assert response.status_code not in (401, 403), response.text
        return
    if role not in rule.roles:
        assert response.status_code == 403, response.text
        assert response.json()["error"] == "forbidden"
        assert fake.calls == []
    elif where == "foreign":
        hides = any(loc.source in (Source.ANSWER, Source.LOOKUP) for loc in rule.territory) and not any(
            loc.source in (Source.QUERY, Source.PATH, Source.BODY, Source.NATIONAL)
            and loc.kind != "audience"  # who, not where
            for loc in rule.territory
        )
        if hides:
            assert response.status_code == 404, response.text
            assert response.json()["error"] == rule.not_found.value
        else:
            assert response.status_code == 403, response.text
            assert response.json()["error"] == "forbidden"
        if method != "GET":  # nothing was changed: at most the declared lookups were called
            lookups = {loc.lookup[:2] for loc in rule.territory if loc.source is Source.LOOKUP}
            assert all((s, m) in lookups for s, m, _ in fake.calls), fake.calls
    elif where == "foreign-object" and token_scope == "*":
        assert 200 <= response.status_code < 300, response.text  # a national platform sees every territory
        return
    elif where == "foreign-object":
        assert FOREIGN not in response.text, f"{role} reads an object of {FOREIGN} through {key}"
        if not 200 <= response.status_code < 300:
            for marker in PERSONAL_MARKERS:
                assert marker not in response.text
        return
    else:
        assert 200 <= response.status_code < 300, (response.text, "service calls:", fake.calls)
        if role in rule.projected or role is Role.OBSERVATORY:
            for marker in PERSONAL_MARKERS:
                assert marker not in response.text, f"{role} sees personal data on {key}"
        return
    for marker in PERSONAL_MARKERS:
        assert marker not in response.text


@pytest.mark.parametrize("key", [k for k in ROUTES if k in ACCESS and not ACCESS[k].public])
def test_without_a_token_every_protected_route_answers_401(key):
    client, fake, _ = build()
    method, url, kwargs = request_for(key, OWN)
    response = client.request(method, url, **kwargs)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert fake.calls == []


def test_a_guessed_foreign_id_is_indistinguishable_from_a_missing_one():
    client, _, _ = build(jurisdiction_of=lambda object_id: FOREIGN)
    headers = auth_headers("association", OWN)
    foreign = client.get("/v1/referrals/0123456789abcdef0123456789abcdef", headers=headers)
    missing = client.get("/v1/referrals/ffffffffffffffffffffffffffffffff", headers=headers)
    assert foreign.status_code == missing.status_code == 404
    drop = ("request_id",)
    assert {k: v for k, v in foreign.json().items() if k not in drop} == {
        k: v for k, v in missing.json().items() if k not in drop
    }
    same = lambda r: sorted((k, v) for k, v in r.headers.items() if k not in ("x-request-id", "content-length"))  # noqa: E731
    assert same(foreign) == same(missing)


def test_a_list_never_carries_foreign_items_even_if_a_service_returns_some():
    client, fake, _ = build()
    original = fake.list_referrals

    def leaky(query):
        page = original(query)
        page["items"][1]["jurisdiction"] = FOREIGN
        return page

    fake.handlers[("referral", "list_referrals")] = leaky
    response = client.get("/v1/referrals", params={"jurisdiction": OWN}, headers=auth_headers("association", OWN))
    assert response.status_code == 200
    assert [i["jurisdiction"] for i in response.json()["items"]] == [OWN]


def test_the_referrer_gets_a_receipt_without_identity():
    client, _, _ = build()
    method, url, kwargs = request_for("POST /v1/referrals", OWN)
    kwargs["headers"].update(auth_headers("referrer", OWN))
    response = client.request(method, url, **kwargs)
    assert response.status_code == 201
    assert set(response.json()) == {"id", "status", "received_at", "urgency", "jurisdiction", "referrer_kind", "view"}


def test_a_force_of_a_department_covers_its_jurisdictions_only():
    client, _, _ = build()
    method, url, kwargs = request_for("POST /v1/referrals", "tj-cusset")
    kwargs["headers"].update(auth_headers("police", ["tj-moulins", "tj-montlucon", "tj-cusset"], unit="csp-vichy"))
    assert client.request(method, url, **kwargs).status_code == 201
    method, url, kwargs = request_for("POST /v1/referrals", "tj-nanterre")
    kwargs["headers"].update(auth_headers("police", ["tj-moulins", "tj-montlucon", "tj-cusset"]))
    assert client.request(method, url, **kwargs).status_code == 403


def test_an_undeclared_route_is_refused_to_everyone():
    client, _, app = build()

    @app.get("/v1/forgotten")
    async def forgotten() -> dict:
        return {"secret": "EXEMPLE"}

    for role in Role:
        response = client.get("/v1/forgotten", headers=auth_headers(role, OWN))
        assert response.status_code == 403
        assert "EXEMPLE" not in response.text
    assert "GET /v1/forgotten" in declared_keys(app)


def test_a_body_naming_two_jurisdictions_is_refused():
    client, fake, _ = build()
    raw = (
        b'{"referrer": {"kind": "hospital", "organisation": "H"}, "victim": {"surname": "X", "first_names": ["Y"]},'
        b' "facts": "0123456789 facts", "urgency": "urgent", "jurisdiction": "tj-moulins", "jurisdiction": "tj-paris"}'
    )
    headers = {
        "content-type": "application/json",
        "Idempotency-Key": "matrix-dup-01",
        **auth_headers("association", OWN),
    }
    response = client.post("/v1/referrals", content=raw, headers=headers)
    assert response.status_code == 422
    assert fake.calls == []


def test_a_query_naming_two_jurisdictions_is_refused():
    client, fake, _ = build()
    response = client.get(
        "/v1/referrals?jurisdiction=tj-moulins&jurisdiction=tj-paris", headers=auth_headers("association", OWN)
    )
    assert response.status_code == 422
    assert fake.calls == []


def test_two_clients_choosing_the_same_idempotency_key_do_not_collide():
    client, fake, _ = build()
    method, url, kwargs = request_for("POST /v1/referrals", OWN)
    for client_id in ("association-a", "association-b"):
        headers = {**kwargs["headers"], **auth_headers("association", OWN, client_id=client_id)}
        assert client.request(method, url, json=kwargs["json"], headers=headers).status_code == 201
    keys = [call[2]["idempotency_key"] for call in fake.calls]
    assert len(set(keys)) == 2
    bad = client.request(method, url, json=kwargs["json"], headers={**headers, "Idempotency-Key": "short"})
    assert bad.status_code == 422
