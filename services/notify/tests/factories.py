"""A dossier with every field of the arrêté filled (the shared fictional example), so
that a test can see which fields a notice carries and which never leave."""

from tgd_contracts.dossier import Dossier
from tgd_contracts.examples.dossier import full_dossier


def dossier(insee="03901", attribution_id="att-1", device_id="dev-1"):
    return Dossier.consume(full_dossier(attribution_id, device_id, "tj-moulins", insee))
