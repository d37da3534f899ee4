"""Partner roles and the authenticated caller (:class:`Principal`)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from tgd_contracts.jurisdictions import JURISDICTIONS

NATIONAL = "*"


class Role(StrEnum):
    PROSECUTOR = "prosecutor"  # parquet du tribunal judiciaire
    ASSOCIATION = "association"  # association référente
    TELEASSISTANCE = "teleassistance"  # plateforme de téléassistance (opérateur)
    POLICE = "police"  # DDSP / DSPAP, or one commissariat
    GENDARMERIE = "gendarmerie"  # groupement départemental, or one brigade
    OBSERVATORY = "observatory"  # observatoire départemental: anonymised aggregates only
    REFERRER = "referrer"  # signalant: a professional's organisation (hospital, SPIP, bar...)
    SPIP = "spip"  # service pénitentiaire d'insertion et de probation: reports the author's release
    BAV = "bav"  # bureau d'aide aux victimes of a court: told of the author's release
    # comité de pilotage du dispositif TGD (seed 001 action 11): follows the numbers per court of
    # its department and gives its opinion on withdrawals; read-only, exact counts, no record
    STEERING_COMMITTEE = "steering_committee"
    ADMIN = "admin"  # administrateur: clients and audit, no personal data


FORCES = frozenset({Role.POLICE, Role.GENDARMERIE})


def departments_of(jurisdictions: frozenset[str]) -> frozenset[str]:
    return frozenset(JURISDICTIONS[j].department for j in jurisdictions if j in JURISDICTIONS)


def jurisdictions_of_departments(departments: frozenset[str]) -> frozenset[str]:
    return frozenset(code for code, j in JURISDICTIONS.items() if j.department in departments)


@dataclass(frozen=True)
class Principal:
    """The caller of one request, from its verified token."""

    client_id: str
    role: Role
    jurisdictions: frozenset[str]  # codes, or {"*"} for a national client
    unit: str | None = None  # a force's unit (commissariat / brigade), None for the directorate

    @property
    def national(self) -> bool:
        return NATIONAL in self.jurisdictions

    @property
    def departments(self) -> frozenset[str]:
        return departments_of(self.jurisdictions)

    def covers_jurisdiction(self, code: object) -> bool:
        return self.national or (isinstance(code, str) and code in self.jurisdictions)

    def covers_department(self, department: object) -> bool:
        return self.national or (isinstance(department, str) and department in self.departments)
