"""Nameko dependency providers of the referral service."""

from __future__ import annotations

from typing import Any

from referral.domain.retention import RetentionPolicy
from referral.models import DB_ALIAS
from referral.repository import ReferralRepository
from tgd_servicekit.durations import parse_period
from tgd_servicekit.mongo import MongoRepository
from tgd_servicekit.providers import FromConfig


def referral_database() -> MongoRepository:
    return MongoRepository(DB_ALIAS, ReferralRepository)


def retention_policy_from_config(values: Any) -> RetentionPolicy:
    return RetentionPolicy(
        undecided=parse_period(values.get("REFERRAL_UNDECIDED_RETENTION", "P6M")),
        after_end=parse_period(values.get("REFERRAL_RETENTION_AFTER_END", "P3M")),
    )


class RetentionPolicyProvider(FromConfig):
    """How long a referral's personal data is kept (see :mod:`referral.domain.retention`)."""

    build = staticmethod(retention_policy_from_config)
