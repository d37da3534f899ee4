"""Structured risk assessment (grille d'évaluation du danger), pure.

An instrument is identified by id and version and maps each item to a weight; the
score's thresholds give a level. The report stores the instrument's id and version
with the answers, so a grid can change without rewriting past assessments. To plug in
a grid (a DASH-like checklist, a Danger-Assessment-like weighted calendar...), add an
:class:`Instrument` to :data:`INSTRUMENTS`; item texts stay with the association.

The two grids shipped are structural stand-ins (item ids, weights and thresholds of
the same shape as the published grids, not their validated content): a jurisdiction
must configure the grid it actually uses.

A professional may raise the computed level (who and why are recorded); lowering it is
refused, never silent.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from evaluation.exceptions import InvalidRequest, RiskLevelLowered, UnknownInstrument
from tgd_contracts.evaluation import Answer, Level, RiskAssessment
from tgd_contracts.reference import RiskGridItem, RiskInstrument, RiskInstruments, RiskThreshold

LEVEL_ORDER = {Level.LOW: 0, Level.MEDIUM: 1, Level.HIGH: 2}


@dataclass(frozen=True)
class Instrument:
    id: str
    version: str
    weights: Mapping[str, int]
    thresholds: tuple[tuple[int, Level], ...]  # (minimum score, level), highest first

    def score(self, yes_items: set[str]) -> int:
        return sum(self.weights[item] for item in yes_items)

    def level(self, score: int) -> Level:
        for minimum, level in self.thresholds:
            if score >= minimum:
                return level
        return Level.LOW


def _dash_like() -> Instrument:
    """27 yes/no items of weight 1; 14 or more "yes" is high risk (DASH-like)."""
    return Instrument("dash-like", "1", {f"q{n:02d}": 1 for n in range(1, 28)}, ((14, Level.HIGH), (10, Level.MEDIUM)))


def _danger_assessment_like() -> Instrument:
    """20 weighted items; 18+ extreme and 14-17 severe (both high), 8-13 increased (medium)."""
    weights = {f"q{n:02d}": w for n, w in zip(range(1, 21), (4, 3, 3, 2, 2, 2, 2, 1, 1, 1) + (1,) * 10, strict=True)}
    return Instrument("danger-assessment-like", "1", weights, ((14, Level.HIGH), (8, Level.MEDIUM)))


INSTRUMENTS: dict[tuple[str, str], Instrument] = {
    (i.id, i.version): i for i in (_dash_like(), _danger_assessment_like())
}


def published(instruments: Mapping[tuple[str, str], Instrument] = INSTRUMENTS) -> RiskInstruments:
    """What partners may read of the grids: ids, versions, item ids, weights and thresholds."""
    return RiskInstruments(
        items=[
            RiskInstrument(
                instrument_id=i.id,
                instrument_version=i.version,
                items=[RiskGridItem(item_id=item, weight=w) for item, w in i.weights.items()],
                thresholds=[RiskThreshold(minimum_score=m, level=level) for m, level in i.thresholds],
            )
            for i in instruments.values()
        ]
    )


@dataclass(frozen=True)
class RiskResult:
    instrument_id: str
    instrument_version: str
    score: int
    computed_level: Level
    level: Level  # the level retained: computed, or raised by a professional
    raised_by: str | None
    raised_because: str | None


def assess(risk: RiskAssessment, instruments: Mapping[tuple[str, str], Instrument] = INSTRUMENTS) -> RiskResult:
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
