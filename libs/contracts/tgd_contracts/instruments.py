"""The risk instruments (grilles d'évaluation du danger) as the association fills them
and the parquet reads them: each item with its weight and label, and the thresholds of
the levels. Published by the evaluation service from its data file."""

from __future__ import annotations

from tgd_contracts.base import Contract


class InstrumentItem(Contract):
    item_id: str
    weight: int
    label: str


class InstrumentView(Contract):
    instrument_id: str
    instrument_version: str
    title: str
    high_from: int  # score from which the level is high
    medium_from: int
    items: list[InstrumentItem]


class InstrumentList(Contract):
    instruments: list[InstrumentView]
