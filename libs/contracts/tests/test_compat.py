"""Backward compatibility rules over JSON Schemas (compat.py) and the CI check of every
model against its previous snapshot."""

from datetime import datetime
from enum import StrEnum

import pytest
from pydantic import Field

from tgd_contracts import compat_snapshots
from tgd_contracts.base import Contract
from tgd_contracts.compat import breaking_changes, check_change, schema_changes


class Colour(StrEnum):
    RED = "red"
    BLUE = "blue"


class Inner(Contract):
    code: str = Field(max_length=10)


class V1(Contract):
    name: str
    count: int
    colour: Colour
    note: str | None = None
    inner: Inner
    tags: list[Inner] = Field(default_factory=list)


def schema(model):
    return model.model_json_schema(mode="validation")


def kinds(old, new):
    return sorted((c.path, c.kind) for c in breaking_changes(schema(old), schema(new)))


def test_an_identical_schema_has_no_change():
    assert schema_changes(schema(V1), schema(V1)) == []


def test_a_new_optional_field_is_not_breaking():
    class V2(V1):
        extra: str | None = None

    changes = schema_changes(schema(V1), schema(V2))
    assert [(c.path, c.kind, c.breaking) for c in changes] == [("extra", "added", False)]


def test_a_removed_field_is_breaking():
    class V2(Contract):
        name: str
        colour: Colour
        note: str | None = None
        inner: Inner
        tags: list[Inner] = Field(default_factory=list)

    assert kinds(V1, V2) == [("count", "removed")]


def test_a_retyped_field_is_breaking_even_nested_and_in_arrays():
    class Inner2(Contract):
        code: int

    class V2(V1):
        count: str
        inner: Inner2
        tags: list[Inner2] = Field(default_factory=list)

    assert kinds(V1, V2) == [("count", "retyped"), ("inner.code", "retyped"), ("tags[].code", "retyped")]


def test_making_a_field_nullable_is_a_retype():
    class V2(V1):
        count: int | None

    assert kinds(V1, V2) == [("count", "retyped")]


def test_a_newly_required_field_is_breaking():
    class V2(V1):
        note: str | None  # still nullable, but now required
        added: str

    assert kinds(V1, V2) == [("added", "newly_required"), ("note", "newly_required")]


def test_a_narrowed_enum_is_breaking_a_widened_one_is_reported_only():
    class Narrow(StrEnum):
        RED = "red"

    class Wide(StrEnum):
        RED = "red"
        BLUE = "blue"
        GREEN = "green"

    class V2(V1):
        colour: Narrow

    class V3(V1):
        colour: Wide

    assert kinds(V1, V2) == [("colour", "enum_narrowed")]
    assert kinds(V1, V3) == []
    assert [c.kind for c in schema_changes(schema(V1), schema(V3))] == ["enum_widened"]


def test_a_tightened_constraint_is_breaking_a_loosened_one_is_not():
    class Tight(Contract):
        code: str = Field(max_length=5)

    class Loose(Contract):
        code: str = Field(max_length=50)

    assert kinds(Inner, Tight) == [("code", "constraint_tightened")]
    assert kinds(Inner, Loose) == []


def test_a_major_bump_allows_breaking_changes_a_minor_one_does_not():
    class V2(V1):
        count: str

    assert check_change("thing", "1.0.0", schema(V1), "2.0.0", schema(V2)) == []
    problems = check_change("thing", "1.0.0", schema(V1), "1.1.0", schema(V2))
    assert problems == [
        "thing 1.0.0 -> 1.1.0: count: retyped (['integer'] -> ['string']) breaks consumers without a MAJOR version bump"
    ]
    assert check_change("thing", "1.0.0", schema(V1), "1.0.0", schema(V1)) == [
        "thing: version 1.0.0 does not follow 1.0.0"
    ]


def test_every_contract_is_compatible_with_its_previous_snapshot():
    assert compat_snapshots.incompatible_changes() == []


def test_the_ci_check_compares_with_the_previous_snapshot_version(monkeypatch, tmp_path):
    class ReferralReceivedV11(Contract):
        SCHEMA_VERSION = "1.1.0"
        referral_id: str
        received_at: datetime

    monkeypatch.setattr(compat_snapshots, "SCHEMA_DIR", tmp_path)
    (tmp_path / "referral_received").mkdir()
    for version in ("0.9.0", "1.0.0", "1.2.0"):
        (tmp_path / "referral_received" / f"{version}.json").write_text("{}")
    assert compat_snapshots.previous_version("referral_received", "1.1.0") == "1.0.0"
    assert compat_snapshots.previous_version("referral_received", "0.9.0") is None


@pytest.mark.parametrize("ref", ["other.json#/x", "http://example.org/s.json"])
def test_only_local_references_are_followed(ref):
    with pytest.raises(ValueError, match="local"):
        schema_changes({"properties": {"a": {"$ref": ref}}}, {"properties": {"a": {"$ref": ref}}})
