"""Retention of personal data (arrêté du 22 avril 2015, seed 002 §E.II.c): "la
conservation de certaines données (géolocalisation notamment) est limitée dans le temps
(trois jours, portés à huit jours sur autorisation du procureur de la République)".

The prosecutor's authorisation to keep an alert's positions 8 days instead of 3 is
recorded on the alert with who gave it (the parquet's reference and the gateway client
that recorded it) and when. It must come within the 3 days: what is purged (or due to
be) is never brought back.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import Field, StrictBool

from tgd_contracts.alert import Id
from tgd_contracts.base import Contract
from tgd_contracts.referral import ShortText


class PositionRetentionRequest(Contract):
    """What the prosecutor's office sends (autorisation de conservation des données de
    géolocalisation portée à huit jours)."""

    authorised_by: ShortText = Field(description="Parquet / magistrate's office reference (not a person's name).")


class PositionRetentionAuthorisation(Contract):
    """The RPC payload: the request and the authenticated client that sent it."""

    authorised_by: ShortText = Field(description="Parquet / magistrate's office reference (not a person's name).")
    client_id: Id = Field(description="The gateway client (the competent parquet's) that recorded it.")


class PositionRetentionView(Contract):
    """An alert's positions retention: until when they are kept, and on whose authority."""

    alert_id: Id
    extended: StrictBool = Field(description="True when the prosecutor authorised 8 days instead of 3.")
    positions_purge_at: datetime = Field(description="When the positions are purged (raised_at + 3 or 8 days).")
    authorised_by: str | None = None
    client_id: str | None = None
    authorised_at: datetime | None = None


class AlertTerritory(Contract):
    """Where an alert belongs (for the gateway's access check before a change); no identity."""

    alert_id: Id
    jurisdiction: str | None = None
