"""The evaluation service's settings, read from its configuration at start (the service
declares each with :class:`tgd_servicekit.providers.FromConfig`)."""

from __future__ import annotations

from typing import Any

from evaluation.domain import Policy
from evaluation.domain.instruments import read_instruments
from evaluation.domain.retention import RetentionPolicy
from evaluation.domain.risk import Instrument
from tgd_contracts.jurisdictions import JURISDICTIONS
from tgd_servicekit.durations import parse_period


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
    """The attribution policy."""
    return Policy(
        period=parse_period(values.get("ATTRIBUTION_PERIOD", "P6M")),
        reminder_lead=parse_period(values.get("EXPIRY_REMINDER_LEAD", "P15D")),
        default_renewal_cap=int(values.get("DEFAULT_RENEWAL_CAP", 1)),
        renewal_caps=court_caps() | parse_caps(values.get("RENEWAL_CAPS", "")),
    )


def retention_policy_from_config(values: Any) -> RetentionPolicy:
    """How long a measure's personal data is kept (see :mod:`evaluation.domain.retention`)."""
    return RetentionPolicy(
        undecided=parse_period(values.get("EVALUATION_UNDECIDED_RETENTION", "P6M")),
        after_end=parse_period(values.get("EVALUATION_RETENTION_AFTER_END", "P3M")),
    )


def instruments_from_config(values: Any) -> dict[tuple[str, str], Instrument]:
    """The risk instruments of ``EVALUATION_INSTRUMENTS_FILE`` (else the packaged file); a
    file that does not validate stops the service."""
    return read_instruments(values.get("EVALUATION_INSTRUMENTS_FILE") or None)
