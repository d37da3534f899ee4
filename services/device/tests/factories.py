"""Valid bodies for the device service's tests (fictional content only)."""

HOME = {"street": "1 Rue Fictive", "postcode": "03100", "city": "Commune Fictive A", "insee_code": "03901"}


def fiche(insee_code="03901"):
    return {
        "beneficiary": {
            "identity": {"surname": "EXEMPLE", "first_names": ["Fictive"]},
            "disability_or_speech_difficulty": False,
            "home": {**HOME, "insee_code": insee_code},
            "geolocation_consent": True,
        },
        "author": {
            "identity": {"surname": "AUTEUR-FICTIF", "first_names": ["Personne"]},
            "no_contact_order": {"basis": "protection_order", "starts_on": "2026-01-02"},
        },
    }


def imei(prefix="35000000000000"):
    """A 15-digit IMEI with a valid Luhn check digit."""
    from tgd_contracts.stock import luhn_valid

    return next(prefix + str(d) for d in range(10) if luhn_valid(prefix + str(d)))


def registration(n=0, jurisdiction="tj-moulins"):
    return {
        "jurisdiction": jurisdiction,
        "terminal_number": f"06000000{n:02d}",
        "brand": "Marque Fictive",
        "model": "Modèle T1",
        "imei": imei(f"35{n:012d}"),
        "imsi": f"20801{n:010d}",
        "gps_chip_id": f"GPS-{n:04d}",
    }


OPERATOR_CALL = {"direction": "operator_to_beneficiary", "succeeded": True}
BENEFICIARY_CALL = {"direction": "beneficiary_to_operator", "succeeded": True}
