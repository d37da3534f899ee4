"""What each force is told of the beneficiary and the author, pure (arrêté du
22 avril 2015 §E.II; seed 002 §D; seed 001 action 11).

One projection per recipient role, from the dossier (fiche navette) to the fields that
recipient needs, and nothing else:

- the unit competent for her home (commissariat / brigade: it sends the patrol):
  her identity, home, host, household, children (names and dates of birth, not their
  schools), her phones and the disability / speech flag; the author's identity, aliases,
  address and no-contact order;
- the directorate of that force and the other force's directorate (DDSP / DSPAP,
  groupement: they inform the unit, cross-inform, and the gendarmerie registers her in
  SIP): her identity and home; the author's identity, aliases and no-contact order;
- a unit she left, and every force at the end of a measure: ids only.

Her e-mail, work, usual places, visiting rights, emergency contacts, photograph and
pets, the author's phones, host and housing never travel in a notice.
"""

from __future__ import annotations

from tgd_contracts.dossier import Dossier
from tgd_contracts.force_notice import ForceAuthor, ForceBeneficiary
from tgd_contracts.notice import RecipientRole

#: the fields of each view, by recipient role (the notice field matrix, tested)
FULL_BENEFICIARY = ("identity", "home", "disability_or_speech_difficulty", "host", "household", "children", "phones")
SUMMARY_BENEFICIARY = ("identity", "home")
FULL_AUTHOR = ("identity", "aliases", "address", "no_contact_order")
SUMMARY_AUTHOR = ("identity", "aliases", "no_contact_order")
FIELDS: dict[RecipientRole, tuple[tuple[str, ...], tuple[str, ...]]] = {
    RecipientRole.COMPETENT: (FULL_BENEFICIARY, FULL_AUTHOR),
    RecipientRole.DIRECTORATE: (SUMMARY_BENEFICIARY, SUMMARY_AUTHOR),
    RecipientRole.OTHER_FORCE: (SUMMARY_BENEFICIARY, SUMMARY_AUTHOR),
    RecipientRole.FORMER: ((), ()),
}


def force_view(dossier: Dossier, role: RecipientRole) -> tuple[ForceBeneficiary | None, ForceAuthor | None]:
    """The beneficiary and author as ``role`` sees them (None, None: ids only)."""
    beneficiary_fields, author_fields = FIELDS[role]
    if not beneficiary_fields:
        return None, None
    b = dossier.beneficiary.model_dump(include=set(beneficiary_fields))
    if "children" in b:  # names and dates of birth, not where they go to school
        b["children"] = [{**c, "school": None, "school_phone": None} for c in b["children"]]
    a = dossier.author.model_dump(include=set(author_fields))
    return ForceBeneficiary.model_validate(b), ForceAuthor.model_validate(a)
