"""The evaluation service (évaluation du danger, décision du procureur): the nameko
service, composed of its entrypoints (:mod:`evaluation.handlers`); rules live in
:mod:`evaluation.domain`, views in :mod:`evaluation.read`, storage in
:mod:`evaluation.repository`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from evaluation import models
from evaluation.dependencies import InstrumentsProvider, PolicyProvider, RetentionPolicyProvider, evaluation_database
from evaluation.handlers.handover_restore import HandoverRestoreEntrypoints
from evaluation.handlers.measures import MeasureEntrypoints
from evaluation.handlers.reads import ReadEntrypoints
from evaluation.handlers.retention import RetentionEntrypoints
from tgd_servicekit import rotation
from tgd_servicekit.dispatch import EnvelopeDispatcher
from tgd_servicekit.timers import Clock, OutboxRelay


class EvaluationService(
    MeasureEntrypoints,
    ReadEntrypoints,
    RetentionEntrypoints,
    HandoverRestoreEntrypoints,
    OutboxRelay,
    rotation.KeyRotation,
):
    name = "evaluation"
    ENCRYPTED_DOCUMENTS = (models.MeasureDocument,)  # module access: nameko inspects classes here

    measures = evaluation_database()
    events = EnvelopeDispatcher()
    now = Clock()
    policy = PolicyProvider()
    retention_policy = RetentionPolicyProvider()
    instruments = InstrumentsProvider()

    def outboxes(self) -> Iterable[tuple[Any, Any]]:
        return [(self.measures, self.events.publish_many)]
