"""docs/asyncapi.yaml: generated from the contracts, valid for the official parser, and
growing with the registry."""

from datetime import datetime
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from tgd_cli.main import app
from tgd_contracts import asyncapi, registry
from tgd_contracts.base import Contract
from tgd_contracts.events import ServiceName
from tgd_contracts.partners import PARTNER_EXCHANGE, PARTNER_REPLY_EXCHANGE, REPLY_KINDS, Audience, MessageKind
from tgd_servicekit.partner_access import PartnerAccount
from tgd_servicekit.testing import asyncapi_parser
from tgd_servicekit.testing.asyncapi_parser import parser_version, validate
from tgd_servicekit.topology import consumer_queue_arguments

DOC = Path(__file__).resolve().parents[2] / "docs" / "asyncapi.yaml"


def test_the_checked_in_document_is_what_the_contracts_generate():
    assert DOC.read_text() == asyncapi.render(), "run `tgd contracts asyncapi` and commit docs/asyncapi.yaml"
    assert CliRunner().invoke(app, ["contracts", "asyncapi", "--check", "-o", str(DOC)]).exit_code == 0


def test_the_official_parser_validates_the_document(contract_report):
    (summary,) = validate(DOC)
    contract_report(
        f"asyncapi parser (@asyncapi/parser {parser_version()}): {DOC.name} "
        f"{'valid' if summary['valid'] else 'INVALID'}: {summary['channels']} channels, "
        f"{summary['operations']} operations, {summary['messages']} messages, "
        f"{len(summary['errors'])} errors, {len(summary['warnings'])} warnings"
    )
    assert summary["valid"], summary["errors"]
    assert summary["version"] == "3.0.0"
    assert summary["warnings"] == []


def _exchange(doc, channel):
    return doc["channels"][channel]["bindings"]["amqp"]["exchange"]


def test_every_event_has_one_channel_where_it_flows_its_operations_and_message_with_the_model_schema():
    doc = asyncapi.build_document()
    for event, (producer, model) in registry.EVENTS.items():
        if event in registry.PARTNER_EVENTS:  # only on tgd.partners, never on <service>.events
            assert event not in doc["channels"]
            assert event in doc["channels"]["partners"]["messages"]
            assert doc["operations"][f"{producer}.send.partners.{event}"]["action"] == "send"
        elif event in registry.PARTNER_REPLY_EVENTS:  # only on tgd.partner-replies
            assert event not in doc["channels"]
            assert event in doc["channels"]["partner-replies"]["messages"]
        else:
            channel = doc["channels"][event]
            assert channel["address"] == event
            assert _exchange(doc, event) == {
                "name": f"{producer}.events",
                "type": "topic",
                "durable": True,
                "autoDelete": False,
                "vhost": "/",
            }
            assert doc["operations"][f"{producer}.send.{event}"]["action"] == "send"
        message = doc["components"]["messages"][event]
        specific = message["payload"]["allOf"][1]
        assert specific["properties"]["type"] == {"const": f"fr.tgd.{event}"}
        assert "traceparent" in specific["required"]
        assert "traceparent" in message["headers"]["required"]
        data = doc["components"]["schemas"][specific["properties"]["data"]["$ref"].rsplit("/", 1)[1]]
        schema = model.model_json_schema(mode="validation")
        assert data["properties"].keys() == schema["properties"].keys()
        assert data.get("required") == schema.get("required")
    for event, consumers in registry.CONSUMERS.items():
        for consumer in consumers:
            if isinstance(consumer, Audience):  # partners receive on the tgd.partners channel
                ref = {"$ref": f"#/channels/partners/messages/{event}"}
                assert ref in doc["operations"][f"{consumer}.receive.partners"]["messages"]
            elif event in registry.PARTNER_REPLY_EVENTS:
                assert doc["operations"][f"{consumer}.receive.partner-replies.{event}"]["action"] == "receive"
            else:
                assert doc["operations"][f"{consumer}.receive.{event}"]["action"] == "receive"
    for event, consumers in registry.LIVE_VIEW_CONSUMERS.items():  # the gateway's live list: transient queues
        for consumer in consumers:
            amqp = doc["operations"][f"{consumer}.receive.{event}"]["bindings"]["amqp"]
            assert amqp["ack"] is False
            assert amqp["x-queue"]["exclusive"]
            assert amqp["x-queue"]["autoDelete"]
            assert not amqp["x-queue"]["durable"]


def test_the_partner_side_names_exchanges_queues_bindings_and_the_provisioned_permissions():
    doc = asyncapi.build_document()
    assert _exchange(doc, "partners")["name"] == PARTNER_EXCHANGE
    assert _exchange(doc, "partner-replies")["name"] == PARTNER_REPLY_EXCHANGE
    assert set(doc["channels"]["partner-replies"]["parameters"]["kind"]["enum"]) == {k.value for k in REPLY_KINDS}
    account = PartnerAccount(Audience.POLICE, "03", "csp-montlucon")
    queue = doc["operations"]["police.receive.partners"]["bindings"]["amqp"]["x-queue"]
    fill = {"{territory}": "03", "{unit}": "csp-montlucon"}

    def filled(text):
        for placeholder, value in fill.items():
            text = text.replace(placeholder, value)
        return text

    assert filled(queue["name"]) == account.queue
    assert filled(queue["binding"]) == account.binding
    assert queue["declaredBy"] == "platform"
    documented = queue["permissions"]
    assert {k: filled(documented[k]) for k in ("configure", "write", "read")} == account.permissions()
    for topic, provisioned in zip(documented["topic"], account.topic_permissions(), strict=True):
        assert {k: filled(v) for k, v in topic.items()} == provisioned
    sent = doc["operations"]["police.send.partner-replies"]["messages"]
    assert {"$ref": "#/channels/partner-replies/messages/notice_acknowledged"} in sent
    association = doc["operations"]["association.send.partner-replies"]["messages"]
    assert {"$ref": "#/channels/partner-replies/messages/outcome_reported"} not in association


def test_the_documented_queue_arguments_are_those_the_services_declare():
    declared = consumer_queue_arguments("any")
    declared.pop("x-dead-letter-routing-key")
    assert asyncapi.QUORUM_QUEUE == declared


class AlertDispatchedExample(Contract):
    """Event ``alert_dispatched_example``: a stand-in for the alert helper's dispatch."""

    alert_id: str
    dispatched_at: datetime


def test_the_document_grows_with_the_registry(monkeypatch, tmp_path):
    monkeypatch.setitem(registry.EVENTS, "alert_dispatched_example", (ServiceName.ALERT, AlertDispatchedExample))
    monkeypatch.setitem(registry.PARTNER_EVENTS, "alert_dispatched_example", (MessageKind.DISPATCH,))
    monkeypatch.setitem(registry.CONSUMERS, "alert_dispatched_example", (Audience.POLICE, Audience.GENDARMERIE))
    doc = asyncapi.build_document()
    assert "alert_dispatched_example" in doc["channels"]["partners"]["messages"]
    assert doc["operations"]["alert.send.partners.alert_dispatched_example"]["action"] == "send"
    example = {"$ref": "#/channels/partners/messages/alert_dispatched_example"}
    assert example in doc["operations"]["police.receive.partners"]["messages"]
    assert example in doc["operations"]["gendarmerie.receive.partners"]["messages"]
    assert example not in doc["operations"]["association.receive.partners"]["messages"]
    grown = tmp_path / "asyncapi.yaml"
    grown.write_text(asyncapi.render(doc))
    (summary,) = validate(grown)
    assert summary["valid"], summary["errors"]
    assert yaml.safe_load(grown.read_text())["components"]["schemas"]["AlertDispatchedExample"]


def test_validation_fails_clearly_without_node(monkeypatch):
    monkeypatch.setattr(asyncapi_parser.shutil, "which", lambda name: None)
    with pytest.raises(RuntimeError, match=r"node is not installed: run scripts/setup\.sh"):
        validate(DOC)


def test_the_document_check_used_on_captured_messages_refuses_what_the_document_does_not_describe():
    from datetime import UTC, datetime

    from tgd_contracts.alert import PartnerAcknowledged, Recipient
    from tgd_contracts.envelope import build_envelope
    from tgd_servicekit.testing.asyncapi_conformance import AsyncApiDocument

    document = AsyncApiDocument(DOC)
    recipient = Recipient(audience="police", territory="03", unit="csp-montlucon")
    ack = PartnerAcknowledged(alert_id="a-1", dispatch_id="d-1", recipient=recipient, acknowledged_at=datetime.now(UTC))
    trace = f"00-{'1' * 32}-{'2' * 16}-01"
    body = build_envelope(source_service="partner-police-03-csp-montlucon", event_name="partner_acknowledged",
                          subject="a-1", data=ack, traceparent=trace).model_dump(mode="json")  # fmt: skip
    headers = {"traceparent": trace, "cloudEvents:id": body["id"], "cloudEvents:source": body["source"],
               "cloudEvents:type": body["type"]}  # fmt: skip
    key = "police.03.csp-montlucon.acknowledgement"
    assert document.check("tgd.partner-replies", key, body, headers) == []
    assert document.check("tgd.partners", key, body, headers)  # replies never travel to partners
    assert document.check("tgd.partner-replies", "police.03.csp-montlucon.outcome", body, headers)
    assert document.check("tgd.partner-replies", "pirates.03.csp-montlucon.acknowledgement", body, headers)
    other_trace = {**headers, "traceparent": f"00-{'3' * 32}-{'2' * 16}-01"}
    assert document.check("tgd.partner-replies", key, body, other_trace) == [
        "traceparent differs between the AMQP header and the envelope"
    ]
    bad = {**body, "data": {**body["data"], "dispatch_id": 5}}
    assert document.check("tgd.partner-replies", key, bad, headers) == ["payload data/dispatch_id: type"]


def test_every_channel_carries_messages_that_someone_sends_and_someone_receives():
    doc = asyncapi.build_document()
    for name, channel in doc["channels"].items():
        ref = {"$ref": f"#/channels/{name}"}
        actions = {op["action"] for op in doc["operations"].values() if op["channel"] == ref}
        assert channel["messages"], name
        assert "send" in actions, f"nobody publishes on {name}"
    exchanges = {c["bindings"]["amqp"]["exchange"]["name"] for c in doc["channels"].values()}
    assert "partner.events" not in exchanges  # partners answer on tgd.partner-replies only
    titles = {c["title"] for c in doc["channels"].values()}
    assert not titles & {"notify.events / attribution_notice", "alert.events / partner_dispatch"}  # never sent there
