"""Calling another service with a timeout: its answer, None for the one error code the
caller expects, the caller's own error for anything else."""

from __future__ import annotations

import eventlet
import pytest
from nameko.exceptions import RemoteError

from tgd_contracts.errors import ErrorCode, TgdError
from tgd_servicekit.remote import TimedCall


class Unavailable(Exception):
    pass


class Answer:
    def __init__(self, outcome):
        self.outcome = outcome

    def result(self):
        if isinstance(self.outcome, BaseException):
            raise self.outcome
        if callable(self.outcome):
            return self.outcome()
        return self.outcome


class Method:
    def __init__(self, outcome):
        self.outcome = outcome
        self.calls = []

    def call_async(self, **kwargs):
        self.calls.append(kwargs)
        return Answer(self.outcome)


class FakeRpc:
    def __init__(self, outcome):
        self.get_dossier = Method(outcome)


def remote_error(code: ErrorCode) -> RemoteError:
    return RemoteError("DeviceNotFound", str(TgdError(code=code)))


def test_the_answer_of_the_other_service():
    rpc = FakeRpc({"device_id": "dev-1"})
    assert TimedCall(rpc, 5, Unavailable)("get_dossier", device_id="dev-1") == {"device_id": "dev-1"}
    assert rpc.get_dossier.calls == [{"device_id": "dev-1"}]


def test_the_error_code_the_caller_expects_is_none():
    call = TimedCall(FakeRpc(remote_error(ErrorCode.DEVICE_NOT_FOUND)), 5, Unavailable)
    assert call("get_dossier", ErrorCode.DEVICE_NOT_FOUND, device_id="dev-1") is None


@pytest.mark.parametrize("absent", [None, ErrorCode.ATTRIBUTION_NOT_FOUND])
def test_another_answered_error_is_the_callers_unavailable_error(absent):
    call = TimedCall(FakeRpc(remote_error(ErrorCode.DEVICE_NOT_FOUND)), 5, Unavailable)
    with pytest.raises(Unavailable, match="RemoteError"):
        call("get_dossier", absent, device_id="dev-1")


def test_a_failure_to_call_is_the_callers_unavailable_error_named_after_it():
    call = TimedCall(FakeRpc(ConnectionError("gone")), 5, Unavailable)
    with pytest.raises(Unavailable, match="ConnectionError"):
        call("get_dossier", ErrorCode.DEVICE_NOT_FOUND, device_id="dev-1")


def test_no_answer_in_time_is_the_callers_unavailable_error():
    call = TimedCall(FakeRpc(lambda: eventlet.sleep(30)), 0.01, Unavailable)
    with pytest.raises(Unavailable, match="Timeout"):
        call("get_dossier", device_id="dev-1")
