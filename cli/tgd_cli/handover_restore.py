"""Load a verified hand-over into this platform's services (reprise d'un ressort,
docs/handover.md): run by the receiving operator's operations team, with the platform's
own broker (``AMQP_URI``), after ``tgd handover import`` proved the archive.

Order: the court's terminals (every one checked before any is written), then each
measure. For a measure, every service is first asked to CHECK its record (``dry_run``);
only when none refuses are they written: the referral, the measure with its decision,
then the device assignment (last: it re-emits her routing facts, and the services that
react find the referral and the measure here). A measure refused by one service is
written by none; the others carry on. Alerts and notices to the forces stay in the
archive as evidence only.

Nothing here prints personal data: ids, outcomes and the services' reasons.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from tgd_contracts import handover as ho

Call = Callable[..., Any]  # call(service, method, **kwargs) -> the answer; raises Refused


class Refused(Exception):
    """A service refused a record (conflict, not restorable) or could not be asked."""


@dataclass
class Report:
    terminals: dict[str, int] = field(default_factory=dict)
    restored: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    refused: dict[str, str] = field(default_factory=dict)  # referral id -> reason


def _steps(referral_id: str, parts: list[dict[str, Any]]) -> list[tuple[str, dict[str, Any]]]:
    """(service, kwargs) of each record to restore, in writing order; Refused when the
    measure lacks its referral or its measure."""
    by = {p["service"]: p for p in parts if p["service"] in ("referral", "evaluation")}
    if set(by) != {"referral", "evaluation"}:
        raise Refused("the archive lacks the referral or the measure")
    attribution_id = by["evaluation"]["records"]["measure"].get("attribution_id")
    steps = [("referral", {"part": by["referral"], "attribution_id": attribution_id}),
             ("evaluation", {"part": by["evaluation"]})]  # fmt: skip
    steps += [("device", {"part": p}) for p in parts if p["service"] == "device" and p["subject_id"] == attribution_id]
    return steps


def restore_measure(call: Call, referral_id: str, parts: list[dict[str, Any]]) -> str:
    """``restored`` or ``unchanged``; Refused (nothing written for it) otherwise."""
    steps = _steps(referral_id, parts)
    checked = [call(service, "restore_handover", **kwargs, dry_run=True)["outcome"] for service, kwargs in steps]
    if all(outcome == "unchanged" for outcome in checked):
        return "unchanged"
    for service, kwargs in steps:
        call(service, "restore_handover", **kwargs)
    return "restored"


def restore(call: Call, content: ho.HandoverContent) -> Report:
    report = Report()
    try:
        call("device", "restore_terminals", jurisdiction=content.jurisdiction, terminals=content.devices, dry_run=True)
        report.terminals = call("device", "restore_terminals", jurisdiction=content.jurisdiction,
                                terminals=content.devices)  # fmt: skip
    except Refused as exc:  # the terminals are the court's: no measure is restored without them
        report.refused = {rid: f"terminals refused: {exc}" for rid in content.measures}
        return report
    for referral_id in sorted(content.measures):
        parts = [p.to_wire() for p in content.measures[referral_id]]
        try:
            outcome = restore_measure(call, referral_id, parts)
        except Refused as exc:
            report.refused[referral_id] = str(exc)
            continue
        (report.restored if outcome == "restored" else report.unchanged).append(referral_id)
    return report


@contextmanager
def broker_call(amqp_uri: str, timeout: float = 60) -> Iterator[Call]:
    """A ``call`` over this platform's broker (nameko RPC, as ``tgd keys rotate``)."""
    from nameko import config
    from nameko.exceptions import RemoteError
    from nameko.standalone.rpc import ClusterRpcClient

    def call_with(cluster: Any) -> Call:
        def call(service: str, method: str, **kwargs: Any) -> Any:
            try:
                return getattr(getattr(cluster, service), method)(**kwargs)
            except RemoteError as exc:
                raise Refused(f"{service}: {exc.exc_type}: {exc.value}") from None
            except Exception as exc:  # broker down, timeout: said, nothing more written
                raise Refused(f"{service} could not be asked: {type(exc).__name__}") from None

        return call

    with config.patch({"AMQP_URI": amqp_uri}):
        client = ClusterRpcClient(timeout=timeout)
        try:
            cluster = client.__enter__()
        except Exception as exc:
            raise Refused(f"this platform's broker could not be reached ({type(exc).__name__})") from None
        try:
            yield call_with(cluster)
        finally:
            client.__exit__(None, None, None)
