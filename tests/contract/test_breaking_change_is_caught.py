"""One deliberate breaking change, on a copy, caught by every layer.

The change: a producer of ``referral_received`` renames ``jurisdiction`` to ``court``
and calls it a minor version (1.1.0), or does not bump at all (1.0.0). Caught by:

1. the AsyncAPI check (the checked-in document no longer matches the contracts) and
   the official parser (a hand-edited copy of the document that drops the message
   but leaves the operations pointing at it);
2. the compatibility check against the previous snapshot;
3. the broker-side observer, on a real message published on a real broker;
and, for good measure, the Pact message verification of the association's pact.
"""

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml
from kombu import Connection, Exchange, Producer

from tgd_contracts import asyncapi, compat_snapshots, registry
from tgd_contracts.base import Contract
from tgd_contracts.envelope import build_envelope
from tgd_contracts.events import EventName, ServiceName
from tgd_contracts.referral import ProfessionalKind, Urgency
from tgd_contracts.snapshots import read_snapshot
from tgd_servicekit.testing import message_pacts
from tgd_servicekit.testing.asyncapi_parser import validate

pytest_plugins = ["pytester"]
ROOT = Path(__file__).resolve().parents[2]
TRACE = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"


class RenamedReferralReceived(Contract):
    """A copy of ReferralReceived with ``jurisdiction`` renamed ``court``."""

    SCHEMA_VERSION = "1.1.0"
    referral_id: str
    court: str
    urgency: Urgency
    referrer_kind: ProfessionalKind
    received_at: datetime


def renamed(version: str = "1.1.0") -> RenamedReferralReceived:
    model = type("RenamedReferralReceived", (RenamedReferralReceived,), {"SCHEMA_VERSION": version})
    return model(
        referral_id="0123456789abcdef0123456789abcdef",
        court="tj-moulins",
        urgency=Urgency.URGENT,
        referrer_kind=ProfessionalKind.SPIP,
        received_at=datetime(2026, 11, 22, tzinfo=UTC),
    )


@pytest.fixture
def breaking_registry(monkeypatch):
    monkeypatch.setitem(registry.EVENTS, EventName.REFERRAL_RECEIVED, (ServiceName.REFERRAL, RenamedReferralReceived))


def test_layer_1_asyncapi_the_document_no_longer_matches_the_contracts(breaking_registry):
    regenerated = asyncapi.render()
    assert regenerated != (ROOT / "docs" / "asyncapi.yaml").read_text()
    schemas = yaml.safe_load(regenerated)["components"]["schemas"]
    assert "court" in schemas["RenamedReferralReceived"]["properties"]


def test_layer_1_asyncapi_the_parser_rejects_a_document_edited_by_hand(tmp_path):
    doc = yaml.safe_load((ROOT / "docs" / "asyncapi.yaml").read_text())
    del doc["components"]["messages"]["referral_received"]  # the message dropped, operations left dangling
    broken = tmp_path / "asyncapi.yaml"
    broken.write_text(yaml.safe_dump(doc, sort_keys=False))
    (summary,) = validate(broken)
    assert summary["valid"] is False
    assert any("referral_received" in e for e in summary["errors"])


def test_layer_2_compatibility_a_minor_bump_cannot_rename_a_field():
    old = read_snapshot("referral_received", "1.0.0")
    new = RenamedReferralReceived.model_json_schema(mode="validation")
    problems = compat_snapshots.compare_with_previous("referral_received", "1.1.0", new)
    assert any("jurisdiction: removed" in p for p in problems), problems
    assert any("court: newly_required" in p for p in problems), problems
    assert compat_snapshots.compare_with_previous("referral_received", "2.0.0", new) == []
    assert old is not None


def test_layer_2_compatibility_the_ci_check_fails_on_the_registry_copy(breaking_registry):
    problems = compat_snapshots.incompatible_changes()
    assert [p.split(":")[0] for p in problems] == ["referral_received 1.0.0 -> 1.1.0"] * 2


@pytest.mark.integration
def test_layer_3_the_observer_fails_a_message_that_breaks_the_contract(vhost_uri, bus_observer):
    """Published as a producer that changed its model without a bump (1.0.0) would."""
    envelope = build_envelope(
        source_service="referral",
        event_name=EventName.REFERRAL_RECEIVED,
        subject="0123456789abcdef0123456789abcdef",
        data=renamed("1.0.0"),
        traceparent=TRACE,
    )
    headers = {
        "traceparent": TRACE,
        "cloudEvents:id": envelope.id,
        "cloudEvents:source": envelope.source,
        "cloudEvents:type": envelope.type,
    }
    with Connection(vhost_uri) as conn:
        exchange = Exchange("referral.events", type="topic", durable=True)
        Producer(conn.default_channel, exchange).publish(
            envelope.model_dump(mode="json"), routing_key="referral_received", headers=headers, delivery_mode=2
        )
    (checked,) = bus_observer.collect()
    assert "data: required" in " ".join(checked.violations)
    assert "data: additionalProperties" in " ".join(checked.violations)
    bus_observer.expect_violations(1)  # the teardown would otherwise fail this test


def test_and_pact_the_association_pact_fails_against_the_renamed_producer(tmp_path):
    def produce():
        envelope = build_envelope(
            source_service="referral",
            event_name=EventName.REFERRAL_RECEIVED,
            subject="0123456789abcdef0123456789abcdef",
            data=renamed("1.0.0"),
            traceparent=TRACE,
        )
        return message_pacts.Produced(envelope, "referral.events", "referral_received")

    pact_file = ROOT / "docs" / "pacts" / "association-system-tgd-referral.json"
    (description,) = [i["description"] for i in json.loads(pact_file.read_text())["interactions"]]
    broken = message_pacts.MessageContract("association-system", EventName.REFERRAL_RECEIVED, description, {}, produce)
    # the conformance check inside the message handler refuses it; so does Pact's matching
    with pytest.raises(AssertionError, match="breaks the contracts"):
        message_pacts.produced_message(broken)
    unchecked = tmp_path / "pact.json"
    unchecked.write_text(pact_file.read_text())
    original = message_pacts.check_message
    try:
        message_pacts.check_message = lambda *a, **k: []  # let Pact alone judge
        results = message_pacts.verify_provider("tgd-referral", [broken], unchecked)
    finally:
        message_pacts.check_message = original
    assert results["result"] is False
    assert "jurisdiction" in json.dumps(results["errors"])


INNER_TEST = """
import pytest
from tgd_servicekit.testing.bus import publish_raw

pytestmark = pytest.mark.integration


def test_a_producer_publishes_an_envelope_without_data(vhost_uri):
    publish_raw(vhost_uri, "referral.events", "referral_received", b'{"specversion": "1.0"}', delivery_mode=2)
"""


def test_layer_3_a_test_whose_services_publish_a_broken_message_fails(pytester):
    """Without ``expect_violations``, the observer turns the test into an error."""
    pytester.makeini("[pytest]\nmarkers =\n    integration: broker\n")
    pytester.makepyfile(test_inner=INNER_TEST)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(
        ["*bus contract: 1 message(s) break the contracts (0 expected)*", "*bus messages checked: 1, violations: 1*"]
    )
