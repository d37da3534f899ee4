"""A service's start check in production (tgd_servicekit.production): pure, no process."""

import base64
import os

import pytest

from tgd_servicekit.production import ProductionConfigError, check_production, production_problems


def real_keys():
    return {
        "TGD_FIELD_KEYS": f"k1:{base64.b64encode(os.urandom(32)).decode()}",
        "TGD_ACTIVE_KEY_ID": "k1",
        "TGD_BLIND_INDEX_KEY": base64.b64encode(os.urandom(32)).decode(),
        "MONGODB_URI": "mongodb://u:p@db:27017/?replicaSet=rs0",
    }


def test_development_needs_nothing():
    assert production_problems({}) == []
    assert production_problems({"TGD_ENV": "development"}) == []


def test_production_with_real_keys_and_a_database_may_start():
    assert production_problems({"TGD_ENV": "production", **real_keys()}) == []


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"TGD_FIELD_KEYS": ""}, "TGD_FIELD_KEYS"),
        (
            {
                "TGD_FIELD_KEYS": "dev-insecure:" + base64.b64encode(b"x" * 32).decode(),
                "TGD_ACTIVE_KEY_ID": "dev-insecure",
            },
            "development",
        ),
        ({"TGD_FIELD_KEYS": "k1:change-me"}, "base64"),
        ({"MONGODB_URI": ""}, "MONGODB_URI"),
        ({"TGD_ENV": "prod"}, "neither"),
    ],
)
def test_production_refuses_missing_development_or_placeholder_settings(change, named):
    env = {"TGD_ENV": "production", **real_keys(), **change}
    problems = production_problems(env)
    assert any(named in p for p in problems), problems
    with pytest.raises(ProductionConfigError, match="refusing to start"):
        check_production(env)
