"""The referral service (signalements): the nameko service, composed of its entrypoints
(:mod:`referral.handlers`); rules live in :mod:`referral.domain`, views in
:mod:`referral.read`, storage in :mod:`referral.repository`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from referral import models
from referral.dependencies import RetentionPolicyProvider, referral_database
from referral.handlers.follow_up import FollowUpEntrypoints
from referral.handlers.handover_restore import HandoverRestoreEntrypoints
from referral.handlers.orientation import OrientationEntrypoints
from referral.handlers.reads import ReadEntrypoints
from referral.handlers.retention import RetentionEntrypoints
from referral.handlers.submission import SubmissionEntrypoints
from tgd_servicekit import rotation
from tgd_servicekit.dispatch import EnvelopeDispatcher
from tgd_servicekit.timers import Clock, OutboxRelay


class ReferralService(
    SubmissionEntrypoints,
    ReadEntrypoints,
    FollowUpEntrypoints,
    RetentionEntrypoints,
    OrientationEntrypoints,
    HandoverRestoreEntrypoints,
    OutboxRelay,
    rotation.KeyRotation,
):
    name = "referral"
    ENCRYPTED_DOCUMENTS = (
        models.ReferralDocument,
        models.FollowUpContactDocument,
    )  # module access: nameko inspects classes here

    referrals = referral_database()
    events = EnvelopeDispatcher()
    now = Clock()
    retention_policy = RetentionPolicyProvider()

    def outboxes(self) -> Iterable[tuple[Any, Any]]:
        return [(self.referrals, self.events.publish_many)]
