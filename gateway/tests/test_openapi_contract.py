"""What generated clients rely on in the OpenAPI document (gateway/contract/openapi_rules.py,
operation_ids.py): stable readable operation ids, ASCII tags, the OAuth2 client-credentials
scheme, typed success answers, declared headers, open enumerations in answers."""

from __future__ import annotations

import json
import tempfile

import pytest
from fastapi.testclient import TestClient

from gateway.auth.access import ACCESS
from gateway.contract.idempotency import idempotent_route
from gateway.contract.openapi_rules import TAGS, TOKEN_URL
from gateway.contract.operation_ids import OPERATION_IDS, VERBS, follows_rule
from gateway.main import create_app
from gateway.settings import Settings
from tgd_contracts.errors import ErrorCode
from tgd_testkit.fake_services import FakeServices


@pytest.fixture(scope="module")
def spec() -> dict:
    app = create_app(Settings(_env_file=None, data_dir=tempfile.mkdtemp()), rpc=FakeServices())
    return TestClient(app).get("/openapi.json").json()


def operations(spec: dict):
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            yield f"{method.upper()} {path}", op


def test_operation_ids_follow_one_rule_and_are_unique(spec):
    ids = [op["operationId"] for _, op in operations(spec)]
    assert len(ids) == len(set(ids))
    assert [i for i in ids if not follows_rule(i)] == [], f"lowerCamelCase, starting with one of {sorted(VERBS)}"
    assert all(follows_rule(name) for name in OPERATION_IDS.values())
    assert not follows_rule("submit_referral_v1_referrals_post")
    assert not follows_rule("referralCreate")


def test_the_table_names_the_documented_routes(spec):
    documented = {key for key, _ in operations(spec)}
    assert sorted(set(OPERATION_IDS) - documented) == [], "stale names in gateway/contract/operation_ids.py"
    by_key = {key: op["operationId"] for key, op in operations(spec)}
    assert by_key["POST /v1/referrals"] == "createReferral"
    assert by_key["POST /v1/alerts/{alert_id}/acknowledgements"] == "acknowledgeAlert"


def test_tags_are_ascii_and_described_in_french(spec):
    used = {tag for _, op in operations(spec) for tag in op.get("tags", [])}
    described = {t["name"]: t["description"] for t in spec["tags"]}
    assert all(tag.isascii() and tag == tag.lower() and " " not in tag for tag in used)
    assert used <= set(described)
    assert {t["name"] for t in TAGS} == set(described)


def test_oauth2_client_credentials_beside_bearer(spec):
    schemes = spec["components"]["securitySchemes"]
    assert schemes["oauth2"]["flows"]["clientCredentials"]["tokenUrl"] == TOKEN_URL
    assert schemes["bearer"]["scheme"] == "bearer"
    for key, op in operations(spec):
        if not ACCESS[key].public:
            assert op["security"] == [{"bearer": []}, {"oauth2": []}], key


def test_every_success_answer_is_typed(spec):
    for key, op in operations(spec):
        for status, response in op["responses"].items():
            if not status.startswith("2"):
                continue
            assert response.get("content"), key
            for media_type, content in response["content"].items():
                schema = content.get("schema", {})
                if media_type.endswith("json"):
                    assert "$ref" in schema or "oneOf" in schema, (key, media_type, schema)
                elif media_type == "text/event-stream":
                    assert set(schema["properties"]) >= {"event", "data"}, key
                else:
                    assert schema.get("type") == "string", (key, media_type)
    assert "HTTPValidationError" not in spec["components"]["schemas"]


def test_headers_are_declared_with_their_rules(spec):
    for key, op in operations(spec):
        headers = {p["name"]: p for p in op.get("parameters", []) if p["in"] == "header"}
        rule = ACCESS[key]
        assert ("X-Access-Reason" in headers) == (rule.reason_required or rule.personal), key
        if "X-Access-Reason" in headers:
            assert headers["X-Access-Reason"]["required"] == rule.reason_required, key
        mode = idempotent_route(*key.split(" ", 1))
        assert ("Idempotency-Key" in headers) == (mode is not None), key
        if mode is not None:
            assert headers["Idempotency-Key"]["required"] == (mode == "required"), key
            assert headers["Idempotency-Key"]["schema"]["pattern"], key


def test_booleans_are_booleans(spec):
    urgent = next(p for p in spec["paths"]["/v1/referrals"]["get"]["parameters"] if p["name"] == "urgent")
    assert {"type": "boolean"} in urgent["schema"]["anyOf"]


def test_enums_read_in_answers_are_open_and_listed(spec):
    schemas = spec["components"]["schemas"]
    error = schemas["ErrorCode"]
    assert "enum" not in error
    assert error["type"] == "string"
    assert error["x-known-values"] == [code.value for code in ErrorCode]
    assert "new values may be added" in error["description"]
    assert "enum" not in schemas["AlertState"]
    assert "enum" not in json.dumps(schemas["AlertView"])
    # what only clients send stays closed: the server refuses what it does not know
    assert schemas["TestCallDirection"]["enum"]
    assert "enum" not in schemas["ReferralStatus"]  # one value today: a status is how a list grows


def test_an_answer_of_several_models_names_its_discriminator(spec):
    schema = spec["paths"]["/v1/referrals"]["post"]["responses"]["201"]["content"]["application/json"]["schema"]
    assert schema["discriminator"]["propertyName"] == "view"
    assert set(schema["discriminator"]["mapping"]) == {"record", "receipt"}


def test_only_the_statuses_a_route_can_answer(spec):
    for key, op in operations(spec):
        if "requestBody" not in op:
            assert not {"413", "415"} & set(op["responses"]), key
        if "requestBody" not in op and not op.get("parameters"):
            assert "422" not in op["responses"], key
    assert "422" not in spec["paths"]["/v1/alerts"]["get"]["responses"]
