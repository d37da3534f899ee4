"""Device and forces-informed events shared by the attribution and alert flows.

They carry ids and routing facts only; the dossier is fetched over RPC.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from tgd_contracts.base import Contract
from tgd_contracts.partners import Audience


class _DeviceAtHome(Contract):
    """The fields of an event placing her device at her home: where the competent force is
    found (the subclasses say which home; the fields stay first and in this order)."""

    device_id: str
    attribution_id: str
    jurisdiction: str
    department: str = Field(pattern=r"^(\d{2,3}|2[AB])$")
    home_insee_code: str


class DeviceProvisioned(_DeviceAtHome):
    """Event ``device_provisioned``: a device of the stock was assigned to an attribution."""

    home_insee_code: str = Field(description="Commune of the beneficiary's home, to find the competent force.")
    provisioned_at: datetime


class DeviceActivated(Contract):
    """Event ``device_activated``: the two-way test call at hand-over succeeded."""

    device_id: str
    attribution_id: str
    activated_at: datetime


class DeviceReturned(Contract):
    """Event ``device_returned``: deactivated after withdrawal or expiry, back in stock."""

    device_id: str
    attribution_id: str
    returned_at: datetime


class BeneficiaryMoved(_DeviceAtHome):
    """Event ``beneficiary_moved``: her home changed after provisioning (changement de
    domicile); the forces of the old and new homes are told, alerts follow the new home."""

    home_insee_code: str = Field(description="Commune of the new home.")
    previous_insee_code: str
    moved_at: datetime


class DossierChanged(Contract):
    """Event ``dossier_changed``: the fiche navette of a provisioned attribution was
    corrected (her consent to geolocation, her identity, the no-contact order...): whoever
    keeps a copy of the dossier fetches it again (ids only, never the dossier itself)."""

    device_id: str
    attribution_id: str
    changed_at: datetime


class InformedUnit(Contract):
    audience: Audience
    department: str
    unit_code: str
    unit_name: str


class ForcesInformed(Contract):
    """Event ``forces_informed``: the competent force (and the other one) acknowledged the
    notice of an attribution (information des forces de l'ordre)."""

    SCHEMA_VERSION = "1.1.0"

    attribution_id: str
    device_id: str
    jurisdiction: str
    competent: InformedUnit = Field(description="The unit competent for the beneficiary's home.")
    also_informed: list[InformedUnit] = Field(default_factory=list)
    acknowledged_at: datetime
    home_since: datetime | None = Field(
        default=None,
        description="When the home these units serve became hers (provisioning or move): a reader "
        "keeps the latest and ignores an older one arriving late.",
    )
