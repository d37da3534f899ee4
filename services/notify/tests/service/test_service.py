"""NotifyService with worker_factory: real repository on an in-memory database,
recording publishers, a clock the test moves."""

from datetime import UTC, datetime, timedelta

import pytest
from nameko.testing.services import worker_factory

from notify.dependencies import read_directory
from notify.domain import Policy
from notify.exceptions import AttributionNotFound, InvalidRequest, NoticeNotFound
from notify.models import DB_ALIAS, InformationDocument
from notify.repository import InformationRepository, ReminderRepository
from notify.service import NotifyService
from tgd_contracts.device import DeviceProvisioned
from tgd_contracts.envelope import build_envelope
from tgd_servicekit.durations import parse_period
from tgd_servicekit.handlers import ReceivedEvent
from tgd_servicekit.outbox import publish_one_by_one

from ..factories import dossier, measure_view

T0 = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)


class RecordingEvents:
    def __init__(self):
        self.published = []

    def build(self, event_name, subject, data):
        return build_envelope(source_service="notify", event_name=event_name, subject=subject, data=data)

    def publish(self, envelope):
        self.published.append(envelope)

    def publish_many(self, envelopes):  # the relay's: one by one here
        return publish_one_by_one(self.publish)(envelopes)


class RecordingPartners:
    def __init__(self):
        self.sent = []
        self.fail = False

    def publish(self, envelope, routing_key):
        if self.fail:
            raise RuntimeError("unroutable")
        self.sent.append((routing_key, envelope))

    def keys(self):
        return [k for k, _ in self.sent]


class FakeDossiers:
    """``device.get_dossier`` as the device service answers it (home follows a move)."""

    def __init__(self):
        self.home = "03901"
        self.unavailable = False

    def fetch(self, device_id):
        if self.unavailable:
            from notify.dependencies import DossierUnavailable

            raise DossierUnavailable("timeout")
        return dossier(self.home)


class MovableClock:
    def __init__(self, start):
        self.value = start

    def __call__(self):
        return self.value


@pytest.fixture
def service(in_memory_db):
    in_memory_db(DB_ALIAS)
    return worker_factory(
        NotifyService,
        informations=InformationRepository(),
        events=RecordingEvents(),
        partners=RecordingPartners(),
        reminders=ReminderRepository(),
        directory=read_directory(None),
        dossiers=FakeDossiers(),
        now=MovableClock(T0),
        policy=Policy(parse_period("PT15M"), parse_period("PT1H")),
    )


def provisioned(insee="03901", event_id=None):
    data = DeviceProvisioned(
        device_id="dev-1",
        attribution_id="att-1",
        jurisdiction="tj-moulins",
        department=insee[:2],
        home_insee_code=insee,
        provisioned_at=T0,
    )
    envelope = build_envelope(
        source_service="device", event_name="device_provisioned", subject="att-1", data=data, event_id=event_id
    )
    return ReceivedEvent(envelope=envelope, data=data)


def notice_ids(service):
    return {data["unit_code"]: data["notice_id"] for _, data in ((k, e.data) for k, e in service.partners.sent)}


ACK = {"acknowledged_by": "Officier de permanence (fictif)"}


def test_notices_are_sent_acknowledged_and_forces_informed_is_emitted(service):
    service.on_device_provisioned(provisioned())
    assert service.partners.keys() == [
        "police.03.csp-fictive-a.notice",
        "police.03.ddsp-03.notice",
        "gendarmerie.03.ggd-03.notice",
    ]
    ids = notice_ids(service)
    service.acknowledge_notice(ids["csp-fictive-a"], {**ACK, "unit_code": "csp-fictive-a"})
    service.acknowledge_notice(ids["ddsp-03"], {**ACK, "unit_code": "ddsp-03"})
    assert service.events.published == []
    view = service.acknowledge_notice(ids["ggd-03"], {**ACK, "unit_code": "ggd-03", "sip_registered": True})
    assert view["status"] == "informed"
    (event,) = service.events.published
    assert event.event_name == "forces_informed"
    assert event.data["competent"]["unit_code"] == "csp-fictive-a"
    service.acknowledge_notice(ids["ggd-03"], {**ACK, "unit_code": "ggd-03"})  # repeated: nothing more
    assert len(service.events.published) == 1
    assert all(e.published for e in InformationDocument.objects.get(attribution_id="att-1").outbox)


def test_acknowledgements_over_amqp_count_like_the_gateways(service):
    from tgd_contracts.notice import NoticeAcknowledged

    service.on_device_provisioned(provisioned())
    ids = notice_ids(service)
    for unit in ("csp-fictive-a", "ddsp-03", "ggd-03"):
        reply = NoticeAcknowledged(notice_id=ids[unit], unit_code=unit, acknowledged_by="Officier (fictif)")
        service.on_partner_acknowledgement(reply)
        service.on_partner_acknowledgement(reply)  # replayed: nothing more
    service.on_partner_acknowledgement(
        NoticeAcknowledged(notice_id="unknown", unit_code="x", acknowledged_by="y")
    )  # logged, not retried forever
    assert [e.event_name for e in service.events.published] == ["forces_informed"]


def test_replaying_device_provisioned_sends_nothing_twice(service):
    event = provisioned(event_id="same")
    service.on_device_provisioned(event)
    service.on_device_provisioned(event)
    service.on_device_provisioned(provisioned())
    assert len(service.partners.sent) == 3
    assert InformationDocument.objects.count() == 1


def test_acknowledgements_are_checked(service):
    service.on_device_provisioned(provisioned())
    ids = notice_ids(service)
    with pytest.raises(NoticeNotFound):
        service.acknowledge_notice("unknown", {**ACK, "unit_code": "csp-fictive-a"})
    with pytest.raises(NoticeNotFound):
        service.acknowledge_notice(ids["ggd-03"], {**ACK, "unit_code": "csp-fictive-a"})
    with pytest.raises(InvalidRequest):
        service.acknowledge_notice(ids["ggd-03"], {"unit_code": "ggd-03"})
    with pytest.raises(AttributionNotFound):
        service.get_information("att-unknown")


def test_a_notice_tells_who_may_acknowledge_it(service):
    service.on_device_provisioned(provisioned())
    ids = notice_ids(service)
    notice = service.get_notice(ids["ggd-03"])
    assert (notice["unit_code"], notice["department"], notice["audience"]) == ("ggd-03", "03", "gendarmerie")
    assert service.get_notice(ids["csp-fictive-a"])["audience"] == "police"
    with pytest.raises(NoticeNotFound):
        service.get_notice("unknown")
    with pytest.raises(InvalidRequest):
        service.get_notice("x" * 65)


def test_unacknowledged_notices_are_resent_and_escalated_as_the_clock_moves(service):
    service.on_device_provisioned(provisioned())
    service.now.value = T0 + timedelta(minutes=15)
    service.check_notices()
    assert len(service.partners.sent) == 6
    service.now.value = T0 + timedelta(hours=1)
    service.check_notices()
    assert "command.03.any.escalation" in service.partners.keys()
    view = service.get_information("att-1")
    assert all(n["escalated_at"] for n in view["notices"])


def test_an_unroutable_notice_stays_in_the_outbox_until_a_partner_listens(service):
    service.partners.fail = True
    service.on_device_provisioned(provisioned())
    assert service.partners.sent == []
    service.partners.fail = False
    service.relay_outbox()
    service.relay_outbox()
    assert len(service.partners.sent) == 3


def test_the_information_evidence_holds_the_notices_and_their_acknowledgements(service):
    from tgd_contracts.evidence import EvidencePart

    service.on_device_provisioned(provisioned())
    ids = notice_ids(service)
    service.acknowledge_notice(ids["csp-fictive-a"], {**ACK, "unit_code": "csp-fictive-a"})
    part = EvidencePart.consume(service.information_evidence("att-1"))
    assert (part.service, part.subject_id) == ("notify", "att-1")
    notices = {n["unit_code"]: n for n in part.records["information"]["notices"]}
    assert notices["csp-fictive-a"]["acknowledged_at"] is not None
    assert notices["ggd-03"]["acknowledged_at"] is None
    with pytest.raises(AttributionNotFound):
        service.information_evidence("att-unknown")


def moved(insee="03903", at=T0 + timedelta(days=20)):
    from tgd_contracts.device import BeneficiaryMoved

    data = BeneficiaryMoved(
        device_id="dev-1",
        attribution_id="att-1",
        jurisdiction="tj-moulins",
        department="03",
        home_insee_code=insee,
        previous_insee_code="03901",
        moved_at=at,
    )
    envelope = build_envelope(source_service="device", event_name="beneficiary_moved", subject="att-1", data=data)
    return ReceivedEvent(envelope=envelope, data=data)


def ended(name="attribution_withdrawn"):
    from tgd_contracts.evaluation import AttributionExpired, AttributionWithdrawn

    if name == "attribution_withdrawn":
        data = AttributionWithdrawn(
            attribution_id="att-1", jurisdiction="tj-moulins", reason="author_incarcerated", withdrawn_at=T0
        )
    else:
        data = AttributionExpired(attribution_id="att-1", jurisdiction="tj-moulins", expired_at=T0)
    envelope = build_envelope(source_service="evaluation", event_name=name, subject="att-1", data=data)
    return ReceivedEvent(envelope=envelope, data=data)


def acknowledge_all(service):
    for _, envelope in list(service.partners.sent):
        service.acknowledge_notice(envelope.data["notice_id"], {**ACK, "unit_code": envelope.data["unit_code"]})


def test_without_the_dossier_no_notice_leaves_and_the_event_is_retried(service):
    from notify.dependencies import DossierUnavailable

    service.dossiers.unavailable = True
    with pytest.raises(DossierUnavailable):
        service.on_device_provisioned(provisioned())
    assert service.partners.sent == []
    assert InformationDocument.objects.count() == 0
    service.dossiers.unavailable = False
    service.on_device_provisioned(provisioned())  # the redelivery
    assert service.partners.sent[0][1].data["beneficiary"]["identity"]["surname"] == "EXEMPLE"


def test_a_move_re_informs_both_units_and_forces_informed_follows_the_new_home(service):
    service.on_device_provisioned(provisioned())
    acknowledge_all(service)
    service.partners.sent.clear()
    service.dossiers.home = "03903"
    service.on_beneficiary_moved(moved())
    service.on_beneficiary_moved(moved())  # replayed: nothing more
    sent = {k: e.data["purpose"] for k, e in service.partners.sent}
    assert sent == {
        "police.03.csp-fictive-a.notice": "moved_away",
        "gendarmerie.03.bta-fictive-c.notice": "home_changed",
        "gendarmerie.03.ggd-03.notice": "home_changed",
        "police.03.ddsp-03.notice": "home_changed",
    }
    brigade = next(e.data for k, e in service.partners.sent if k.startswith("gendarmerie.03.bta"))
    assert brigade["beneficiary"]["home"]["insee_code"] == "03903"
    acknowledge_all(service)
    informed = [e.data for e in service.events.published if e.event_name == "forces_informed"]
    assert informed[-1]["competent"]["unit_code"] == "bta-fictive-c"


def test_the_end_of_the_measure_is_told_to_every_informed_force(service):
    service.on_device_provisioned(provisioned())
    acknowledge_all(service)
    service.partners.sent.clear()
    service.on_attribution_withdrawn(ended())
    service.on_attribution_expired(ended("attribution_expired"))  # already ending: nothing more
    assert sorted(service.partners.keys()) == [
        "gendarmerie.03.ggd-03.notice",
        "police.03.csp-fictive-a.notice",
        "police.03.ddsp-03.notice",
    ]
    for _, envelope in service.partners.sent:
        assert envelope.data["purpose"] == "measure_ended"
        assert envelope.data["ended_because"] == "author_incarcerated"
        assert envelope.data["beneficiary"] is None
    acknowledge_all(service)
    assert service.get_information("att-1")["status"] == "ended"
    stored = InformationDocument.objects.get(attribution_id="att-1").state
    assert all(n.get("beneficiary") is None for n in stored["notices"])  # forgotten at the end


def test_an_end_or_a_move_of_a_measure_never_provisioned(service):
    from notify.exceptions import InvalidState

    service.on_attribution_withdrawn(ended())  # no force was informed: nothing to tell
    assert service.partners.sent == []
    with pytest.raises(InvalidState):  # requeued until the provisioning is handled
        service.on_beneficiary_moved(moved())


def test_the_referents_of_a_court_are_those_of_its_department(service):
    from notify.exceptions import UnknownJurisdiction

    found = service.referents("tj-montlucon")
    assert found["department"] == "03"
    assert {u["unit_code"] for u in found["units"]} >= {"csp-fictive-a", "ddsp-03", "ggd-03"}
    with pytest.raises(UnknownJurisdiction):
        service.referents("tj-inconnu")


def deadline(name, data, source="device", event_id=None):
    envelope = build_envelope(source_service=source, event_name=name, subject="s", data=data, event_id=event_id)
    return ReceivedEvent(envelope=envelope, data=data)


def test_a_deadline_reaches_its_partners_is_listed_and_acknowledged_once(service):
    from tgd_contracts.stock import DeviceOutOfStock

    event = deadline(
        "device_out_of_stock",
        DeviceOutOfStock(attribution_id="att-1", jurisdiction="tj-moulins", detected_at=T0),
        event_id="same",
    )
    service.on_device_out_of_stock(event)
    service.on_device_out_of_stock(event)  # replayed: nothing more
    assert service.partners.keys() == ["parquet.tj-moulins.any.reminder", "teleassistance.tj-moulins.any.reminder"]
    page = service.list_reminders("tj-moulins", ["parquet"])
    (reminder,) = page["items"]
    assert (reminder["kind"], reminder["acknowledged_at"]) == ("out_of_stock", None)
    assert service.get_reminder(reminder["reminder_id"])["audience"] == "parquet"
    service.now.value = T0 + timedelta(hours=1)
    done = service.acknowledge_reminder(reminder["reminder_id"], {"acknowledged_by": "Greffe (fictif)"})
    assert done["acknowledged_at"] is not None
    again = service.acknowledge_reminder(reminder["reminder_id"], {"acknowledged_by": "autre"})
    assert again["acknowledged_by"] == "Greffe (fictif)"
    assert service.list_reminders("tj-moulins", ["parquet"])["items"] == []  # pending only
    assert len(service.list_reminders("tj-moulins", ["parquet"], pending_only=False)["items"]) == 1
    assert len(service.list_reminders("tj-moulins")["items"]) == 1  # the teleassistance's


def test_reminder_reads_and_acknowledgements_are_checked(service):
    from notify.exceptions import ReminderNotFound, UnknownJurisdiction

    with pytest.raises(UnknownJurisdiction):
        service.list_reminders("tj-inconnu")
    with pytest.raises(InvalidRequest):
        service.list_reminders("tj-moulins", ["mairie"])
    with pytest.raises(ReminderNotFound):
        service.get_reminder("unknown")
    with pytest.raises(ReminderNotFound):
        service.acknowledge_reminder("unknown", {"acknowledged_by": "x"})


def test_an_unroutable_reminder_stays_in_the_outbox_until_a_partner_listens(service):
    from tgd_contracts.stock import TestCallOverdue

    service.partners.fail = True
    data = TestCallOverdue(device_id="dev-1", attribution_id="att-1", jurisdiction="tj-moulins", due_at=T0)
    service.on_test_call_overdue(deadline("test_call_overdue", data))
    assert service.partners.sent == []
    service.partners.fail = False
    service.relay_outbox()
    assert service.partners.keys() == ["association.tj-moulins.any.reminder"]


class FakeMeasures:
    def __init__(self, status="active", association="assoc-fictive-03"):
        self.status, self.association = status, association

    def attribution(self, attribution_id):
        from notify.exceptions import AttributionNotFound

        if attribution_id != "att-1":
            raise AttributionNotFound()
        return measure_view(self.status, self.association, starts_at=T0)


RELEASE = {"source": "spip", "kind": "release", "released_on": "2026-06-01", "reported_by": "SPIP de l'Allier (fictif)"}


def test_the_authors_release_reaches_her_association_the_parquet_the_bav_and_the_forces(service):
    service.measures = FakeMeasures()
    service.on_device_provisioned(provisioned())
    acknowledge_all(service)
    service.partners.sent.clear()
    receipt = service.report_author_release("att-1", RELEASE)
    service.report_author_release("att-1", RELEASE)  # reported twice: nothing more
    keys = service.partners.keys()
    assert sorted(keys) == [
        "association.tj-moulins.assoc-fictive-03.reminder",
        "bav.tj-moulins.any.reminder",
        "gendarmerie.03.ggd-03.notice",
        "parquet.tj-moulins.any.reminder",
        "police.03.csp-fictive-a.notice",
        "police.03.ddsp-03.notice",
    ]
    assert len(receipt["forces"]) == 3
    (association,) = [r for r in receipt["reminders"] if r["audience"] == "association"]
    told = service.acknowledge_reminder(
        association["reminder_id"], {"acknowledged_by": "Juriste (fictive)", "beneficiary_informed_on": "2026-06-01"}
    )
    assert told["beneficiary_informed_on"] == "2026-06-01"
    (parquet,) = [r for r in receipt["reminders"] if r["audience"] == "parquet"]
    with pytest.raises(InvalidRequest):
        service.acknowledge_reminder(
            parquet["reminder_id"], {"acknowledged_by": "Greffe", "beneficiary_informed_on": "2026-06-01"}
        )


def test_a_release_for_an_ended_or_unknown_measure_is_refused_and_tells_nobody(service):
    from notify.exceptions import InvalidState

    service.measures = FakeMeasures(status="withdrawn")
    with pytest.raises(InvalidState):
        service.report_author_release("att-1", RELEASE)
    with pytest.raises(AttributionNotFound):
        service.report_author_release("att-2", RELEASE)
    with pytest.raises(InvalidRequest):
        service.report_author_release("att-1", {**RELEASE, "source": "police"})
    assert service.partners.sent == []


def test_an_association_among_several_sees_and_acknowledges_only_what_is_addressed_to_it(service):
    from notify.exceptions import ReminderNotFound

    service.measures = FakeMeasures()
    service.on_device_provisioned(provisioned())
    receipt = service.report_author_release("att-1", RELEASE)  # to assoc-fictive-03
    (mine,) = [r for r in receipt["reminders"] if r["audience"] == "association"]
    other = service.list_reminders("tj-moulins", ["association"], unit="assoc-autre-fictive")["items"]
    assert other == []
    assert len(service.list_reminders("tj-moulins", ["association"], unit="assoc-fictive-03")["items"]) == 1
    with pytest.raises(ReminderNotFound):
        service.acknowledge_reminder(mine["reminder_id"], {"acknowledged_by": "x"}, unit="assoc-autre-fictive")
    service.acknowledge_reminder(mine["reminder_id"], {"acknowledged_by": "Juriste"}, unit="assoc-fictive-03")
