"""A dossier with every field of the arrêté filled (fictional content only), so that a
test can see which fields a notice carries and which never leave."""

from tgd_contracts.dossier import Dossier


def address(insee="03901", street="1 Rue Fictive"):
    return {"street": street, "postcode": "03100", "city": "Commune Fictive", "insee_code": insee}


def person(surname="EXEMPLE-PROCHE", relationship="soeur"):
    return {"surname": surname, "first_names": ["Fictive"], "relationship": relationship, "phones": ["0600000001"]}


def dossier(insee="03901", attribution_id="att-1", device_id="dev-1"):
    return Dossier.model_validate(
        {
            "attribution_id": attribution_id,
            "device_id": device_id,
            "jurisdiction": "tj-moulins",
            "beneficiary": {
                "identity": {"surname": "EXEMPLE", "usage_name": "FICTIVE", "first_names": ["Fictive"]},
                "family_situation": "séparée",
                "photo_ref": "photo-fictive-1",
                "disability_or_speech_difficulty": False,
                "home": address(insee),
                "host": person("HEBERGEUR-FICTIF", "hébergeur"),
                "household": [person("EXEMPLE-MERE", "mère")],
                "children": [
                    {
                        "surname": "EXEMPLE",
                        "first_names": ["Enfant"],
                        "birth_date": "2018-03-01",
                        "school": "École fictive",
                        "school_phone": "0400000000",
                    }
                ],
                "phones": ["0611111111"],
                "email": "fictive@example.invalid",
                "work_address": address(street="2 Rue du Travail Fictif"),
                "work_phones": ["0422222222"],
                "pets": True,
                "usual_places": [address(street="3 Place Fictive")],
                "visiting_rights_place": address(street="4 Rue des Visites"),
                "visiting_rights_host": person("ACCUEIL-FICTIF", "accueillant"),
                "emergency_contacts": [person("URGENCE-FICTIVE", "amie")],
                "association_referents": [person("REFERENT-FICTIF", "référente")],
                "geolocation_consent": True,
            },
            "author": {
                "identity": {"surname": "AUTEUR-FICTIF", "first_names": ["Personne"]},
                "aliases": ["ALIAS-FICTIF"],
                "family_situation": "séparé",
                "address": address("03902", "9 Rue de l'Auteur"),
                "host": person("HEBERGEUR-AUTEUR", "frère"),
                "housing_kind": "appartement",
                "pets": True,
                "phones": ["0699999999"],
                "no_contact_order": {"basis": "protection_order", "starts_on": "2026-01-02", "ends_on": "2026-12-31"},
            },
        }
    )
