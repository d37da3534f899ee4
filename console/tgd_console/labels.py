"""French labels of the screens (the code and the API speak English). The tables, one per
value set of the contracts, are the catalogue ``labels_fr.toml`` beside this module:
``labels.MEASURE_STATUS`` is its ``[MEASURE_STATUS]`` table (a module attribute looked up
in the catalogue, PEP 562), in the catalogue's order (the forms' choices)."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from pathlib import Path

Table = dict[str, str]


def read_catalogue(path: Path) -> dict[str, Table]:
    """A TOML file of tables of labels: ``[NAME]`` then ``value = "label"`` lines."""
    with path.open("rb") as source:
        return tomllib.load(source)


TABLES = read_catalogue(Path(__file__).with_name("labels_fr.toml"))


def table_named(tables: Mapping[str, Table], name: str) -> Table:
    """A module's ``__getattr__`` over its catalogue: an unknown name is an AttributeError."""
    try:
        return tables[name]
    except KeyError:
        raise AttributeError(f"no table of labels named {name}") from None


def __getattr__(name: str) -> Table:
    return table_named(TABLES, name)


DEFAULT_ERROR = "Erreur inattendue : réessayez ou contactez l'administrateur."


def label(table: Mapping[str, str], value: object) -> str:
    """The French label, or the value itself when unknown (never an empty cell)."""
    if value is None:
        return "—"
    return table.get(str(value), str(value))


def locked(wait_s: float) -> str:
    """The login form while its (login, address) pair or its address is locked."""
    minutes = int(wait_s // 60) + 1
    return (
        f"Trop de tentatives de connexion depuis ce poste : réessayez dans {minutes} minute(s), "
        "ou contactez l'administrateur de la plateforme."
    )


def error(code: str) -> str:
    return TABLES["ERRORS"].get(code, DEFAULT_ERROR)
