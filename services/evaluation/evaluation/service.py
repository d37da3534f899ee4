"""The evaluation service (évaluation du danger, décision du procureur): the nameko
service, composed of its entrypoints (:mod:`evaluation.handlers`); rules live in
:mod:`evaluation.domain`, views in :mod:`evaluation.read`, storage in
:mod:`evaluation.repository`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from evaluation import models
from evaluation.dependencies import instruments_from_config, policy_from_config, retention_policy_from_config
from evaluation.handlers.handover_restore import HandoverRestoreEntrypoints
from evaluation.handlers.measures import MeasureEntrypoints
from evaluation.handlers.reads import ReadEntrypoints
from evaluation.handlers.retention import RetentionEntrypoints
from evaluation.repository import MeasureRepository
from tgd_servicekit.mongo import MongoRepository
from tgd_servicekit.providers import FromConfig


class EvaluationService(MeasureEntrypoints, ReadEntrypoints, RetentionEntrypoints, HandoverRestoreEntrypoints):
    name = "evaluation"
    ENCRYPTED_DOCUMENTS = (models.MeasureDocument,)  # module access: nameko inspects classes here

    measures = MongoRepository(models.DB_ALIAS, MeasureRepository)
    policy = FromConfig(policy_from_config)
    retention_policy = FromConfig(retention_policy_from_config)
    instruments = FromConfig(instruments_from_config)

    def outboxes(self) -> Iterable[tuple[Any, Any]]:
        return [(self.measures, self.events.publish_many)]
