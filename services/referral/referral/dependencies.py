"""The referral service's settings, read from its configuration at start (the service
declares ``retention_policy = FromConfig(retention_policy_from_config)``)."""

from __future__ import annotations

from typing import Any

from referral.domain.retention import RetentionPolicy
from tgd_servicekit.durations import parse_period


def retention_policy_from_config(values: Any) -> RetentionPolicy:
    """How long a referral's personal data is kept (see :mod:`referral.domain.retention`)."""
    return RetentionPolicy(
        undecided=parse_period(values.get("REFERRAL_UNDECIDED_RETENTION", "P6M")),
        after_end=parse_period(values.get("REFERRAL_RETENTION_AFTER_END", "P3M")),
    )
