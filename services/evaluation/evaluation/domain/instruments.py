"""The risk instruments as data, pure: loaded from a JSON file at start and validated
(an instrument without items, a duplicate instrument or item, a bad weight or threshold
is refused with the instrument and item named, never loaded half).

``EVALUATION_INSTRUMENTS_FILE=/path/instruments.json``, else the packaged
``data/instruments.json`` (structural stand-ins: a jurisdiction configures the grid it
actually uses). A list of::

    {"id": "dash-like", "version": "1", "title": "...",
     "thresholds": {"high": 14, "medium": 10},
     "items": [{"id": "q01", "weight": 1, "label": "..."}, ...]}
"""

from __future__ import annotations

import json
import re
from typing import Any

from evaluation.domain.risk import Instrument
from tgd_contracts.data_files import add_once, read_data_file
from tgd_contracts.evaluation import Level
from tgd_contracts.instruments import InstrumentItem, InstrumentList, InstrumentView

ID = re.compile(r"^[a-z0-9_-]{1,40}$")
VERSION = re.compile(r"^[0-9A-Za-z.-]{1,20}$")
Key = tuple[str, str]


class InstrumentError(ValueError):
    """The instruments file is not valid."""


def _item(where: str, raw: Any, seen: set[str]) -> tuple[str, int, str]:
    if not isinstance(raw, dict):
        raise InstrumentError(f"{where}: an item is an object")
    item_id, weight, label = raw.get("id"), raw.get("weight"), raw.get("label")
    if not isinstance(item_id, str) or not ID.match(item_id):
        raise InstrumentError(f"{where}: an item has an invalid id")
    if item_id in seen:
        raise InstrumentError(f"{where}: item {item_id} listed twice")
    if not isinstance(weight, int) or isinstance(weight, bool) or not 0 <= weight <= 100:
        raise InstrumentError(f"{where}, item {item_id}: weight must be an integer from 0 to 100")
    if not isinstance(label, str) or not label.strip():
        raise InstrumentError(f"{where}, item {item_id}: no label")
    seen.add(item_id)
    return item_id, weight, label.strip()


def _instrument(number: int, raw: Any) -> Instrument:
    if not isinstance(raw, dict):
        raise InstrumentError(f"instrument #{number}: not an object")
    iid, version, title = raw.get("id"), raw.get("version"), raw.get("title")
    if not isinstance(iid, str) or not ID.match(iid) or not isinstance(version, str) or not VERSION.match(version):
        raise InstrumentError(f"instrument #{number}: invalid id or version")
    where = f"instrument {iid} v{version}"
    if not isinstance(title, str) or not title.strip():
        raise InstrumentError(f"{where}: no title")
    items = raw.get("items")
    if not isinstance(items, list) or not items:
        raise InstrumentError(f"{where}: no items")
    seen: set[str] = set()
    parsed = [_item(where, item, seen) for item in items]
    thresholds = raw.get("thresholds")
    high = thresholds.get("high") if isinstance(thresholds, dict) else None
    medium = thresholds.get("medium") if isinstance(thresholds, dict) else None
    if not all(isinstance(t, int) and not isinstance(t, bool) and t > 0 for t in (high, medium)) or medium >= high:
        raise InstrumentError(f"{where}: thresholds need integers 0 < medium < high")
    return Instrument(
        iid,
        version,
        {i: w for i, w, _ in parsed},
        ((high, Level.HIGH), (medium, Level.MEDIUM)),
        title=title.strip(),
        labels={i: label for i, _, label in parsed},
    )


def load_instruments(text: str) -> dict[Key, Instrument]:
    try:
        raw = json.loads(text)
    except ValueError as exc:
        raise InstrumentError(f"instruments file: not JSON (line {getattr(exc, 'lineno', '?')})") from None
    if not isinstance(raw, list) or not raw:
        raise InstrumentError("instruments file: a non-empty list of instruments is expected")
    found: dict[Key, Instrument] = {}
    for number, entry in enumerate(raw, start=1):
        instrument = _instrument(number, entry)
        twice = f"instrument {instrument.id} v{instrument.version} listed twice"
        add_once(found, (instrument.id, instrument.version), instrument, InstrumentError, twice)
    return found


def read_instruments(path: str | None = None) -> dict[Key, Instrument]:
    return load_instruments(read_data_file(path, "evaluation", "data/instruments.json"))


def published(instruments: dict[Key, Instrument]) -> InstrumentList:
    """What partners read: every item with its weight and label, and the thresholds."""
    views = []
    for i in instruments.values():
        levels = dict((level, minimum) for minimum, level in i.thresholds)
        items = [InstrumentItem(item_id=k, weight=w, label=i.labels.get(k, k)) for k, w in i.weights.items()]
        views.append(
            InstrumentView(
                instrument_id=i.id,
                instrument_version=i.version,
                title=i.title,
                high_from=levels[Level.HIGH],
                medium_from=levels[Level.MEDIUM],
                items=items,
            )
        )
    return InstrumentList(instruments=views)
