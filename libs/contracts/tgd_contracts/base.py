"""The base of every contract model: strict when produced, tolerant when consumed."""

from __future__ import annotations

from typing import Any, ClassVar, Self

from pydantic import BaseModel, ConfigDict


class Contract(BaseModel):
    """A versioned message or payload shape.

    Producers build instances directly (unknown fields are refused and primitive
    types are strict). Consumers call :meth:`consume`, which ignores fields they do
    not know yet, so a producer may add an optional field without breaking them.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=False)

    SCHEMA_VERSION: ClassVar[str] = "1.0.0"
    """Semantic version of this model's JSON Schema; see ``schemas/``."""

    @classmethod
    def consume(cls, data: Any) -> Self:
        """Validate data received from another party, ignoring unknown fields."""
        return cls.model_validate(data, extra="ignore")

    def to_wire(self) -> dict[str, Any]:
        """The JSON-compatible form sent on the bus or over RPC."""
        return self.model_dump(mode="json")
