"""Which model each event and RPC payload uses; the source of the schema snapshots.

The tables live in :mod:`tgd_contracts.event_registry` (events, their producers and
consumers, the partner exchanges) and :mod:`tgd_contracts.rpc_registry` (RPC payloads and
results); this module is the one place callers import them from.
"""

from __future__ import annotations

from tgd_contracts.base import Contract
from tgd_contracts.event_registry import (
    CONSUMERS,
    EVENTS,
    LIVE_VIEW_CONSUMERS,
    PARTNER_EVENTS,
    PARTNER_MESSAGES,
    PARTNER_REPLIES,
    PARTNER_REPLY_EVENTS,
    event_model,
)
from tgd_contracts.rpc_registry import RPC_MODELS

__all__ = [
    "CONSUMERS",
    "EVENTS",
    "LIVE_VIEW_CONSUMERS",
    "PARTNER_EVENTS",
    "PARTNER_MESSAGES",
    "PARTNER_REPLIES",
    "PARTNER_REPLY_EVENTS",
    "RPC_MODELS",
    "all_models",
    "event_model",
]


def all_models() -> dict[str, type[Contract]]:
    """Every snapshotted model by its public name."""
    models: dict[str, type[Contract]] = {name.value: model for name, (_, model) in EVENTS.items()}
    models.update({model.__name__: model for model in RPC_MODELS})
    models.update(PARTNER_MESSAGES)
    models.update(PARTNER_REPLIES)
    return models
