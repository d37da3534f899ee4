"""DeviceService with worker_factory: real repository on an in-memory database, a
recording publisher, a clock the test moves."""

from datetime import UTC, datetime, timedelta

import pytest
from nameko.testing.services import worker_factory

from device.domain import Policy
from device.exceptions import (
    AttributionNotFound,
    DeviceAlreadyRegistered,
    DeviceInactive,
    DeviceNotFound,
    InvalidRequest,
    InvalidState,
    UnknownJurisdiction,
)
from device.models import DB_ALIAS, AssignmentDocument
from device.repository import DeviceRepository
from device.service import DeviceService
from tgd_contracts.dossier import Dossier
from tgd_contracts.envelope import build_envelope
from tgd_contracts.evaluation import AttributionDecided, AttributionExpired, AttributionWithdrawn
from tgd_servicekit.durations import parse_period
from tgd_servicekit.handlers import ReceivedEvent
from tgd_servicekit.outbox import publish_one_by_one

from ..factories import BENEFICIARY_CALL, OPERATOR_CALL, fiche, registration

T0 = datetime(2026, 4, 1, 9, 0, tzinfo=UTC)


class RecordingPublisher:
    def __init__(self):
        self.published = []

    def build(self, event_name, subject, data):
        return build_envelope(source_service="device", event_name=event_name, subject=subject, data=data)

    def publish(self, envelope):
        self.published.append(envelope)

    def publish_many(self, envelopes):  # the relay's: one by one here
        return publish_one_by_one(self.publish)(envelopes)

    def names(self):
        return [e.event_name for e in self.published]


class MovableClock:
    def __init__(self, start):
        self.value = start

    def __call__(self):
        return self.value


@pytest.fixture
def service(in_memory_db):
    in_memory_db(DB_ALIAS)
    policy = Policy(parse_period("P15D"), parse_period("P2D"), parse_period("P3D"))
    return worker_factory(
        DeviceService, store=DeviceRepository(), events=RecordingPublisher(), now=MovableClock(T0), policy=policy
    )


def received(model, event_name, **data):
    body = model(**data)
    envelope = build_envelope(source_service="evaluation", event_name=event_name, subject="s", data=body)
    return ReceivedEvent(envelope=envelope, data=body)


def decided(attribution_id="att-1", granted=True):
    return received(
        AttributionDecided,
        "attribution_decided",
        attribution_id=attribution_id,
        referral_id="ref-1",
        jurisdiction="tj-moulins",
        granted=granted,
        decided_at=T0,
        ends_at=T0 + timedelta(days=180),
    )


def withdrawn(attribution_id="att-1"):
    return received(
        AttributionWithdrawn,
        "attribution_withdrawn",
        attribution_id=attribution_id,
        jurisdiction="tj-moulins",
        reason="danger_ceased",
        withdrawn_at=T0,
    )


def provisioned(service, attribution_id="att-1"):
    service.add_device(registration(1))
    service.on_attribution_decided(decided(attribution_id))
    return service.record_fiche(attribution_id, fiche())


def test_a_granted_attribution_with_its_fiche_gets_a_device_and_the_dossier_is_served(service):
    view = provisioned(service)
    assert view["status"] == "provisioned"
    assert service.events.names() == ["device_provisioned"]
    event = service.events.published[0]
    assert event.data["home_insee_code"] == "03901"
    assert event.data["department"] == "03"
    dossier = Dossier.consume(service.get_dossier(view["device_id"]))
    assert dossier.attribution_id == "att-1"
    assert dossier.beneficiary.identity.surname == "EXEMPLE"
    stock = service.list_stock("tj-moulins")
    assert (stock["in_stock"], stock["items"][0]["state"]) == (0, "assigned")


def test_replaying_the_decision_provisions_once(service):
    event = decided()
    provisioned(service)
    service.on_attribution_decided(event)
    service.on_attribution_decided(event)
    assert service.events.names() == ["device_provisioned"]


def test_out_of_stock_is_visible_alerted_once_and_resolved_when_a_device_arrives(service):
    service.on_attribution_decided(decided())
    view = service.record_fiche("att-1", fiche())
    assert view["status"] == "out_of_stock"
    service.record_fiche("att-1", fiche())
    assert service.events.names() == ["device_out_of_stock"]
    service.add_device(registration(2))
    assert service.get_assignment("att-1")["status"] == "provisioned"
    assert service.events.names() == ["device_out_of_stock", "device_provisioned"]


def test_a_refused_attribution_gets_no_device(service):
    service.add_device(registration(1))
    service.on_attribution_decided(decided(granted=False))
    with pytest.raises(InvalidState):
        service.record_fiche("att-1", fiche())
    assert service.get_assignment("att-1")["status"] == "cancelled"
    assert service.events.published == []


def test_stock_rules(service):
    service.add_device(registration(1))
    with pytest.raises(DeviceAlreadyRegistered):
        service.add_device(registration(1))
    with pytest.raises(InvalidRequest):
        service.add_device({**registration(3), "imei": "490154203237517"})
    with pytest.raises(UnknownJurisdiction):
        service.add_device(registration(4, jurisdiction="tj-nowhere"))
    with pytest.raises(UnknownJurisdiction):
        service.list_stock("tj-nowhere")


def test_hand_over_test_calls_activate_and_the_15_day_obligation_is_watched(service):
    device_id = provisioned(service)["device_id"]
    service.record_test_call(device_id, OPERATOR_CALL)
    view = service.record_test_call(device_id, BENEFICIARY_CALL)
    assert view["status"] == "active"
    assert service.list_stock("tj-moulins")["items"][0]["state"] == "active"
    service.now.value = T0 + timedelta(days=13)
    service.check_deadlines()
    service.now.value = T0 + timedelta(days=15)
    service.check_deadlines()
    service.check_deadlines()
    assert service.events.names() == ["device_provisioned", "device_activated", "test_call_due", "test_call_overdue"]


def test_test_calls_on_unknown_or_inactive_devices_are_refused(service):
    with pytest.raises(DeviceNotFound):
        service.record_test_call("no-such-device", OPERATOR_CALL)
    device_id = service.add_device(registration(1))["device_id"]
    with pytest.raises(DeviceInactive):
        service.record_test_call(device_id, OPERATOR_CALL)
    with pytest.raises(DeviceNotFound):
        service.get_dossier(device_id)
    with pytest.raises(AttributionNotFound):
        service.get_assignment("att-unknown")


def test_a_device_is_read_with_its_jurisdiction(service):
    device_id = service.add_device(registration(1))["device_id"]
    device = service.get_device(device_id)
    assert (device["device_id"], device["jurisdiction"], device["state"]) == (device_id, "tj-moulins", "in_stock")
    with pytest.raises(DeviceNotFound):
        service.get_device("no-such-device")


def test_withdrawal_returns_the_device_replays_change_nothing_and_data_is_wiped(service):
    device_id = provisioned(service)["device_id"]
    service.record_test_call(device_id, OPERATOR_CALL)
    service.record_test_call(device_id, BENEFICIARY_CALL)
    event = withdrawn()
    service.on_attribution_withdrawn(event)
    service.on_attribution_withdrawn(event)
    service.on_attribution_expired(
        received(
            AttributionExpired, "attribution_expired", attribution_id="att-1", jurisdiction="tj-moulins", expired_at=T0
        )
    )
    assert service.events.names().count("device_returned") == 1
    stock = service.list_stock("tj-moulins")
    assert (stock["in_stock"], stock["to_collect"]) == (0, 1)  # to be collected and reset first
    with pytest.raises(DeviceNotFound):
        service.get_dossier(device_id)
    with pytest.raises(DeviceInactive):
        service.record_test_call(device_id, OPERATOR_CALL)
    service.now.value = T0 + timedelta(days=3)
    service.check_deadlines()
    doc = AssignmentDocument.objects.get(attribution_id="att-1")
    assert doc.wiped is True
    assert doc.state["fiche"] is None
    assert "EXEMPLE" not in str(doc.to_mongo())


def snapshot():
    return sorted((d.attribution_id, d.state, len(d.outbox)) for d in AssignmentDocument.objects)


@pytest.mark.parametrize("handler", ["on_attribution_decided", "on_attribution_withdrawn", "on_attribution_expired"])
def test_replaying_any_consumed_event_changes_nothing(service, handler):
    device_id = provisioned(service)["device_id"]
    service.record_test_call(device_id, OPERATOR_CALL)
    service.record_test_call(device_id, BENEFICIARY_CALL)
    event = {
        "on_attribution_decided": decided(),
        "on_attribution_withdrawn": withdrawn(),
        "on_attribution_expired": received(
            AttributionExpired, "attribution_expired", attribution_id="att-1", jurisdiction="tj-moulins", expired_at=T0
        ),
    }[handler]
    getattr(service, handler)(event)
    before, published = snapshot(), len(service.events.published)
    getattr(service, handler)(event)
    assert snapshot() == before
    assert len(service.events.published) == published


def test_the_fiche_navette_is_not_stored_in_clear(service):
    import mongoengine

    provisioned(service)
    raw = mongoengine.get_db(DB_ALIAS).assignments.find_one()
    for personal in ("EXEMPLE", "AUTEUR-FICTIF", "1 Rue Fictive"):  # values of factories.fiche()
        assert personal not in str(raw)
    assert raw["status"]  # routing and state facts stay queryable


def test_the_assignment_evidence_holds_the_fiche_the_test_calls_and_the_terminal(service):
    from tgd_contracts.evidence import EvidencePart

    device_id = provisioned(service)["device_id"]
    service.record_test_call(device_id, OPERATOR_CALL)
    service.record_test_call(device_id, BENEFICIARY_CALL)
    part = EvidencePart.consume(service.assignment_evidence("att-1"))
    assert (part.service, part.subject_id, part.jurisdiction) == ("device", "att-1", "tj-moulins")
    assert part.related_ids == {"device_ids": [device_id]}
    assert part.records["device"]["device_id"] == device_id
    assert part.records["assignment"]["status"] == "active"
    assert len(part.records["assignment"]["test_calls"]) == 2
    assert [e["type"].removeprefix("fr.tgd.") for e in part.events] == ["device_provisioned", "device_activated"]
    with pytest.raises(AttributionNotFound):
        service.assignment_evidence("att-unknown")
