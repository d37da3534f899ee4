"""The notice field matrix: which recipient of a notice sees which field of the dossier."""

import pytest

from notify.domain.views import force_view
from tgd_contracts.notice import RecipientRole as R

from ..factories import dossier

BENEFICIARY_FIELDS = {
    "identity": {R.COMPETENT, R.DIRECTORATE, R.OTHER_FORCE},
    "home": {R.COMPETENT, R.DIRECTORATE, R.OTHER_FORCE},
    "household": {R.COMPETENT},
    "host": {R.COMPETENT},
    "children": {R.COMPETENT},
    "phones": {R.COMPETENT},
    "disability_or_speech_difficulty": {R.COMPETENT},
}
AUTHOR_FIELDS = {
    "identity": {R.COMPETENT, R.DIRECTORATE, R.OTHER_FORCE},
    "aliases": {R.COMPETENT, R.DIRECTORATE, R.OTHER_FORCE},
    "no_contact_order": {R.COMPETENT, R.DIRECTORATE, R.OTHER_FORCE},
    "address": {R.COMPETENT},
}
NEVER_SENT = ("email", "work_address", "work_phones", "usual_places", "visiting_rights_place", "emergency_contacts")
EMPTY = (None, [], False)


def shown(model, field):
    return model is not None and getattr(model, field, None) not in EMPTY


@pytest.mark.parametrize("role", list(R))
@pytest.mark.parametrize(("field", "seen_by"), BENEFICIARY_FIELDS.items())
def test_beneficiary_field_matrix(role, field, seen_by):
    beneficiary, _ = force_view(dossier(), role)
    if field == "disability_or_speech_difficulty":  # a yes/no: present (False) or absent (None)
        assert (beneficiary is not None and beneficiary.disability_or_speech_difficulty is not None) == (
            role in seen_by
        )
    else:
        assert shown(beneficiary, field) == (role in seen_by)


@pytest.mark.parametrize("role", list(R))
@pytest.mark.parametrize(("field", "seen_by"), AUTHOR_FIELDS.items())
def test_author_field_matrix(role, field, seen_by):
    _, author = force_view(dossier(), role)
    assert shown(author, field) == (role in seen_by)


@pytest.mark.parametrize("role", list(R))
def test_what_never_travels_in_a_notice(role):
    beneficiary, author = force_view(dossier(), role)
    wire = str((beneficiary.to_wire() if beneficiary else {}, author.to_wire() if author else {}))
    for value in ("fictive@example.invalid", "Travail", "Place Fictive", "Visites", "URGENCE", "REFERENT"):
        assert value not in wire
    assert "0699999999" not in wire  # the author's phones
    assert "École fictive" not in wire  # children's schools
    assert "photo-fictive" not in wire
    for field in NEVER_SENT:
        assert beneficiary is None or not hasattr(beneficiary, field)


def test_a_unit_she_left_gets_ids_only():
    assert force_view(dossier(), R.FORMER) == (None, None)
