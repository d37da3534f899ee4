"""Structured risk assessment (grille d'évaluation du danger), pure.

An instrument is identified by id and version and maps each item to a weight; the
score's thresholds give a level. The report stores the instrument's id and version
with the answers, so a grid can change without rewriting past assessments. The
instruments are data (:mod:`evaluation.domain.instruments`: a JSON file loaded at start, with
each item's label); a grid is plugged in by adding it to that file, not to the code.

The two grids shipped are structural stand-ins (item ids, weights and thresholds of
the same shape as the published grids, not their validated content): a jurisdiction
must configure the grid it actually uses.

A professional may raise the computed level (who and why are recorded); lowering it is
refused, never silent.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from evaluation.exceptions import InvalidRequest, RiskLevelLowered, UnknownInstrument
from tgd_contracts.evaluation import Answer, Level, RiskAssessment

LEVEL_ORDER = {Level.LOW: 0, Level.MEDIUM: 1, Level.HIGH: 2}


@dataclass(frozen=True)
class Instrument:
    id: str
    version: str
    weights: Mapping[str, int]
    thresholds: tuple[tuple[int, Level], ...]  # (minimum score, level), highest first
    title: str = ""
    labels: Mapping[str, str] = field(default_factory=dict)  # item id -> its text

    def score(self, yes_items: set[str]) -> int:
        return sum(self.weights[item] for item in yes_items)

    def level(self, score: int) -> Level:
        for minimum, level in self.thresholds:
            if score >= minimum:
                return level
        return Level.LOW


@dataclass(frozen=True)
class RiskResult:
    instrument_id: str
    instrument_version: str
    score: int
    computed_level: Level
    level: Level  # the level retained: computed, or raised by a professional
    raised_by: str | None
    raised_because: str | None


def assess(risk: RiskAssessment, instruments: Mapping[tuple[str, str], Instrument] | None = None) -> RiskResult:
    if instruments is None:
        from evaluation.domain.instruments import read_instruments  # the packaged grids

        instruments = read_instruments()
    instrument = instruments.get((risk.instrument_id, risk.instrument_version))
    if instrument is None:
        raise UnknownInstrument(f"Unknown instrument {risk.instrument_id!r} version {risk.instrument_version!r}.")
    seen: set[str] = set()
    for item in risk.items:
        if item.item_id not in instrument.weights:
            raise InvalidRequest(f"Item {item.item_id!r} is not part of {instrument.id} v{instrument.version}.")
        if item.item_id in seen:
            raise InvalidRequest(f"Item {item.item_id!r} is answered twice.")
        seen.add(item.item_id)
    score = instrument.score({i.item_id for i in risk.items if i.answer == Answer.YES})
    computed = instrument.level(score)
    level, by, because = computed, None, None
    if risk.override is not None:
        if LEVEL_ORDER[risk.override.level] < LEVEL_ORDER[computed]:
            raise RiskLevelLowered(f"The grid gives {computed.value}; a professional may not lower it.")
        level, by, because = risk.override.level, risk.override.by, risk.override.reason
    return RiskResult(instrument.id, instrument.version, score, computed, level, by, because)
