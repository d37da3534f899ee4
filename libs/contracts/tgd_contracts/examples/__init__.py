"""Fictional examples of the contracts' wire bodies: one module per model family, the one
source the tests, the demo seed (``tgd seed``) and the OpenAPI/AsyncAPI examples share.

Every builder returns a fresh wire dict (JSON types only) that its model accepts
(``libs/contracts/tests/test_examples.py`` validates each one); keyword arguments give
the variants a test needs, ``**overrides`` replace or deep-merge any other field. Every
name, place and number is obviously fictional (données fictives): surnames start with
EXEMPLE or AUTEUR, first names come from :data:`FIRST_NAMES`, phone numbers are in the
``06 00 00 00 xx`` range, streets are "Rue Fictive". Never put real-looking personal data here.
"""

from __future__ import annotations

from copy import deepcopy
from typing import Any

#: the only first names an example may carry
FIRST_NAMES = ("Fictive", "Fictif", "Personne", "Enfant", "Exemple")
#: surnames start with one of these
SURNAME_PREFIXES = ("EXEMPLE", "AUTEUR")
#: the fictional phone range (06 00 00 00 xx)
PHONE_PREFIX = "06000000"


def phone(n: int = 1) -> str:
    """A phone number of the fictional range ``06 00 00 00 xx``."""
    return f"{PHONE_PREFIX}{n % 100:02d}"


def merged(base: dict[str, Any], overrides: dict[str, Any]) -> dict[str, Any]:
    """``base`` with ``overrides`` applied: nested dicts are merged, anything else replaced
    (``None`` removes an optional field)."""
    out = deepcopy(base)
    for key, value in overrides.items():
        if value is None:
            out.pop(key, None)
        elif isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merged(out[key], value)
        else:
            out[key] = deepcopy(value)
    return out
