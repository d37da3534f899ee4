"""Is a message seen on the broker what the AsyncAPI document (docs/asyncapi.yaml) says?

Checked against the document itself, not against the contracts it was generated from:
the channel whose AMQP binding names the exchange and whose address (with its parameters'
enums) matches the routing key; the message of that channel whose payload ``type`` is the
message's, sent with one of its ``x-kinds``; its payload and header schemas (``$ref`` resolved inside the document); an
operation of the addressee's audience on that channel that lists the message; and the
``traceparent`` identical in header and envelope. Returns violations (locations only:
messages may hold personal data)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

BASE = "urn:tgd:asyncapi"


@dataclass
class AsyncApiDocument:
    path: Path

    @cached_property
    def doc(self) -> dict[str, Any]:
        return yaml.safe_load(self.path.read_text(encoding="utf-8"))

    @cached_property
    def registry(self) -> Registry:
        return Registry().with_resource(BASE, Resource.from_contents(self.doc, default_specification=DRAFT202012))

    def _validator(self, pointer: str) -> Draft202012Validator:
        return Draft202012Validator(
            {"$ref": f"{BASE}#{pointer}"}, registry=self.registry, format_checker=FormatChecker()
        )

    def _address_re(self, channel: dict[str, Any]) -> re.Pattern[str]:
        pattern = re.escape(channel["address"])
        for name, parameter in channel.get("parameters", {}).items():
            values = parameter.get("enum")
            group = "|".join(re.escape(v) for v in values) if values else "[^.]+"
            pattern = pattern.replace(re.escape("{" + name + "}"), f"(?P<{name}>{group})")
        return re.compile(f"^{pattern}$")

    def channels_for(self, exchange: str, routing_key: str) -> list[tuple[str, dict[str, Any], dict[str, str]]]:
        found = []
        for name, channel in self.doc["channels"].items():
            if channel["bindings"]["amqp"]["exchange"]["name"] != exchange:
                continue
            match = self._address_re(channel).match(routing_key)
            if match:
                found.append((name, channel, match.groupdict()))
        return found

    def check(self, exchange: str, routing_key: str, body: dict[str, Any], headers: dict[str, Any]) -> list[str]:
        """Every way one message departs from the document (empty: it conforms)."""
        channels = self.channels_for(exchange, routing_key)
        if len(channels) != 1:
            return [f"{len(channels)} channels of the document carry {exchange} {routing_key!r}"]
        channel_name, channel, params = channels[0]
        message_name = next(
            (
                m
                for m in channel["messages"]
                if f"fr.tgd.{m}" == body.get("type")  # the payload's type const is fr.tgd.<message name>
            ),
            None,
        )
        if message_name is None:
            return [f"channel {channel_name} has no message of type {body.get('type')!r}"]
        kinds = self.doc["components"]["messages"][message_name].get("x-kinds")
        problems = (
            [] if not kinds or params.get("kind") in kinds else [f"{message_name} is not sent as {params['kind']}"]
        )
        problems += [
            f"payload {'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.validator}"
            for e in self._validator(f"/components/messages/{message_name}/payload").iter_errors(body)
        ]
        problems += [
            f"header {'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.validator}"
            for e in self._validator(f"/components/messages/{message_name}/headers").iter_errors(headers)
        ]
        if headers.get("traceparent") != body.get("traceparent"):
            problems.append("traceparent differs between the AMQP header and the envelope")
        ref = {"$ref": f"#/channels/{channel_name}/messages/{message_name}"}
        audience = params.get("audience")
        operations = [
            name
            for name, op in self.doc["operations"].items()
            if op["channel"] == {"$ref": f"#/channels/{channel_name}"} and ref in op["messages"]
        ]
        if audience and not any(name.startswith(f"{audience}.") for name in operations):
            problems.append(f"no operation of {audience} on {channel_name} lists {message_name}")
        return problems
