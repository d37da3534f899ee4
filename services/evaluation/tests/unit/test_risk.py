"""Risk grids: versioned instruments, computed level, raising (never lowering) it."""

import pytest

from evaluation.domain import risk
from evaluation.exceptions import InvalidRequest, RiskLevelLowered, UnknownInstrument
from tgd_contracts.evaluation import Level, RiskAssessment


def assessment(yes=0, instrument="dash-like", version="1", override=None, items=None):
    items = items or [{"item_id": f"q{n:02d}", "answer": "yes" if n <= yes else "no"} for n in range(1, 28)]
    body = {"instrument_id": instrument, "instrument_version": version, "items": items}
    if override:
        body["override"] = override
    return RiskAssessment.model_validate(body)


@pytest.mark.parametrize(("yes", "level"), [(0, "low"), (9, "low"), (10, "medium"), (13, "medium"), (14, "high")])
def test_dash_like_thresholds(yes, level):
    result = risk.assess(assessment(yes))
    assert result.score == yes
    assert result.computed_level == result.level == Level(level)
    assert (result.instrument_id, result.instrument_version) == ("dash-like", "1")


def test_danger_assessment_like_weights_items():
    items = [
        {"item_id": "q01", "answer": "yes"},
        {"item_id": "q02", "answer": "yes"},
        {"item_id": "q03", "answer": "yes"},
    ]
    result = risk.assess(assessment(instrument="danger-assessment-like", items=items))
    assert result.score == 10
    assert result.level == Level.MEDIUM


def test_unknown_answers_count_as_no_and_missing_items_are_allowed():
    items = [{"item_id": "q01", "answer": "unknown"}, {"item_id": "q02", "answer": "yes"}]
    assert risk.assess(assessment(items=items)).score == 1


def test_a_professional_raises_the_level_and_who_and_why_are_kept():
    override = {"level": "high", "by": "Intervenante sociale (réf. fictive 12)", "reason": "Menaces de mort récentes."}
    result = risk.assess(assessment(2, override=override))
    assert result.computed_level == Level.LOW
    assert result.level == Level.HIGH
    assert result.raised_by.startswith("Intervenante")
    assert result.raised_because == "Menaces de mort récentes."


def test_lowering_the_computed_level_is_refused():
    with pytest.raises(RiskLevelLowered):
        risk.assess(assessment(20, override={"level": "medium", "by": "x", "reason": "Pas d'accord."}))


def test_unknown_instrument_or_version_is_refused():
    with pytest.raises(UnknownInstrument):
        risk.assess(assessment(instrument="dash-like", version="9"))
    with pytest.raises(UnknownInstrument):
        risk.assess(assessment(instrument="other"))


def test_items_outside_the_instrument_or_answered_twice_are_refused():
    with pytest.raises(InvalidRequest):
        risk.assess(assessment(items=[{"item_id": "q99", "answer": "yes"}]))
    with pytest.raises(InvalidRequest):
        risk.assess(assessment(items=[{"item_id": "q01", "answer": "yes"}, {"item_id": "q01", "answer": "no"}]))
