"""Nameko dependency providers of the referral service."""

from __future__ import annotations

from typing import Any

from nameko import config
from nameko.extensions import DependencyProvider

from referral.domain.retention import RetentionPolicy
from referral.models import DB_ALIAS
from referral.repository import ReferralRepository
from tgd_servicekit.durations import parse_period
from tgd_servicekit.mongo import MongoRepository


def referral_database() -> MongoRepository:
    return MongoRepository(DB_ALIAS, ReferralRepository)


def retention_policy_from_config(values: Any) -> RetentionPolicy:
    return RetentionPolicy(
        undecided=parse_period(values.get("REFERRAL_UNDECIDED_RETENTION", "P6M")),
        after_basis=parse_period(values.get("REFERRAL_RETENTION_AFTER_END", "P3M")),
    )


class RetentionPolicyProvider(DependencyProvider):
    """How long a referral's personal data is kept (see :mod:`referral.domain.retention`)."""

    def setup(self) -> None:
        self.policy = retention_policy_from_config(config)

    def get_dependency(self, worker_ctx: Any) -> RetentionPolicy:
        return self.policy
