"""The alert service's wire details (nameko dependency providers and entrypoints):
:mod:`.providers` (green threads, the device's dossiers),
:mod:`.settings`, :mod:`.partners` (publishing to the partners),
:mod:`.partner_replies` (consuming their replies) and :mod:`.tracing`."""

from alert.dependencies.partners import PartnerPublisher, PartnerSender
from alert.dependencies.providers import DossierClient, DossierSource, Spawner
from alert.dependencies.settings import (
    RECORD_RETENTION,
    AlertSettings,
    Settings,
    load_script,
    load_territory,
    position_policy_from_config,
    settings_from_config,
)

__all__ = [
    "RECORD_RETENTION",
    "AlertSettings",
    "DossierClient",
    "DossierSource",
    "PartnerPublisher",
    "PartnerSender",
    "Settings",
    "Spawner",
    "load_script",
    "load_territory",
    "position_policy_from_config",
    "settings_from_config",
]
