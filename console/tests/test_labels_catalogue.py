"""The French labels' catalogues (labels_fr.toml): every table a screen or a module names
exists (a typo would otherwise show an empty cell), and an unknown table is an error."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from tgd_console import labels
from tgd_console.operator import labels as operator_labels

PACKAGE = Path(labels.__file__).parent
NAMED = re.compile(r"\blabels\.([A-Z][A-Z_]+)\b")


def names_in(paths):
    return {name for path in paths for name in NAMED.findall(path.read_text())}


def test_every_table_the_peoples_screens_name_is_in_their_catalogue():
    sources = [*(PACKAGE / "templates").glob("*.html"), *PACKAGE.glob("*.py"), *(PACKAGE / "routes").glob("*.py")]
    named = names_in(sources) - {"DEFAULT_ERROR"}
    assert named
    assert named <= set(labels.TABLES)


def test_every_table_the_operator_screens_name_is_in_theirs():
    sources = [*(PACKAGE / "operator" / "templates").glob("*.html"), *(PACKAGE / "operator").glob("*.py")]
    named = names_in(sources) - {"REMINDERS_UNAVAILABLE"}
    assert named
    assert named <= set(operator_labels.TABLES)


def test_the_operators_alert_states_are_the_peoples_screens():
    assert operator_labels.ALERT_STATE is labels.ALERT_STATE
    assert labels.ALERT_STATE["raised"] == "En attente d'un opérateur"


def test_an_unknown_table_is_an_attribute_error():
    with pytest.raises(AttributeError):
        labels.NO_SUCH_TABLE
    with pytest.raises(AttributeError):
        operator_labels.NO_SUCH_TABLE
