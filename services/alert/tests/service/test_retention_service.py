# ruff: noqa: F811  (the ``service`` fixture is imported from test_service)
"""The alert service's retention, through its entrypoints (worker_factory, in-memory
database, the clock moved by hand): the prosecutor's authorisation, the timer's run
(counts logged, nothing more on a second run), the device return, the raw documents."""

import logging
from datetime import timedelta

import mongoengine
import pytest

from alert.exceptions import AlertNotFound, InvalidRequest, RetentionOver
from alert.models import DB_ALIAS, AlertDocument, DeviceDocument
from tgd_contracts.device import DeviceReturned
from tgd_contracts.events import EventName

from .test_service import T0, provision, received, service, trigger  # noqa: F401  (fixture)

HOUR = timedelta(hours=1)
GRANT = {"authorised_by": "Parquet de Moulins (fictif)", "client_id": "parquet-moulins"}
DOSSIER = {
    "attribution_id": "att-1",
    "device_id": "dev-1",
    "jurisdiction": "tj-moulins",
    "beneficiary": {
        "identity": {"surname": "EXEMPLE-RETENTION", "first_names": ["Fictive"]},
        "disability_or_speech_difficulty": False,
        "home": {"street": "9 Rue Fictive", "postcode": "03000", "city": "Moulins", "insee_code": "03190"},
        "geolocation_consent": True,
    },
    "author": {
        "identity": {"surname": "AUTEUR-FICTIF", "first_names": ["X"]},
        "no_contact_order": {"basis": "protection_order", "starts_on": "2026-01-01"},
    },
}


def raw_alert(alert_id):
    return mongoengine.get_db(DB_ALIAS)[AlertDocument._get_collection_name()].find_one({"_id": alert_id})


def returned(service, at):
    service.on_device_returned(
        received(EventName.DEVICE_RETURNED, DeviceReturned(device_id="dev-1", attribution_id="att-1", returned_at=at))
    )


def closed_alert(service):
    service.dossiers.fetch = lambda device_id: DOSSIER
    provision(service)
    alert_id = trigger(service)["alert_id"]
    service.qualify_alert(alert_id, {"operator": "op-1", "outcome": "danger"})
    service.close_alert(alert_id, {"operator": "op-1", "note": "Propos fictifs de la clôture."})
    return alert_id


def test_an_authorised_alert_keeps_its_positions_until_192_hours(service):
    alert_id = closed_alert(service)
    service.now.now = T0 + 71 * HOUR
    view = service.authorise_position_retention(alert_id, GRANT)
    assert view["extended"] is True
    assert view["client_id"] == "parquet-moulins"
    assert view["positions_purge_at"] == (T0 + 192 * HOUR).isoformat().replace("+00:00", "Z")
    service.now.now = T0 + 192 * HOUR - timedelta(seconds=1)
    service.run_retention()
    alert = service.get_alert(alert_id)
    assert len(alert["positions"]) == 1
    assert alert["dossier"] is None
    service.now.now = T0 + 192 * HOUR
    service.run_retention()
    assert service.get_alert(alert_id)["positions"] == []


def test_an_authorisation_after_72_hours_is_refused_and_brings_nothing_back(service):
    alert_id = closed_alert(service)
    service.now.now = T0 + 72 * HOUR
    with pytest.raises(RetentionOver):
        service.authorise_position_retention(alert_id, GRANT)
    service.run_retention()
    service.now.now = T0 + 73 * HOUR
    with pytest.raises(RetentionOver):
        service.authorise_position_retention(alert_id, GRANT)
    assert service.get_alert(alert_id)["positions"] == []


@pytest.mark.parametrize(
    ("alert_id", "request_body", "error"),
    [
        ("f" * 32, GRANT, AlertNotFound),
        (None, GRANT, AlertNotFound),
        ("x", {**GRANT, "until": "2027-01-01"}, InvalidRequest),  # no other field
        ("x", {"authorised_by": "Parquet"}, InvalidRequest),  # who recorded it is required
    ],
)
def test_bad_authorisations_are_refused_clearly(service, alert_id, request_body, error):
    if alert_id == "x":
        alert_id = closed_alert(service)
    with pytest.raises(error):
        service.authorise_position_retention(alert_id, request_body)


def test_the_territory_read_names_the_jurisdiction_only(service):
    alert_id = closed_alert(service)
    assert service.alert_territory(alert_id) == {"alert_id": alert_id, "jurisdiction": "tj-moulins"}
    with pytest.raises(AlertNotFound):
        service.alert_territory("f" * 32)


def test_a_run_logs_counts_only_and_a_second_run_purges_nothing_more(service, caplog):
    alert_id = closed_alert(service)
    service.now.now = T0 + 72 * HOUR
    with caplog.at_level(logging.INFO, logger="alert.handlers.retention"):
        service.run_retention()
        service.run_retention()
    lines = [r.getMessage() for r in caplog.records if r.getMessage().startswith("retention run")]
    assert lines == [
        "retention run: positions_purged=1 dossier_copies_purged=1 alerts_anonymised=0 devices_wiped=0",
        "retention run: positions_purged=0 dossier_copies_purged=0 alerts_anonymised=0 devices_wiped=0",
    ]
    assert alert_id not in " ".join(lines)


def test_the_returned_device_facts_go_72_hours_after_the_return(service):
    alert_id = closed_alert(service)
    returned(service, T0 + HOUR)
    assert service.device_routing("dev-1")["has_dossier"] is False  # at once
    service.now.now = T0 + 73 * HOUR - timedelta(seconds=1)
    assert service.ops.run_retention().devices_wiped == 0
    assert service.device_routing("dev-1")["jurisdiction"] == "tj-moulins"
    service.now.now = T0 + 73 * HOUR
    assert service.ops.run_retention().devices_wiped == 1
    routing = service.device_routing("dev-1")
    assert (routing["jurisdiction"], routing["competent"], routing["attribution_id"]) == (None, None, None)
    assert service.ops.run_retention().devices_wiped == 0
    assert service.get_alert(alert_id)["dossier"] is None


def test_a_device_attributed_again_is_not_wiped(service):
    closed_alert(service)
    returned(service, T0 + HOUR)
    provision(service, attribution_id="att-2")  # the same device, given to another attribution
    service.now.now = T0 + 100 * HOUR
    assert service.ops.run_retention().devices_wiped == 0
    assert service.device_routing("dev-1")["jurisdiction"] == "tj-moulins"


def test_alert_records_are_anonymised_after_the_attribution_ended_plus_the_retention(service):
    alert_id = closed_alert(service)
    returned(service, T0 + 10 * 24 * HOUR)
    due = service.settings.record_retention.after(T0 + 10 * 24 * HOUR)
    service.now.now = due - timedelta(seconds=1)
    assert service.ops.run_retention().alerts_anonymised == 0
    service.now.now = due
    assert service.ops.run_retention().alerts_anonymised == 1
    assert service.ops.run_retention().alerts_anonymised == 0
    view = service.get_alert(alert_id)
    assert (view["jurisdiction"], view["outcome"], view["state"]) == ("tj-moulins", "danger", "closed")
    assert view["device_id"] == "anonymised"
    assert view["operator"] is None
    assert len(view["presses"]) == 1
    raw = raw_alert(alert_id)
    assert raw["device_id"] == "anonymised"
    assert raw["press_ids"] == []
    assert raw["outbox"] == []
    assert raw["basis_ended_at"] is None
    assert raw["positions_purge_at"] is None


def test_stored_alert_documents_hold_no_plaintext_personal_value(service):
    alert_id = closed_alert(service)
    service.authorise_position_retention(alert_id, GRANT)
    for text in (
        str(raw_alert(alert_id)),
        str(mongoengine.get_db(DB_ALIAS)[DeviceDocument._get_collection_name()].find_one()),
    ):
        for personal in (
            "EXEMPLE-RETENTION",
            "9 Rue Fictive",
            "AUTEUR-FICTIF",
            "46.56",
            "Propos fictifs",
            "Parquet de Moulins",
        ):
            assert personal not in text
