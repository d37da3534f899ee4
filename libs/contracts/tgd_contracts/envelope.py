"""CloudEvents 1.0 envelope (structured JSON mode) carried by every bus message.

``source`` + ``id`` is the deduplication key. ``traceparent``/``tracestate`` follow
the CloudEvents distributed-tracing extension (W3C Trace Context); ``schemaversion``
is an extension naming the version of ``data``'s schema, also given as
``dataschema`` (``urn:tgd:schema:<event>:<version>``).

Written with pydantic rather than the ``cloudevents`` SDK so that the envelope has
the same strict/tolerant validation and JSON Schema snapshot as every other model.
"""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from tgd_contracts.base import Contract

TRACEPARENT_RE = re.compile(r"^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$")
CE_TYPE_PREFIX = "fr.tgd."


class Envelope(BaseModel):
    """A CloudEvents 1.0 event; ``data`` is validated separately against its model."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    specversion: Literal["1.0"]
    id: str = Field(min_length=1, max_length=128)
    source: str = Field(min_length=1, max_length=256, pattern=r"^/tgd/[a-z0-9_-]+$")
    type: str = Field(min_length=1, max_length=128, pattern=r"^fr\.tgd\.[a-z0-9_]+$")
    time: datetime
    subject: str = Field(min_length=1, max_length=128)
    datacontenttype: Literal["application/json"] = "application/json"
    dataschema: str = Field(pattern=r"^urn:tgd:schema:[a-z0-9_]+:\d+\.\d+\.\d+$")
    schemaversion: str = Field(pattern=r"^\d+\.\d+\.\d+$")
    traceparent: str | None = Field(default=None, pattern=TRACEPARENT_RE.pattern)
    tracestate: str | None = Field(default=None, max_length=512)
    data: dict[str, Any]

    @field_validator("time")
    @classmethod
    def _time_is_aware(cls, value: datetime) -> datetime:
        if value.tzinfo is None:
            raise ValueError("time must carry a timezone (RFC 3339)")
        return value

    @property
    def event_name(self) -> str:
        """The short event name, also the AMQP routing key (``referral_received``)."""
        return self.type.removeprefix(CE_TYPE_PREFIX)

    @property
    def dedup_key(self) -> str:
        return f"{self.source}#{self.id}"

    @classmethod
    def consume(cls, raw: Any) -> Envelope:
        """Validate a received envelope, tolerating unknown extension attributes."""
        return cls.model_validate(raw, extra="ignore")


def ce_type(event_name: str) -> str:
    return CE_TYPE_PREFIX + event_name


def build_envelope(
    *,
    source_service: str,
    event_name: str,
    subject: str,
    data: Contract,
    traceparent: str | None = None,
    tracestate: str | None = None,
    event_id: str | None = None,
    time: datetime | None = None,
) -> Envelope:
    """Wrap a contract model in an envelope ready to publish."""
    version = type(data).SCHEMA_VERSION
    return Envelope(
        specversion="1.0",
        id=event_id or str(uuid.uuid4()),
        source=f"/tgd/{source_service}",
        type=ce_type(event_name),
        time=time or datetime.now(UTC),
        subject=subject,
        dataschema=f"urn:tgd:schema:{event_name}:{version}",
        schemaversion=version,
        traceparent=traceparent,
        tracestate=tracestate,
        data=data.to_wire(),
    )
