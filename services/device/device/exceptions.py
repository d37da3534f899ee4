"""Expected errors of the device service, named after their contract error codes."""

from tgd_contracts.errors import ErrorCode, TgdError
from tgd_servicekit.requests import InvalidRequest


class UnknownJurisdiction(TgdError):
    code = ErrorCode.UNKNOWN_JURISDICTION


class AttributionNotFound(TgdError):
    code = ErrorCode.ATTRIBUTION_NOT_FOUND


class DeviceNotFound(TgdError):
    code = ErrorCode.DEVICE_NOT_FOUND


class DeviceAlreadyRegistered(TgdError):
    code = ErrorCode.DEVICE_ALREADY_REGISTERED


class DeviceInactive(TgdError):
    code = ErrorCode.DEVICE_INACTIVE


class InvalidState(TgdError):
    code = ErrorCode.INVALID_STATE


class HomeOutsideDepartment(TgdError):
    code = ErrorCode.HOME_OUTSIDE_DEPARTMENT


class CourtOutsideDepartment(TgdError):
    code = ErrorCode.COURT_OUTSIDE_DEPARTMENT


class OutOfStock(TgdError):
    code = ErrorCode.OUT_OF_STOCK


EXPECTED = (
    InvalidRequest,
    UnknownJurisdiction,
    AttributionNotFound,
    DeviceNotFound,
    DeviceAlreadyRegistered,
    DeviceInactive,
    InvalidState,
    HomeOutsideDepartment,
    CourtOutsideDepartment,
    OutOfStock,
)
