"""Jurisdictions (ressorts des tribunaux judiciaires) known to the scheme.

Reference data, not personal data: the public courts whose prosecutors attribute
devices. The code is stable and used in routing keys, so it is lowercase ASCII.
Extend this table when a department joins.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Jurisdiction:
    code: str
    name: str
    department: str


JURISDICTIONS: dict[str, Jurisdiction] = {
    j.code: j
    for j in (
        Jurisdiction("tj-moulins", "Tribunal judiciaire de Moulins", "03"),
        Jurisdiction("tj-montlucon", "Tribunal judiciaire de Montluçon", "03"),
        Jurisdiction("tj-cusset", "Tribunal judiciaire de Cusset", "03"),
        Jurisdiction("tj-nanterre", "Tribunal judiciaire de Nanterre", "92"),
        Jurisdiction("tj-paris", "Tribunal judiciaire de Paris", "75"),
    )
}


def is_known_jurisdiction(code: str) -> bool:
    return code in JURISDICTIONS
