"""The risk instruments are data: loaded, validated with clear errors, nothing half-loaded."""

import json

import pytest

from evaluation.dependencies import parse_caps
from evaluation.domain import risk
from evaluation.domain.instruments import InstrumentError, load_instruments, read_instruments
from tgd_contracts.evaluation import RiskAssessment


def grid(**changes):
    base = {
        "id": "grille-fictive",
        "version": "2",
        "title": "Grille fictive",
        "thresholds": {"high": 3, "medium": 2},
        "items": [{"id": "a", "weight": 2, "label": "Item A"}, {"id": "b", "weight": 1, "label": "Item B"}],
    }
    return {**base, **changes}


def test_a_new_grid_from_a_file_needs_no_release(tmp_path):
    path = tmp_path / "instruments.json"
    path.write_text(json.dumps([grid()]), encoding="utf-8")
    instruments = read_instruments(str(path))
    body = {"instrument_id": "grille-fictive", "instrument_version": "2", "items": [{"item_id": "a", "answer": "yes"}]}
    result = risk.assess(RiskAssessment.model_validate(body), instruments)
    assert (result.score, result.level) == (2, "medium")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ([grid(items=[])], "instrument grille-fictive v2: no items"),
        ([grid(), grid()], "instrument grille-fictive v2 listed twice"),
        (
            [grid(items=[{"id": "a", "weight": 1, "label": "A"}, {"id": "a", "weight": 1, "label": "A"}])],
            "item a listed twice",
        ),
        ([grid(items=[{"id": "a", "weight": -1, "label": "A"}])], "item a: weight"),
        ([grid(items=[{"id": "a", "weight": 1, "label": " "}])], "item a: no label"),
        ([grid(thresholds={"high": 2, "medium": 2})], "thresholds"),
        ([grid(id="Grille Fictive")], "instrument #1: invalid id"),
        ([], "non-empty list"),
    ],
)
def test_a_bad_instruments_file_is_refused_clearly(content, message):
    with pytest.raises(InstrumentError) as refused:
        load_instruments(json.dumps(content))
    assert message in str(refused.value)


def test_not_json_is_refused():
    with pytest.raises(InstrumentError, match="not JSON"):
        load_instruments("[{")


def test_the_packaged_grids_load():
    assert set(read_instruments()) == {("dash-like", "1"), ("danger-assessment-like", "1")}


def test_renewal_caps_naming_an_unknown_court_stop_the_service():
    assert parse_caps("tj-paris=1,tj-moulins=2") == {"tj-paris": 1, "tj-moulins": 2}
    with pytest.raises(ValueError, match="unknown court 'tj-inconnu'"):
        parse_caps("tj-inconnu=1")
    with pytest.raises(ValueError, match="not a whole number"):
        parse_caps("tj-paris=x")


def test_the_courts_renewal_caps_come_from_the_courts_file_and_the_setting_overrides():
    from evaluation.dependencies import policy_from_config

    assert policy_from_config({}).renewal_cap("tj-paris") == 1
    assert policy_from_config({"RENEWAL_CAPS": "tj-paris=2"}).renewal_cap("tj-paris") == 2
    assert policy_from_config({"DEFAULT_RENEWAL_CAP": "3"}).renewal_cap("tj-moulins") == 3
