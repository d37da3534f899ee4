"""Expected errors of the evaluation service, named after their contract error codes."""

from tgd_contracts.errors import ErrorCode, TgdError
from tgd_servicekit.requests import InvalidRequest


class ReferralNotFound(TgdError):
    code = ErrorCode.REFERRAL_NOT_FOUND


class AttributionNotFound(TgdError):
    code = ErrorCode.ATTRIBUTION_NOT_FOUND


class InvalidState(TgdError):
    code = ErrorCode.INVALID_STATE


class ConsentRequired(TgdError):
    code = ErrorCode.CONSENT_REQUIRED


class AuthorIncarcerated(TgdError):
    code = ErrorCode.AUTHOR_INCARCERATED


class NotEligible(TgdError):
    code = ErrorCode.NOT_ELIGIBLE


class RenewalLimitReached(TgdError):
    code = ErrorCode.RENEWAL_LIMIT_REACHED


class UnknownInstrument(TgdError):
    code = ErrorCode.UNKNOWN_INSTRUMENT


class RiskLevelLowered(TgdError):
    code = ErrorCode.RISK_LEVEL_LOWERED


EXPECTED = (
    InvalidRequest,
    ReferralNotFound,
    AttributionNotFound,
    InvalidState,
    ConsentRequired,
    AuthorIncarcerated,
    NotEligible,
    RenewalLimitReached,
    UnknownInstrument,
    RiskLevelLowered,
)
