"""Expected errors of the referral service, named after their contract error codes."""

from tgd_contracts.errors import ErrorCode, TgdError
from tgd_servicekit.requests import InvalidRequest


class UnknownJurisdiction(TgdError):
    code = ErrorCode.UNKNOWN_JURISDICTION


class IdempotencyKeyReused(TgdError):
    code = ErrorCode.IDEMPOTENCY_KEY_REUSED


class ReferralNotFound(TgdError):
    code = ErrorCode.REFERRAL_NOT_FOUND


class OrientationRecorded(TgdError):
    """The same orientation (kind and date) is already recorded for this referral."""

    code = ErrorCode.ORIENTATION_RECORDED


EXPECTED = (InvalidRequest, UnknownJurisdiction, IdempotencyKeyReused, ReferralNotFound)
