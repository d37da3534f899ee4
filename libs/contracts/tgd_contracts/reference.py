"""Reference data published to partners: the courts (tribunaux judiciaires) the scheme
knows, as loaded from the courts file (:mod:`tgd_contracts.jurisdictions`)."""

from __future__ import annotations

from tgd_contracts.base import Contract


class CourtView(Contract):
    code: str  # used in routing keys and in every request naming a jurisdiction
    name: str
    department: str


class CourtList(Contract):
    courts: list[CourtView]


class AudienceRef(Contract):
    """Who receives what on the partner exchange (destinataires)."""

    audience: str
    description: str
    routing_key_pattern: str


class Audiences(Contract):
    items: list[AudienceRef]
