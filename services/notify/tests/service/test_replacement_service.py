# ruff: noqa: F811  (the ``service`` fixture is imported from test_service)
"""Her lost or broken terminal replaced, through the notify service: the forces serving
her re-informed with their own view and the new terminal."""

from datetime import timedelta

import pytest

from notify.exceptions import InvalidState
from tgd_contracts.envelope import build_envelope
from tgd_contracts.handling import DeviceReplaced
from tgd_servicekit.handlers import ReceivedEvent

from .test_service import T0, acknowledge_all, provisioned, service  # noqa: F401 (the fixture)


def replaced(at=T0 + timedelta(days=3)):
    data = DeviceReplaced(
        device_id="dev-2",
        previous_device_id="dev-1",
        attribution_id="att-1",
        jurisdiction="tj-moulins",
        department="03",
        home_insee_code="03901",
        reason="broken",
        replaced_at=at,
    )
    envelope = build_envelope(source_service="device", event_name="device_replaced", subject="att-1", data=data)
    return ReceivedEvent(envelope=envelope, data=data)


def test_a_replacement_re_informs_every_force_with_its_view_and_forces_informed_names_the_new_terminal(service):
    service.on_device_provisioned(provisioned())
    acknowledge_all(service)
    service.partners.sent.clear()
    service.on_device_replaced(replaced())
    service.on_device_replaced(replaced())  # replayed: nothing more
    sent = {k: e.data for k, e in service.partners.sent}
    assert set(sent) == {"police.03.csp-fictive-a.notice", "police.03.ddsp-03.notice", "gendarmerie.03.ggd-03.notice"}
    for data in sent.values():
        assert (data["purpose"], data["device_id"], data["previous_device_id"]) == ("device_replaced", "dev-2", "dev-1")
    unit, directorate = sent["police.03.csp-fictive-a.notice"], sent["police.03.ddsp-03.notice"]
    assert unit["beneficiary"]["identity"]["surname"] == "EXEMPLE"
    assert unit["author"]["address"]["street"] == "9 Rue de l'Auteur"  # the unit competent for her home
    assert unit["beneficiary"]["phones"]
    assert directorate["author"].get("address") is None  # a directorate's summary view
    assert not directorate["beneficiary"].get("phones")
    assert sent["gendarmerie.03.ggd-03.notice"]["sip_registration_requested"] is True
    assert service.get_information("att-1")["status"] == "informing"
    acknowledge_all(service)
    informed = [e.data for e in service.events.published if e.event_name == "forces_informed"]
    assert informed[-1]["device_id"] == "dev-2"


def test_a_replacement_before_the_notices_is_retried(service):
    with pytest.raises(InvalidState):  # requeued until the provisioning is handled
        service.on_device_replaced(replaced())
    assert service.partners.sent == []
