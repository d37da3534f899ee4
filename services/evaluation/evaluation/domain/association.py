"""Which association follows her (association référente), pure: a court may have several
(the parquet names one in the requisition), an association may serve several courts."""

from __future__ import annotations

from typing import Protocol

from evaluation.exceptions import InvalidRequest
from tgd_contracts.associations import associations_of
from tgd_contracts.evaluation import Requisition


class HasRequisition(Protocol):
    jurisdiction: str
    requisition: Requisition | None


def check_association(court: str, association: str | None) -> None:
    """A named association must serve the court (nothing is changed otherwise)."""
    serving = [a.code for a in associations_of(court)]
    if association is not None and association not in serving:
        raise InvalidRequest(f"The association {association} does not serve {court} (it has: {', '.join(serving)}).")


def following_association(m: HasRequisition) -> str | None:
    """The association requisitioned, or the court's only one (None when it has several
    and none was named)."""
    if m.requisition is not None and m.requisition.association is not None:
        return m.requisition.association
    serving = associations_of(m.jurisdiction)
    return serving[0].code if len(serving) == 1 else None
