"""Terminals as they are handled, over the API (fake services): who may transfer, retire,
replace and record a hand-over; a refusal of the device service reaches the caller with
its code, and a route refused by the gateway never reaches the device service."""

import tempfile

import pytest
from fastapi.testclient import TestClient

from gateway.main import create_app
from gateway.settings import Settings
from tgd_contracts.errors import ErrorCode, TgdError
from tgd_testkit.fake_services import FakeServices
from tgd_testkit.tokens import auth_headers

from .lifecycle_samples import IDS, LIFECYCLE_SAMPLES

DID, AID = IDS["device_id"], IDS["attribution_id"]
TRANSFER = f"/v1/devices/{DID}/transfer"
RETIREMENT = f"/v1/devices/{DID}/retirement"
REPLACEMENT = f"/v1/attributions/{AID}/device-replacement"
HAND_OVER = f"/v1/attributions/{AID}/hand-over"


def client(jurisdiction="tj-moulins"):
    fake = FakeServices(lambda object_id: jurisdiction)
    app = create_app(Settings(data_dir=tempfile.mkdtemp(prefix="tgd-handling-")), rpc=fake)
    return TestClient(app, raise_server_exceptions=False), fake


def sample(route):
    return LIFECYCLE_SAMPLES[f"POST {route.replace(DID, '{device_id}').replace(AID, '{attribution_id}')}"]


def called(fake, method):
    return [kwargs for service, m, kwargs in fake.calls if (service, m) == ("device", method)]


@pytest.mark.parametrize(
    ("route", "method", "roles"),
    [
        (TRANSFER, "transfer_device", ("teleassistance", "prosecutor")),
        (RETIREMENT, "retire_device", ("teleassistance", "prosecutor")),
        (REPLACEMENT, "replace_device", ("teleassistance", "prosecutor")),
        (HAND_OVER, "record_hand_over", ("association",)),
    ],
)
def test_each_action_is_for_its_partners_of_the_terminals_court_only(route, method, roles):
    for role in ("prosecutor", "association", "teleassistance", "police", "observatory"):
        c, fake = client()
        response = c.post(route, json=sample(route), headers=auth_headers(role, "tj-moulins"))
        if role in roles:
            assert response.status_code == 200, (role, response.text)
            assert len(called(fake, method)) == 1
        else:
            assert response.status_code == 403, (role, response.text)
            assert called(fake, method) == []
    if "prosecutor" in roles:  # the parquet of another court: as if the object did not exist
        c, fake = client()
        foreign = c.post(route, json=sample(route), headers=auth_headers("prosecutor", "tj-paris"))
        assert foreign.status_code == 404
        assert called(fake, method) == []


def test_a_transfer_to_another_department_is_a_409_with_its_code():
    c, fake = client()

    def refuse(device_id, transfer):
        raise TgdError("Nanterre is in department 92.", code=ErrorCode.COURT_OUTSIDE_DEPARTMENT)

    fake.handlers[("device", "transfer_device")] = refuse
    body = {**sample(TRANSFER), "to_jurisdiction": "tj-nanterre"}
    response = c.post(TRANSFER, json=body, headers=auth_headers("prosecutor", "tj-moulins"))
    assert response.status_code == 409
    assert response.json()["error"] == "court_outside_department"


def test_out_of_stock_is_a_409_with_its_code():
    c, fake = client()

    def refuse(attribution_id, replacement):
        raise TgdError(code=ErrorCode.OUT_OF_STOCK)

    fake.handlers[("device", "replace_device")] = refuse
    response = c.post(REPLACEMENT, json=sample(REPLACEMENT), headers=auth_headers("teleassistance", "tj-moulins"))
    assert (response.status_code, response.json()["error"]) == (409, "out_of_stock")


@pytest.mark.parametrize(
    ("route", "role", "body"),
    [
        (TRANSFER, "prosecutor", {"to_jurisdiction": "Tribunal de Nanterre!", "requested_by": "P"}),
        (RETIREMENT, "prosecutor", {"reason": "sold", "retired_by": "P"}),
        (REPLACEMENT, "teleassistance", {"reason": "lost"}),
        (HAND_OVER, "association", {**LIFECYCLE_SAMPLES["POST /v1/attributions/{attribution_id}/hand-over"],
                                    "present": [{"role": "beneficiary"}, {"role": "other"}]}),
    ],
)  # fmt: skip
def test_a_bad_body_is_refused_before_the_device_service(route, role, body):
    c, fake = client()
    response = c.post(route, json=body, headers=auth_headers(role, "tj-moulins"))
    assert response.status_code == 422, response.text
    assert [m for s, m, _ in fake.calls if s == "device" and m != "get_device"] == []
