"""The teleassistance operator's side: stock of terminals, fiche navette, test calls
(each route forwards to the device service: :mod:`gateway.routes.forward`)."""

from __future__ import annotations

from fastapi import APIRouter

from gateway.routes.forward import Forward, hex_id, jurisdiction_query, with_examples
from tgd_contracts import handling, stock
from tgd_contracts.errors import ErrorCode as E
from tgd_contracts.events import ServiceName

router = APIRouter(tags=["devices"])
device = Forward(router, ServiceName.DEVICE)
AttributionId = hex_id("Attribution id (décision d'attribution).")
DeviceId = hex_id("Device id (terminal).")
Jurisdiction = jurisdiction_query()


@device.post("/v1/devices", stock.DeviceView, E.UNKNOWN_JURISDICTION, E.DEVICE_ALREADY_REGISTERED, status_code=201)
def add_device(registration: with_examples(stock.DeviceRegistration)):
    """Add a terminal to a jurisdiction's stock (parc de terminaux)

    IMEI (15 digits, Luhn check), IMSI, GPS chip id, number, brand and model. An attribution waiting for a device
    (out of stock) gets this one at once."""


@device.get("/v1/devices", stock.StockPage, E.UNKNOWN_JURISDICTION)
def list_stock(jurisdiction: Jurisdiction):
    """A jurisdiction's stock of terminals (état du stock)"""


@device.post("/v1/attributions/{attribution_id}/fiche-navette", stock.AssignmentView, E.INVALID_STATE)
def record_fiche(attribution_id: AttributionId, fiche: with_examples(stock.FicheNavette)):
    """Send the fiche navette to the teleassistance operator (fiche navette du parquet)

    What the operator must know of the beneficiary and the author. With the granted decision it provisions a
    device; without a device in stock the attribution is shown out_of_stock and the parquet alerted."""


@device.get("/v1/attributions/{attribution_id}/device", stock.AssignmentView, E.ATTRIBUTION_NOT_FOUND)
def get_assignment(attribution_id: AttributionId):
    """The device side of an attribution (mise en service, appels test, restitution)"""


@device.post("/v1/devices/{device_id}/test-calls", stock.AssignmentView, E.DEVICE_NOT_FOUND, E.DEVICE_INACTIVE)
def record_test_call(device_id: DeviceId, call: with_examples(stock.TestCall)):
    """Record a test call (appel test)

    At hand-over, a successful call in each direction activates the device; then the beneficiary must make a test
    call every 15 days (a reminder precedes the deadline; the association is told when overdue)."""


@device.post("/v1/devices/{device_id}/recovery", stock.DeviceView, E.DEVICE_NOT_FOUND, E.INVALID_STATE)
def record_recovery(device_id: DeviceId, recovery: with_examples(stock.DeviceRecovery)):
    """Record the physical return and the reset of a returned terminal (restitution, réinitialisation)

    A terminal returned at the end of an attribution is `to_collect`: it is never given to anyone until its physical
    return and its reset are recorded here. It then goes back to stock (and to an attribution waiting for one at
    once). A terminal in service, or already back in stock, is refused (`invalid_state`)."""


# -- terminals as they are handled (transfert, retrait du parc, remplacement, remise) ------
@device.post(
    "/v1/devices/{device_id}/transfer",
    stock.DeviceView,
    E.DEVICE_NOT_FOUND,
    E.INVALID_STATE,
    E.UNKNOWN_JURISDICTION,
    E.COURT_OUTSIDE_DEPARTMENT,
)
def transfer_device(device_id: DeviceId, transfer: with_examples(handling.DeviceTransfer)):
    """Move a terminal in stock to another court of the same department (transfert)

    Only a terminal `in_stock`; the target court must be in the courts file (`unknown_jurisdiction`) and in the same
    department (`court_outside_department`); a terminal in use, to collect or retired is refused (`invalid_state`).
    A refusal changes nothing. An attribution of the target court waiting for a terminal gets it at once."""


@device.post("/v1/devices/{device_id}/retirement", stock.DeviceView, E.DEVICE_NOT_FOUND, E.INVALID_STATE)
def retire_device(device_id: DeviceId, retirement: with_examples(handling.DeviceRetirement)):
    """Retire a terminal from stock (mise au rebut, retour fournisseur)

    For good: a `retired` terminal is never attributed again. A terminal in use (`assigned`, `active`) or returned
    and not yet collected and reset is refused (`invalid_state`); nothing changes."""


@device.post(
    "/v1/attributions/{attribution_id}/device-replacement",
    stock.AssignmentView,
    E.ATTRIBUTION_NOT_FOUND,
    E.INVALID_STATE,
    E.OUT_OF_STOCK,
)
def replace_device(attribution_id: AttributionId, replacement: with_examples(handling.DeviceReplacement)):
    """Replace her lost or broken terminal during the measure (remplacement)

    A terminal of the court's stock becomes hers at once: her alerts route from it, a press on the old one (now
    `lost` or `broken`) is flagged, and the forces informed get a `device_replaced` notice. The new terminal is
    `provisioned` until its two-way test call. No terminal in stock: `out_of_stock`, the parquet and the operator
    are reminded, nothing else changes."""


@device.post(
    "/v1/attributions/{attribution_id}/hand-over", stock.AssignmentView, E.ATTRIBUTION_NOT_FOUND, E.INVALID_STATE
)
def record_hand_over(attribution_id: AttributionId, hand_over: with_examples(handling.HandOver)):
    """Record the hand-over of her terminal (remise du téléphone)

    When, where and who was present, by role (never names): the beneficiary and a member of the referent association
    at least (seed 002 §D). Once per terminal; shown to the parquet and the association."""
