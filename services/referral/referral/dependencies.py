"""Nameko dependency providers of the referral service."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from nameko.extensions import DependencyProvider

from referral.models import DB_ALIAS
from referral.repository import ReferralRepository
from tgd_servicekit.mongo import MongoRepository


def referral_database() -> MongoRepository:
    return MongoRepository(DB_ALIAS, ReferralRepository)


class Clock(DependencyProvider):
    """Injects ``now()`` (UTC); tests replace it to move time."""

    def get_dependency(self, worker_ctx: Any):
        return lambda: datetime.now(UTC)
