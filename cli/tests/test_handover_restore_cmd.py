"""``tgd handover import`` restores the measures into the receiving platform's services:
a court built by the real services (in process, mongomock), exported as an archive,
the stores emptied (the receiving platform), imported: the services hold the referral,
the measure with its decision, the assignment with the fiche and her terminal, and the
court's stock; the routing facts are re-emitted. A second import changes nothing; a
measure whose record exists here with other content is refused and nothing is written
for it."""

from __future__ import annotations

import importlib.util
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import mongoengine
import pytest
from nameko.testing.services import worker_factory
from typer.testing import CliRunner

from tgd_cli import handover_restore
from tgd_cli.main import app
from tgd_contracts import evidence as ev
from tgd_contracts import handover as ho
from tgd_contracts.envelope import build_envelope
from tgd_contracts.errors import TgdError
from tgd_contracts.registry import event_model
from tgd_servicekit import handover_signing as hos
from tgd_servicekit.durations import parse_period
from tgd_servicekit.evidence_keys import development_signing_key
from tgd_servicekit.handlers import ReceivedEvent
from tgd_servicekit.handover_keys import load_private_key
from tgd_servicekit.outbox import publish_one_by_one

ROOT = Path(__file__).resolve().parents[2]
COURT = "tj-moulins"
NOW = datetime(2026, 4, 1, 9, 0, tzinfo=UTC)
runner = CliRunner()


def factories(service: str):
    spec = importlib.util.spec_from_file_location(
        f"{service}_factories", ROOT / "services" / service / "tests" / "factories.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class Recorder:
    def __init__(self, source):
        self.source, self.published = source, []

    def build(self, event_name, subject, data):
        return build_envelope(source_service=self.source, event_name=event_name, subject=subject, data=data)

    def publish(self, envelope):
        self.published.append(envelope)

    def publish_many(self, envelopes):
        return publish_one_by_one(self.publish)(envelopes)


def received(envelope):
    model = event_model(envelope.event_name)
    return ReceivedEvent(envelope=envelope, data=model.model_validate(envelope.data))


@pytest.fixture
def platform(in_memory_db):
    from device import domain as device_domain
    from device.repository import DeviceRepository
    from device.service import DeviceService
    from evaluation import domain as evaluation_domain
    from evaluation.domain.instruments import read_instruments
    from evaluation.domain.retention import RetentionPolicy as EvaluationRetention
    from evaluation.repository import MeasureRepository
    from evaluation.service import EvaluationService
    from referral.domain.retention import RetentionPolicy as ReferralRetention
    from referral.repository import ReferralRepository
    from referral.service import ReferralService

    for alias in ("referral", "evaluation", "device"):
        in_memory_db(alias)
    clock = lambda: NOW  # noqa: E731
    return {
        "referral": worker_factory(ReferralService, referrals=ReferralRepository(), events=Recorder("referral"),
                                   now=clock, retention_policy=ReferralRetention()),
        "evaluation": worker_factory(EvaluationService, measures=MeasureRepository(), events=Recorder("evaluation"),
                                     now=clock, retention_policy=EvaluationRetention(), instruments=read_instruments(),
                                     policy=evaluation_domain.Policy(parse_period("P6M"), parse_period("P15D"), 1, {})),
        "device": worker_factory(DeviceService, store=DeviceRepository(), events=Recorder("device"), now=clock,
                                 policy=device_domain.Policy(*map(parse_period, ("P15D", "P2D", "P3D")))),
    }  # fmt: skip


def a_measure_in_progress(platform) -> tuple[str, str]:
    """The outgoing operator's court: one referral up to an active device (the services' own RPCs)."""
    ev_f, dev_f = factories("evaluation"), factories("device")
    referral, evaluation, device = platform["referral"], platform["evaluation"], platform["device"]
    body = {"referrer": {"kind": "hospital", "organisation": "Hôpital Fictif"},
            "victim": {"surname": "EXEMPLE", "first_names": ["Fictive"]},
            "facts": "Faits fictifs.", "urgency": "urgent", "jurisdiction": COURT}  # fmt: skip
    referral_id = referral.submit_referral("key-00000001", body)["referral"]["id"]
    evaluation.on_referral_received(received(referral.events.published[-1]))
    evaluation.request_evaluation(referral_id, ev_f.REQUISITION)
    evaluation.file_report(referral_id, ev_f.report())
    evaluation.record_consent(referral_id, ev_f.CONSENT)
    attribution_id = evaluation.decide(referral_id, ev_f.decision())["attribution_id"]
    device.add_device(dev_f.registration(1))
    device.add_device(dev_f.registration(2))
    device.on_attribution_decided(received(evaluation.events.published[-1]))
    device_id = device.record_fiche(attribution_id, dev_f.fiche())["device_id"]
    device.record_test_call(device_id, dev_f.OPERATOR_CALL)
    device.record_test_call(device_id, dev_f.BENEFICIARY_CALL)
    return referral_id, device_id


def archive_of(platform, referral_id, recipient) -> dict:
    measure = platform["evaluation"].measure_evidence(referral_id)
    [attribution_id] = measure["related_ids"]["attribution_ids"]
    parts = [measure, platform["referral"].referral_evidence(referral_id),
             platform["device"].assignment_evidence(attribution_id)]  # fmt: skip
    measures = {referral_id: [ev.EvidencePart.consume(p) for p in parts]}
    content = ho.HandoverContent(jurisdiction=COURT, measures=measures,
                                 devices=platform["device"].handover_terminals(COURT)["items"])  # fmt: skip
    exporter = ev.Exporter(client_id="parquet-fictif", role="prosecutor", request_id=None)
    return hos.build(content, "03", "operateur-b", recipient, development_signing_key(), exporter, NOW)


def emptied(platform) -> None:
    """The receiving platform: the same services, nothing stored, nothing published."""
    for alias, collections in (("referral", ("referrals",)), ("evaluation", ("measures",)),
                               ("device", ("devices", "assignments"))):  # fmt: skip
        for name in collections:
            mongoengine.get_db(alias)[name].delete_many({})
    for worker in platform.values():
        worker.events.published.clear()


def stores() -> dict:
    return {alias: {name: sorted(mongoengine.get_db(alias)[name].find(), key=lambda d: d["_id"])
                    for name in mongoengine.get_db(alias).list_collection_names()}
            for alias in ("referral", "evaluation", "device")}  # fmt: skip


@pytest.fixture
def importing(platform, tmp_path, monkeypatch):
    """``tgd handover import`` with the platform's RPCs answered by the in-process services."""
    import json

    monkeypatch.setenv("TGD_ENV", "development")
    monkeypatch.delenv("TGD_EVIDENCE_TRUSTED_KEYS", raising=False)
    key_file = tmp_path / "handover.key"
    assert (
        runner.invoke(app, ["handover", "keygen", "--recipient", "operateur-b", "--key-file", str(key_file)]).exit_code
        == 0
    )
    recipient = load_private_key(key_file.read_text()).public_key()

    def call(service, method, **kwargs):
        try:
            return getattr(platform[service], method)(**json.loads(json.dumps(kwargs, default=str)))
        except TgdError as exc:
            raise handover_restore.Refused(f"{service}: {type(exc).__name__}: {exc}") from None

    @contextmanager
    def in_process(amqp_uri, timeout=60):
        yield call

    monkeypatch.setattr(handover_restore, "broker_call", in_process)

    def run(archive) -> object:
        path = tmp_path / f"{archive['manifest']['archive_id']}.json"
        path.write_text(json.dumps(archive))
        return runner.invoke(app, ["handover", "import", str(path), "--court", COURT, "--key-file", str(key_file),
                                   "--into", str(tmp_path / "store")])  # fmt: skip

    return recipient, run


def test_an_imported_court_is_held_by_the_receiving_services_and_her_alerts_can_be_routed(platform, importing):
    recipient, run = importing
    referral_id, device_id = a_measure_in_progress(platform)
    archive = archive_of(platform, referral_id, recipient)
    outgoing = (platform["evaluation"].get_measure(referral_id), platform["device"].get_dossier(device_id))
    emptied(platform)
    result = run(archive)
    assert result.exit_code == 0, result.output
    assert "terminals: 2 restored" in result.output
    assert "measures: 1 restored" in result.output
    assert platform["referral"].get_referral(referral_id)["victim"]["surname"] == "EXEMPLE"
    assert (platform["evaluation"].get_measure(referral_id), platform["device"].get_dossier(device_id)) == outgoing
    assert sorted(d["state"] for d in platform["device"].list_stock(COURT)["items"]) == ["active", "in_stock"]
    assert [e.event_name for e in platform["device"].events.published] == ["device_provisioned", "device_activated"]
    assert platform["referral"].events.published == platform["evaluation"].events.published == []
    assert "EXEMPLE" not in str(stores())
    assert "EXEMPLE" not in result.output


def test_importing_the_same_archive_again_changes_nothing(platform, importing):
    recipient, run = importing
    referral_id, _ = a_measure_in_progress(platform)
    archive = archive_of(platform, referral_id, recipient)
    emptied(platform)
    assert run(archive).exit_code == 0
    before = stores()
    platform["device"].events.published.clear()
    again = run(archive)
    assert again.exit_code == 0, again.output
    assert "already imported" in again.output
    assert "measures: 0 restored, 1 already here" in again.output
    assert stores() == before
    assert platform["device"].events.published == []


def test_a_measure_held_here_with_other_content_is_refused_and_nothing_is_written_for_it(platform, importing):
    recipient, run = importing
    referral_id, _ = a_measure_in_progress(platform)
    archive = archive_of(platform, referral_id, recipient)
    part = platform["referral"].referral_evidence(referral_id)
    emptied(platform)
    other = {**part, "records": {"referral": {**part["records"]["referral"], "facts": "Autres faits fictifs."}}}
    platform["referral"].restore_handover(other)  # another referral under the same id, already here
    result = run(archive)
    assert result.exit_code == 1
    assert f"REFUSED measure {referral_id}" in result.output
    assert "RestoreConflict" in result.output
    assert mongoengine.get_db("evaluation").measures.count_documents({}) == 0  # nothing half-written
    assert mongoengine.get_db("device").assignments.count_documents({}) == 0
    assert platform["referral"].get_referral(referral_id)["facts"] == "Autres faits fictifs."


def test_a_conflict_at_the_last_service_writes_nothing_at_the_first_ones(platform, importing):
    recipient, run = importing
    referral_id, _ = a_measure_in_progress(platform)
    archive = archive_of(platform, referral_id, recipient)
    measure = platform["evaluation"].measure_evidence(referral_id)
    part = platform["device"].assignment_evidence(measure["related_ids"]["attribution_ids"][0])
    terminals = platform["device"].handover_terminals(COURT)["items"]
    emptied(platform)
    platform["device"].restore_terminals(COURT, terminals)
    assignment = {**part["records"]["assignment"], "wiped": True}
    platform["device"].restore_handover({**part, "records": {**part["records"], "assignment": assignment}})
    result = run(archive)
    assert result.exit_code == 1
    assert f"REFUSED measure {referral_id}: device" in result.output
    assert mongoengine.get_db("referral").referrals.count_documents({}) == 0  # checked first: nothing written
    assert mongoengine.get_db("evaluation").measures.count_documents({}) == 0


class Partners:
    def __init__(self):
        self.sent = []

    def publish(self, envelope, routing_key):
        self.sent.append((routing_key, envelope))


def test_the_re_emitted_provisioning_informs_the_forces_here_and_their_acknowledgement_gives_her_units(
    platform, importing, in_memory_db
):
    """The hop after the restore, in process: notify (fetching her dossier from the
    restored device service) sends the notices; once the forces acknowledge them, its
    ``forces_informed`` carries her competent unit, which the alert read model routes to."""
    from notify.dependencies import read_directory
    from notify.domain import Policy
    from notify.repository import InformationRepository, ReminderRepository
    from notify.service import NotifyService
    from tgd_contracts.dossier import Dossier

    recipient, run = importing
    referral_id, device_id = a_measure_in_progress(platform)
    archive = archive_of(platform, referral_id, recipient)
    emptied(platform)
    assert run(archive).exit_code == 0
    in_memory_db("notify")
    dossiers = type(
        "Dossiers", (), {"fetch": lambda self, d: Dossier.model_validate(platform["device"].get_dossier(d))}
    )
    notify = worker_factory(NotifyService, informations=InformationRepository(), events=Recorder("notify"),
                            partners=Partners(), reminders=ReminderRepository(), directory=read_directory(None),
                            dossiers=dossiers(), now=lambda: NOW,
                            policy=Policy(parse_period("PT15M"), parse_period("PT1H")))  # fmt: skip
    provisioned = platform["device"].events.published[0]
    notify.on_device_provisioned(received(provisioned))
    notices = {e.data["unit_code"]: e.data["notice_id"] for _, e in notify.partners.sent}
    assert notices  # the forces serving her home are told, from this operator
    for unit, notice_id in notices.items():
        notify.acknowledge_notice(notice_id, {"acknowledged_by": "Officier fictif", "unit_code": unit})
    (informed,) = notify.events.published
    assert informed.event_name == "forces_informed"
    assert informed.data["device_id"] == device_id
    assert informed.data["competent"]["unit_code"] in notices
