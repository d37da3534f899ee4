# ruff: noqa: F811  (the ``service`` fixture is imported from test_service)
"""Her move after provisioning, through the device service (fiche, event, dossier)."""

import pytest

from device.exceptions import AttributionNotFound, HomeOutsideDepartment, InvalidRequest, InvalidState
from device.models import AssignmentDocument
from tgd_contracts.dossier import Dossier

from ..factories import HOME, fiche
from .test_service import T0, provisioned, service  # noqa: F401 (the fixture)

NEW_HOME = {"street": "5 Rue Nouvelle Fictive", "postcode": "03200", "city": "Commune Fictive C", "insee_code": "03903"}


def move(service, home=NEW_HOME, attribution_id="att-1"):
    return service.change_home(attribution_id, {"home": home, "reported_by": "Parquet de Moulins (fictif)"})


def test_a_move_replaces_the_home_and_tells_the_other_services(service):
    view = provisioned(service)
    move(service)
    event = service.events.published[-1]
    assert event.event_name == "beneficiary_moved"
    assert (event.data["home_insee_code"], event.data["previous_insee_code"]) == ("03903", "03901")
    assert event.data["department"] == "03"
    assert event.data["device_id"] == view["device_id"]
    dossier = Dossier.consume(service.get_dossier(view["device_id"]))
    assert dossier.beneficiary.home.street == "5 Rue Nouvelle Fictive"
    move(service)  # the same home again: nothing more
    assert service.events.names().count("beneficiary_moved") == 1


def test_a_move_to_another_department_is_refused_and_changes_nothing(service):
    provisioned(service)
    before = AssignmentDocument.objects.get(attribution_id="att-1").state
    elsewhere = {**NEW_HOME, "postcode": "92000", "insee_code": "92901"}
    with pytest.raises(HomeOutsideDepartment) as refused:
        move(service, elsewhere)
    assert "92" in refused.value.message
    assert "transfer" in refused.value.message
    assert AssignmentDocument.objects.get(attribution_id="att-1").state == before
    assert "beneficiary_moved" not in service.events.names()


def test_a_move_before_provisioning_or_of_an_unknown_attribution_is_refused(service):
    with pytest.raises(AttributionNotFound):
        move(service, attribution_id="att-unknown")
    service.record_fiche("att-2", fiche())  # waiting for the decision
    with pytest.raises(InvalidState):
        move(service, attribution_id="att-2")
    with pytest.raises(InvalidRequest):
        service.change_home("att-2", {"home": {**HOME, "insee_code": "x"}, "reported_by": "p"})


def test_correcting_the_fiche_with_another_commune_after_provisioning_points_to_the_move(service):
    provisioned(service)
    with pytest.raises(InvalidState) as refused:
        service.record_fiche("att-1", fiche("03903"))
    assert "/home" in refused.value.message
