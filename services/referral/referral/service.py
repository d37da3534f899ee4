"""The referral service (signalements): the nameko service, composed of its entrypoints
(:mod:`referral.handlers`); rules live in :mod:`referral.domain`, views in
:mod:`referral.read`, storage in :mod:`referral.repository`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from referral import models
from referral.dependencies import retention_policy_from_config
from referral.handlers.follow_up import FollowUpEntrypoints
from referral.handlers.handover_restore import HandoverRestoreEntrypoints
from referral.handlers.orientation import OrientationEntrypoints
from referral.handlers.reads import ReadEntrypoints
from referral.handlers.retention import RetentionEntrypoints
from referral.handlers.submission import SubmissionEntrypoints
from referral.repository import ReferralRepository
from tgd_servicekit.mongo import MongoRepository
from tgd_servicekit.providers import FromConfig


class ReferralService(
    SubmissionEntrypoints,
    ReadEntrypoints,
    FollowUpEntrypoints,
    RetentionEntrypoints,
    OrientationEntrypoints,
    HandoverRestoreEntrypoints,
):
    name = "referral"
    ENCRYPTED_DOCUMENTS = (
        models.ReferralDocument,
        models.FollowUpContactDocument,
    )  # module access: nameko inspects classes here

    referrals = MongoRepository(models.DB_ALIAS, ReferralRepository)
    retention_policy = FromConfig(retention_policy_from_config)

    def outboxes(self) -> Iterable[tuple[Any, Any]]:
        return [(self.referrals, self.events.publish_many)]
