"""Pact message contracts: what consumers of the bus rely on, verified against the
producing services' real code.

Each :class:`MessageContract` below is one consumer's expectation of one message.
``test_consumer_pacts_match_the_checked_in_ones`` records the pacts (docs/pacts/) by
running the consumer's handling code; ``test_producers_honour_the_pacts`` replays every
checked-in pact against the producer's domain and envelope code (and checks the
produced message against the contracts too).

The alert dispatches (police, gendarmerie, association: dispatch, escalation, closure)
are in alert_message_contracts.py. To add a message: write a ``produce`` function that
builds it with the producing service's domain and ``build_envelope`` and returns
``Produced(envelope, exchange, routing_key)``, append one ``MessageContract(...)`` (for a
partner message, ``routing_key=match.regex(example, regex=...)``), and run
``TGD_UPDATE_PACTS=1 pytest tests/contract``.
"""

import json
import os
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pact import match

from referral import domain as referral_domain
from tgd_contracts.envelope import build_envelope
from tgd_contracts.events import EventName
from tgd_contracts.referral import ReferralReceived, ReferralSubmission
from tgd_servicekit.testing.message_pacts import MessageContract, Produced, verify_provider, write_consumer_pact

from .alert_message_contracts import ALERT_MESSAGE_CONTRACTS, SEEN

PACTS = Path(__file__).resolve().parents[2] / "docs" / "pacts"


def produce_referral_received() -> Produced:
    """The referral service's own code: domain.receive + received_event + build_envelope."""
    submission = ReferralSubmission.model_validate(
        {
            "referrer": {"kind": "spip", "organisation": "SPIP Fictif"},
            "victim": {"surname": "EXEMPLE", "first_names": ["Fictive"]},
            "facts": "Faits fictifs pour le contrat de message.",
            "urgency": "urgent",
            "jurisdiction": "tj-cusset",
        }
    )
    referral = referral_domain.receive(submission, now=datetime.now(UTC), referral_id=referral_domain.new_referral_id())
    envelope = build_envelope(
        source_service="referral",
        event_name=EventName.REFERRAL_RECEIVED,
        subject=referral.id,
        data=referral_domain.received_event(referral),
        traceparent=f"00-{uuid.uuid4().hex}-{uuid.uuid4().hex[:16]}-01",
    )
    return Produced(envelope, "referral.events", envelope.event_name)


ASSOCIATION_SEEN: list[tuple[str, str]] = []


def association_opens_a_file(envelope, data: ReferralReceived, metadata) -> None:
    """The association's system: a new referral opens a file for the evaluation."""
    assert metadata["routingKey"] == "referral_received"
    ASSOCIATION_SEEN.append((data.referral_id, data.jurisdiction))


MESSAGE_CONTRACTS = [
    MessageContract(
        consumer="association-system",
        event=EventName.REFERRAL_RECEIVED,
        description="a referral was received (signalement reçu)",
        data={
            "referral_id": match.regex("0123456789abcdef0123456789abcdef", regex=r"^[0-9a-f]{32}$"),
            "jurisdiction": match.regex("tj-cusset", regex=r"^[a-z0-9-]+$"),
            "urgency": match.regex("urgent", regex=r"^(urgent|standard)$"),
            "referrer_kind": match.str("spip"),
            "received_at": match.regex(
                "2026-11-22T10:00:00.123000Z", regex=r"^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:\d{2})$"
            ),
        },
        produce=produce_referral_received,
        handle=association_opens_a_file,
    ),
    *ALERT_MESSAGE_CONTRACTS,
]


def test_consumer_pacts_match_the_checked_in_ones(tmp_path):
    ASSOCIATION_SEEN.clear()
    SEEN.clear()
    written = write_consumer_pact(MESSAGE_CONTRACTS, tmp_path)
    assert ASSOCIATION_SEEN == [("0123456789abcdef0123456789abcdef", "tj-cusset")]  # the consumer's code ran
    # each partner's reference consumer accepted its messages, routing keys included
    assert sorted(SEEN) == [
        ("association-system", "partner_dispatch", "association.tj-montlucon.any.dispatch", "dispatch"),
        ("command-centre-system", "partner_dispatch", "command.03.cic-03.dispatch", "dispatch"),
        ("command-centre-system", "partner_dispatch", "command.03.cic-63.escalation", "escalation"),
        ("command-centre-system", "partner_position", "command.03.cic-03.position", None),
        ("gendarmerie-system", "partner_dispatch", "gendarmerie.03.bta-cusset.dispatch", "dispatch"),
        ("police-system", "partner_closure", "police.03.csp-montlucon.closure", None),
        ("police-system", "partner_dispatch", "police.03.csp-montlucon.dispatch", "dispatch"),
    ]
    assert len(written) == 5  # association (referral, alert), police, gendarmerie, operations centres (alert)
    for path in written:
        generated = json.loads(path.read_text())
        if os.environ.get("TGD_UPDATE_PACTS"):
            (PACTS / path.name).write_text(json.dumps(generated, indent=2, sort_keys=True) + "\n")
        checked_in = json.loads((PACTS / path.name).read_text())
        assert generated == checked_in, f"{path.name} changed: review, then TGD_UPDATE_PACTS=1"


@pytest.mark.parametrize("provider", sorted({c.provider for c in MESSAGE_CONTRACTS}))
def test_producers_honour_the_pacts(provider, contract_report):
    files = sorted(PACTS.glob(f"*-{provider}.json"))
    assert files, f"no message pact for {provider}"
    for pact_file in files:
        results = verify_provider(provider, MESSAGE_CONTRACTS, pact_file)
        passed = [r for r in results["interactionResults"] if r["result"] == "OK"]
        total = len(json.loads(pact_file.read_text())["interactions"])
        consumer = pact_file.name.removesuffix(f"-{provider}.json")
        contract_report(
            f"pact verification (messages): {consumer} -> {provider}: {len(passed)}/{total} interactions verified"
        )
        assert results["result"] is True, "\n".join(results["output"])
        assert len(passed) == total > 0


def partner_written_pact(directory: Path, data: dict) -> Path:
    """A pact as a partner writes it with its own tooling and descriptions."""
    from pact import Pact

    pact = Pact("partner-sandbox", "tgd-referral").with_specification("V4")
    body = {"specversion": "1.0", "type": "fr.tgd.referral_received", "id": match.str("x"), "data": data}
    pact.upon_receiving("our own words for a new referral", "Async").with_body(body, "application/json")
    pact.verify(lambda body, metadata: None, "Async")
    pact.write_file(directory, overwrite=True)
    return directory / "partner-sandbox-tgd-referral.json"


def test_a_pact_written_by_a_partner_is_verified_by_the_event_it_expects(tmp_path):
    relies_on = {"referral_id": match.str("r"), "urgency": match.regex("urgent", regex="^(urgent|standard)$")}
    ok = verify_provider("tgd-referral", MESSAGE_CONTRACTS, partner_written_pact(tmp_path, relies_on))
    assert ok["result"] is True, ok["output"]
    wants_identity = {**relies_on, "victim_surname": match.str("EXEMPLE")}  # events never carry identity
    refused = verify_provider("tgd-referral", MESSAGE_CONTRACTS, partner_written_pact(tmp_path, wants_identity))
    assert refused["result"] is False
    assert "victim_surname" in json.dumps(refused["errors"])


def test_an_alert_producer_that_breaks_what_the_forces_rely_on_fails_their_pacts():
    from dataclasses import replace

    contracts = [c for c in MESSAGE_CONTRACTS if c.consumer == "command-centre-system"]
    pact_file = PACTS / "command-centre-system-tgd-alert.json"
    assert verify_provider("tgd-alert", contracts, pact_file)["result"] is True
    # an escalation sent as the first centre's dispatch (kind and routing key): the backup would not know
    wrong = [replace(c, produce=contracts[0].produce) if "escalated" in c.description else c for c in contracts]
    refused = verify_provider("tgd-alert", wrong, pact_file)
    assert refused["result"] is False
    (failed,) = [r for r in refused["interactionResults"] if r["result"] != "OK"]
    assert failed["description"].startswith("an alert escalated")
    mismatched = {m.get("path", m.get("key")) for m in failed["mismatch"]["mismatches"]}
    assert {"$.data.kind", "routingKey"} <= mismatched


def force_written_pact(directory: Path, routing_key: str, data: dict) -> Path:
    """A pact as a force's integrator writes it (docs/contracts.md, section 4)."""
    from pact import Pact

    pact = Pact("centre-sandbox", "tgd-alert").with_specification("V4")
    body = {"specversion": "1.0", "type": "fr.tgd.partner_dispatch", "id": match.str("x"), "data": data}
    (
        pact.upon_receiving("our backup centre is asked to take over an alert", "Async")
        .with_body(body, "application/json")
        .with_metadata({"routingKey": routing_key})
    )
    pact.verify(lambda body, metadata: None, "Async")
    pact.write_file(directory, overwrite=True)
    return directory / "centre-sandbox-tgd-alert.json"


def test_a_pact_written_by_a_force_is_verified_against_the_message_for_its_audience_and_kind(tmp_path):
    relies_on = {
        "alert_id": match.str("a"),
        "dispatch_id": match.str("d"),
        "kind": "escalation",
        "recipient": {"audience": "command", "territory": match.str("03"), "unit": match.str("cic-x")},
        "position": {"lat": match.decimal(46.1), "lon": match.decimal(2.1)},
    }
    key = match.regex("command.03.cic-x.escalation", regex=r"^command\.03\.[a-z0-9-]+\.escalation$")
    ok = verify_provider("tgd-alert", MESSAGE_CONTRACTS, force_written_pact(tmp_path, key, relies_on))
    assert ok["result"] is True, ok["output"]
    wants_identity = {**relies_on, "victim_surname": match.str("EXEMPLE")}  # dispatches never carry it
    refused = verify_provider("tgd-alert", MESSAGE_CONTRACTS, force_written_pact(tmp_path, key, wants_identity))
    assert refused["result"] is False
    assert "victim_surname" in json.dumps(refused["errors"])
