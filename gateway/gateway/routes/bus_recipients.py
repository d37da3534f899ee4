"""Who received a person's data on the bus (for the subject-access "readers"): the units
informed of her measure (notices: identity, home, author) and the recipients of each of
her alerts' dispatches (dossier, position), from the services' dispatch records. Ids,
codes and times only; nothing of the dossier leaves this module."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from gateway.deps import ServiceCaller
from tgd_contracts.errors import ErrorCode, TgdError
from tgd_contracts.events import ServiceName

MISSING = (ErrorCode.ATTRIBUTION_NOT_FOUND, ErrorCode.ALERT_NOT_FOUND, ErrorCode.NOTICE_NOT_FOUND)


class BusRecipient(BaseModel):
    object_id: str  # the notice or the alert
    kind: str  # "notice", or the dispatch's kind
    audience: str
    territory: str
    unit: str | None
    sent_at: str | None
    acknowledged_at: str | None


async def _optional(rpc: ServiceCaller, service: str, method: str, **kwargs: Any) -> dict[str, Any]:
    try:
        answer = await rpc.call(service, method, **kwargs)
    except TgdError as exc:
        if exc.code in MISSING:
            return {}
        raise
    return answer if isinstance(answer, dict) else {}


def _text(value: Any) -> str | None:
    return str(value) if value is not None else None


async def bus_recipients(rpc: ServiceCaller, ids: dict[str, list[str]]) -> list[BusRecipient]:
    found: list[BusRecipient] = []
    for attribution_id in ids.get("attribution_ids", []):
        information = await _optional(rpc, ServiceName.NOTIFY, "get_information", attribution_id=attribution_id)
        for notice in information.get("notices", []):
            found.append(
                BusRecipient(
                    object_id=notice["notice_id"],
                    kind="notice",
                    audience=str(notice["audience"]),
                    territory=str(notice["department"]),
                    unit=notice.get("unit_code"),
                    sent_at=None,
                    acknowledged_at=_text(notice.get("acknowledged_at")),
                )
            )
    for alert_id in ids.get("alert_ids", []):
        alert = await _optional(rpc, ServiceName.ALERT, "get_alert", alert_id=alert_id)
        for delivery in alert.get("deliveries", []):
            recipient = delivery["recipient"]
            found.append(
                BusRecipient(
                    object_id=alert_id,
                    kind=str(delivery["kind"]),
                    audience=str(recipient["audience"]),
                    territory=str(recipient["territory"]),
                    unit=recipient.get("unit"),
                    sent_at=_text(delivery.get("first_sent_at")),
                    acknowledged_at=_text(delivery.get("acknowledged_at")),
                )
            )
    return found
