"""An expected error is one log line with its code, not a traceback."""

from __future__ import annotations

import inspect
import logging
import sys

from tgd_contracts.errors import ErrorCode, TgdError
from tgd_servicekit.expected_errors import (
    EXPECTED_PREFIX,
    NAMEKO_LOGGER,
    ExpectedErrorLine,
    log_expected_errors_as_one_line,
)


class ReferralNotFound(TgdError):
    code = ErrorCode.REFERRAL_NOT_FOUND


def record_of(exc: Exception, expected: bool) -> logging.LogRecord:
    try:
        raise exc
    except Exception:
        msg = "(expected) error handling worker %s: %s" if expected else "error handling worker %s: %s"
        return logging.LogRecord(NAMEKO_LOGGER, logging.WARNING, __file__, 1, msg, ("<worker referral.get>", exc),
                                 sys.exc_info())  # fmt: skip


def test_an_expected_error_is_one_line_with_its_code() -> None:
    record = record_of(ReferralNotFound("EXEMPLE Fictive is not here"), expected=True)
    assert ExpectedErrorLine().filter(record)
    text = logging.Formatter("%(levelname)s %(message)s").format(record)
    assert text == "WARNING expected error referral_not_found on <worker referral.get>"
    assert "Traceback" not in text
    assert "EXEMPLE" not in text


def test_an_unexpected_error_keeps_its_traceback(caplog) -> None:
    log_expected_errors_as_one_line()
    log_expected_errors_as_one_line()  # idempotent
    assert sum(isinstance(f, ExpectedErrorLine) for f in logging.getLogger(NAMEKO_LOGGER).filters) == 1
    record = record_of(RuntimeError("boom"), expected=False)
    assert ExpectedErrorLine().filter(record)
    assert "Traceback" in logging.Formatter().format(record)


def test_nameko_still_logs_expected_errors_under_this_logger_and_prefix() -> None:
    import nameko.containers

    source = inspect.getsource(nameko.containers)
    assert f"'{EXPECTED_PREFIX} error handling worker %s: %s'" in source
    assert nameko.containers._log.name == NAMEKO_LOGGER
