# ruff: noqa: F811  (the ``service`` fixture is imported from test_service)
"""The operator's personal data (fiche navette, test calls) is wiped at most 3 days after
the device's return (arrêté du 22 avril 2015), never stored in clear, and the fiche holds
the arrêté's fields and nothing else."""

import logging
from datetime import timedelta

import pytest

from device.exceptions import InvalidRequest
from device.models import AssignmentDocument

from ..factories import BENEFICIARY_CALL, OPERATOR_CALL, fiche
from .test_service import T0, provisioned, service, withdrawn  # noqa: F401  (fixture)

PERSONAL = ("EXEMPLE", "Fictive", "AUTEUR-FICTIF", "1 Rue Fictive", "Commune Fictive A")


def raw_assignments() -> str:
    return str(list(AssignmentDocument._get_collection().find()))


def test_the_fiche_is_kept_until_3_days_after_the_return_and_wiped_at_3_days(service, caplog):
    device_id = provisioned(service)["device_id"]
    service.record_test_call(device_id, OPERATOR_CALL)
    service.record_test_call(device_id, BENEFICIARY_CALL)
    service.on_attribution_withdrawn(withdrawn())  # returned at T0
    service.now.value = T0 + timedelta(days=3) - timedelta(seconds=1)
    service.check_deadlines()
    assert AssignmentDocument.objects.get(attribution_id="att-1").state["fiche"] is not None
    service.now.value = T0 + timedelta(days=3)
    with caplog.at_level(logging.INFO, logger="device"):
        service.check_deadlines()
        service.check_deadlines()  # nothing more is due
    doc = AssignmentDocument.objects.get(attribution_id="att-1")
    assert (doc.wiped, doc.state["fiche"], doc.state["test_calls"], doc.next_deadline_at) == (True, None, [], None)
    assert doc.outbox == []  # the published events (device_provisioned named her home commune) went too
    runs = [r.getMessage() for r in caplog.records if r.getMessage().startswith("retention run")]
    assert runs == ["retention run: deadlines_due=1 fiches_wiped=1"]


def test_the_stored_assignment_holds_no_plaintext_personal_value(service):
    provisioned(service)
    raw = raw_assignments()
    assert "protection_order" not in raw  # even the no-contact order's basis is sealed
    for personal in PERSONAL:
        assert personal not in raw
    assert (
        service.get_dossier(AssignmentDocument.objects.get(attribution_id="att-1").device_id)["beneficiary"][
            "identity"
        ]["surname"]
        == "EXEMPLE"
    )  # read back


@pytest.mark.parametrize(
    "extra",
    [
        {"religion": "x"},  # not a field of the arrêté
        {"home": {**fiche()["beneficiary"]["home"], "floor_plan": "x"}},
        {"identity": {"surname": "EXEMPLE", "first_names": ["Fictive"], "nationality": "x"}},
    ],
)
def test_a_fiche_with_a_field_outside_the_arretes_list_is_refused(service, extra):
    body = fiche()
    body["beneficiary"] = {**body["beneficiary"], **extra}
    with pytest.raises(InvalidRequest):
        service.record_fiche("att-1", body)
    assert AssignmentDocument.objects(attribution_id="att-1").first() is None
