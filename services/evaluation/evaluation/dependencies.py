"""Nameko dependency providers of the evaluation service."""

from __future__ import annotations

from typing import Any

from nameko import config
from nameko.extensions import DependencyProvider

from evaluation.domain import Policy
from evaluation.domain.instruments import read_instruments
from evaluation.domain.retention import RetentionPolicy
from evaluation.domain.risk import Instrument
from evaluation.models import DB_ALIAS
from evaluation.repository import MeasureRepository
from tgd_contracts.jurisdictions import JURISDICTIONS
from tgd_servicekit.durations import parse_period
from tgd_servicekit.mongo import MongoRepository


def evaluation_database() -> MongoRepository:
    return MongoRepository(DB_ALIAS, MeasureRepository)


def parse_caps(text: str) -> dict[str, int]:
    """``tj-paris=1,tj-nanterre=2`` -> {"tj-paris": 1, "tj-nanterre": 2}; a court missing
    from the courts file, or a cap that is not a whole number, stops the service."""
    caps: dict[str, int] = {}
    for part in filter(None, (p.strip() for p in str(text or "").split(","))):
        code, _, value = part.partition("=")
        if code.strip() not in JURISDICTIONS:
            raise ValueError(f"RENEWAL_CAPS: unknown court {code.strip()!r} (not in the courts file)")
        if not value.strip().isdigit():
            raise ValueError(f"RENEWAL_CAPS: the cap of {code.strip()} is not a whole number")
        caps[code.strip()] = int(value)
    return caps


def court_caps() -> dict[str, int]:
    """The renewal caps of the courts file (``renewal_cap`` column); ``RENEWAL_CAPS`` overrides."""
    return {code: j.renewal_cap for code, j in JURISDICTIONS.items() if j.renewal_cap is not None}


def policy_from_config(values: Any) -> Policy:
    return Policy(
        period=parse_period(values.get("ATTRIBUTION_PERIOD", "P6M")),
        reminder_lead=parse_period(values.get("EXPIRY_REMINDER_LEAD", "P15D")),
        default_renewal_cap=int(values.get("DEFAULT_RENEWAL_CAP", 1)),
        renewal_caps=court_caps() | parse_caps(values.get("RENEWAL_CAPS", "")),
    )


class PolicyProvider(DependencyProvider):
    """The attribution policy read from the service's configuration at start."""

    def setup(self) -> None:
        self.policy = policy_from_config(config)

    def get_dependency(self, worker_ctx: Any) -> Policy:
        return self.policy


def retention_policy_from_config(values: Any) -> RetentionPolicy:
    return RetentionPolicy(
        undecided=parse_period(values.get("EVALUATION_UNDECIDED_RETENTION", "P6M")),
        after_end=parse_period(values.get("EVALUATION_RETENTION_AFTER_END", "P3M")),
    )


class RetentionPolicyProvider(DependencyProvider):
    """How long a measure's personal data is kept (see :mod:`evaluation.domain.retention`)."""

    def setup(self) -> None:
        self.policy = retention_policy_from_config(config)

    def get_dependency(self, worker_ctx: Any) -> RetentionPolicy:
        return self.policy


class InstrumentsProvider(DependencyProvider):
    """The risk instruments, loaded once at start from ``EVALUATION_INSTRUMENTS_FILE`` (else
    the packaged file); a file that does not validate stops the service."""

    def setup(self) -> None:
        self.instruments = read_instruments(config.get("EVALUATION_INSTRUMENTS_FILE") or None)

    def get_dependency(self, worker_ctx: Any) -> dict[tuple[str, str], Instrument]:
        return self.instruments
