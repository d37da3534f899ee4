"""The notify service's clients of the device and evaluation services: what each answer
means for a notice (the calls' timeout and failures: tgd_servicekit.remote)."""

import pytest

from notify.dependencies import DossierClient, MeasureClient, service_unavailable
from notify.exceptions import AttributionNotFound
from tgd_contracts.errors import ErrorCode

from ..factories import measure_view


class FakeCall:
    """A TimedCall that answers ``answer`` (None: the error code the client expects)."""

    def __init__(self, answer):
        self.answer = answer
        self.calls = []

    def __call__(self, method, absent=None, **kwargs):
        self.calls.append((method, absent, kwargs))
        return self.answer


def test_a_returned_device_has_no_dossier():
    call = FakeCall(None)
    assert DossierClient(call).fetch("dev-1") is None
    assert call.calls == [("get_dossier", ErrorCode.DEVICE_NOT_FOUND, {"device_id": "dev-1"})]


def test_an_attribution_the_evaluation_service_does_not_know_is_not_found():
    call = FakeCall(None)
    with pytest.raises(AttributionNotFound):
        MeasureClient(call).attribution("att-1")
    assert call.calls == [("get_attribution", ErrorCode.ATTRIBUTION_NOT_FOUND, {"attribution_id": "att-1"})]


def test_the_attribution_as_the_evaluation_service_answers_it():
    view = measure_view()
    assert MeasureClient(FakeCall(view.to_wire())).attribution("att-1") == view


def test_an_unanswered_call_is_service_unavailable():
    assert service_unavailable("Timeout").code == ErrorCode.SERVICE_UNAVAILABLE
