"""How an alert record is laid out in its document (the ``alerts`` collection), pure:

- ``sealed``: her personal part (the device facts with the dossier copy, the presses, the
  positions, the journal with what was said, the script's answers, where the dispatch was
  routed) as ONE AES-GCM blob; its associated data names the collection, the field and
  the alert id (:func:`context`), so a blob copied to another alert does not open;
- ``plain``: the non-personal state (state, operator, outcome, deliveries to the forces,
  the escalation ladder from the public directory, retention dates);
- ``summary``: the line of the operator's open-alerts list (no identity, no position),
  read without decrypting anything;
- ``codes``: the journal's kinds and times (no actor, no detail), for delays and SLOs.

:func:`changes` turns the previous stored form and the new one into one targeted update
(``$set`` on what changed, ``$push`` on what was appended): never a whole-record rewrite.
"""

from __future__ import annotations

from typing import Any

from alert.domain.routing import LADDER_STEPS
from tgd_contracts.alert import AlertState

LAYOUT = 2  # 1 (absent): the whole record in ``record``, sealed leaf by leaf
PERSONAL = ("device", "presses", "positions", "journal", "answers", "located", "position_retention")
COLLECTION_FIELD = "alerts.sealed"
APPEND_ONLY = ("codes",)
ABSENT_WHEN_NONE = ("raised_by",)  # unique sparse index: absent, never null


def context(alert_id: str) -> str:
    """The associated data of an alert's sealed part: collection, field and id."""
    return f"{COLLECTION_FIELD}.{alert_id}"


def split(record: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The record's JSON form -> (personal part, plain part)."""
    personal = {k: v for k, v in record.items() if k in PERSONAL}
    plain = {k: v for k, v in record.items() if k not in PERSONAL}
    return personal, plain


def join(personal: dict[str, Any], plain: dict[str, Any]) -> dict[str, Any]:
    return {**plain, **personal}


def acknowledged(deliveries: list[dict[str, Any]]) -> bool:
    """A centre of the ladder acknowledged (the unit of her home or the association alone
    does not make a dispatched alert safe); for a redirected alert, the association."""
    ladder = [d for d in deliveries if d.get("step") in LADDER_STEPS]
    return any(d.get("acknowledged_at") for d in (ladder or deliveries))


def summary(record: dict[str, Any]) -> dict[str, Any]:
    """The open-alerts list's line (contract ``OpenAlertSummary``), from the JSON form."""
    state = record["state"]
    return {
        "alert_id": record["alert_id"],
        "state": state,
        "device_id": record["device"]["device_id"],
        "jurisdiction": record["device"].get("jurisdiction"),
        "flags": list(record.get("flags") or []),
        "raised_at": record["raised_at"],
        "presses": len(record.get("presses") or []),
        "acknowledged": acknowledged(record.get("deliveries") or []),
        "reopened": record.get("reopened_at") is not None and state in (AlertState.RAISED, AlertState.TAKEN),
    }


def codes(record: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"at": e["at"], "kind": e["kind"]} for e in record.get("journal") or []]


def _list_change(path: str, old: list[Any], new: list[Any], update: dict[str, dict[str, Any]]) -> None:
    """Appended items -> ``$push``; changed items -> ``$set`` of each; else the whole list."""
    if new == old:
        return
    if len(new) >= len(old):
        changed = [i for i in range(len(old)) if old[i] != new[i]]
        if not changed:
            update["$push"][path] = {"$each": new[len(old) :]}
            return
        if len(new) == len(old) and len(changed) <= 4:
            for i in changed:
                update["$set"][f"{path}.{i}"] = new[i]
            return
    update["$set"][path] = new


def stored(record: dict[str, Any], **fields: Any) -> dict[str, Any]:
    """The document's fields for a record's JSON form (``personal``: the plaintext of
    ``sealed``, compared, never stored); ``fields``: the indexed top-level ones."""
    personal, plain = split(record)
    return {
        **fields,
        "layout": LAYOUT,
        "plain": plain,
        "summary": summary(record),
        "codes": codes(record),
        "personal": personal,
    }


def _absent(key: str, value: Any) -> bool:
    return value is None and key in ABSENT_WHEN_NONE


def changes(old: dict[str, Any] | None, new: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The update taking the stored fields ``old`` to ``new`` (both from :func:`stored`;
    ``sealed`` is the caller's: it reseals only when ``personal`` changed). Without
    ``old`` (unknown, or the earlier layout), every field is set."""
    update: dict[str, dict[str, Any]] = {"$set": {}, "$push": {}, "$unset": {}}
    if old is None:
        update["$set"].update({k: v for k, v in new.items() if k != "personal" and not _absent(k, v)})
        update["$unset"].update({k: True for k, v in new.items() if _absent(k, v)})
        update["$unset"]["record"] = True  # the earlier layout's field, if any
        return update
    for key, value in new.items():
        if key == "personal":
            continue
        before = old.get(key)
        if key == "plain":
            for name in value.keys() | before.keys():
                if name == "deliveries":
                    _list_change("plain.deliveries", before.get(name) or [], value.get(name) or [], update)
                elif value.get(name) != before.get(name):
                    update["$set"][f"plain.{name}"] = value.get(name)
        elif key in APPEND_ONLY:
            _list_change(key, before or [], value, update)
        elif value != before:
            if _absent(key, value):
                update["$unset"][key] = True
            else:
                update["$set"][key] = value
    return update


def unchanged(update: dict[str, dict[str, Any]]) -> bool:
    """True when :func:`changes` found nothing to write."""
    return not any(update.values())


def operators(update: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Without the empty operators (a server may refuse ``{"$set": {}}``)."""
    return {op: fields for op, fields in update.items() if fields}
