"""The forwarding routes' declaration (gateway/routes/forward.py), on a bare FastAPI app:
what reaches the service, what the caller gets back, what the OpenAPI document says."""

from __future__ import annotations

from enum import StrEnum

from fastapi import APIRouter, FastAPI
from fastapi.testclient import TestClient

from gateway.deps import get_rpc
from gateway.routes.forward import Forward, forward_errors, hex_id, jurisdiction_query, summary_and_description
from tgd_contracts.base import Contract
from tgd_contracts.errors import ErrorCode

from .fakes import FakeRpc

THING_ID = "0123456789abcdef0123456789abcdef"
ThingId = hex_id("Thing id.")
Jurisdiction = jurisdiction_query("A court.")


class Colour(StrEnum):
    GREEN = "green"


class Note(Contract):
    text: str


class Answer(Contract):
    thing_id: str
    seen: bool = False


def app_with_routes() -> tuple[FastAPI, FakeRpc]:
    router = APIRouter()
    things = Forward(router, "things")

    @things.post("/things/{thing_id}/notes", Answer, ErrorCode.INVALID_STATE, status_code=202)
    def add_note(thing_id: ThingId, note: Note):
        """Add a note

        Kept with the thing,
        newest first."""

    @things.get("/things", Answer, answer=lambda found: {**found, "seen": True})
    def find_thing(jurisdiction: Jurisdiction, colour: Colour | None = None):
        """Find a thing"""

    rpc = FakeRpc(lambda service, method, **kw: {"thing_id": kw.get("thing_id", "any")})
    app = FastAPI()
    app.include_router(router)
    app.dependency_overrides[get_rpc] = lambda: rpc
    return app, rpc


def test_path_ids_and_the_body_as_its_wire_form_reach_the_method_of_the_same_name():
    app, rpc = app_with_routes()
    response = TestClient(app).post(f"/things/{THING_ID}/notes", json={"text": "fictional"})
    assert response.status_code == 202
    assert response.json() == {"thing_id": THING_ID, "seen": False}
    assert rpc.calls == [("things", "add_note", {"thing_id": THING_ID, "note": {"text": "fictional"}})]


def test_query_filters_are_passed_and_the_answer_hook_shapes_the_reply():
    app, rpc = app_with_routes()
    response = TestClient(app).get("/things", params={"jurisdiction": "tj-moulins"})
    assert response.json() == {"thing_id": "any", "seen": True}
    TestClient(app).get("/things", params={"jurisdiction": "tj-moulins", "colour": "green"})
    assert rpc.calls == [
        ("things", "find_thing", {"jurisdiction": "tj-moulins", "colour": None}),
        ("things", "find_thing", {"jurisdiction": "tj-moulins", "colour": "green"}),
    ]
    assert type(rpc.calls[1][2]["colour"]) is str  # the choice's value, as the services take it


def test_invalid_input_never_reaches_the_service():
    app, rpc = app_with_routes()
    client = TestClient(app)
    assert client.post("/things/not-an-id/notes", json={"text": "x"}).status_code == 422
    assert client.get("/things", params={"jurisdiction": "X"}).status_code == 422
    assert rpc.calls == []


def test_the_document_has_the_docstring_the_parameters_and_the_errors():
    app, _ = app_with_routes()
    operation = app.openapi()["paths"]["/things/{thing_id}/notes"]["post"]
    assert operation["summary"] == "Add a note"
    assert operation["description"] == "Kept with the thing, newest first."
    assert [(p["name"], p["in"], p["description"]) for p in operation["parameters"]] == [
        ("thing_id", "path", "Thing id.")
    ]
    assert operation["requestBody"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Note"}
    assert set(operation["responses"]) == {"202", "400", "409", "413", "415", "422", "500", "503", "504"}
    read = app.openapi()["paths"]["/things"]["get"]
    assert "description" not in read
    assert set(read["responses"]) == {"200", "422", "500", "503", "504"}


def test_errors_of_one_status_keep_the_order_given():
    responses = forward_errors((ErrorCode.MISSING_IDEMPOTENCY_KEY, ErrorCode.UNKNOWN_JURISDICTION), with_body=True)
    assert responses[400]["description"] == "Error: malformed_json, missing_idempotency_key"
    assert responses[422]["description"] == "Error: invalid_request, unknown_jurisdiction"
    assert 413 not in forward_errors((), with_body=False)


def test_summary_and_description_are_each_one_line():
    assert summary_and_description("One\n    line\n\n    Then the\n    rest.") == ("One line", "Then the rest.")
    assert summary_and_description("Only a summary") == ("Only a summary", None)
