"""Valid bodies for the device service's tests: the shared fictional examples
(tgd_contracts/examples) with the variants these tests need."""

from tgd_contracts.examples import device, dossier

HOME = dossier.address("03901")
OPERATOR_CALL = device.call_result("operator_to_beneficiary")
BENEFICIARY_CALL = device.call_result("beneficiary_to_operator")


def fiche(insee_code="03901"):
    return dossier.fiche_navette(insee_code=insee_code)


def registration(n=0, jurisdiction="tj-moulins"):
    return device.registration(n, jurisdiction)
