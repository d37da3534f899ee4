"""Expected errors (a 4xx for the partner: not found, invalid state, invalid request...)
are logged as one line with their error code, never with a traceback. nameko logs every
expected exception of an entrypoint as a warning *with* its traceback; a fuzz run filled
a service log with a thousand of them, hiding the real failures."""

from __future__ import annotations

import logging

NAMEKO_LOGGER = "nameko.containers"
EXPECTED_PREFIX = "(expected)"


class ExpectedErrorLine(logging.Filter):
    """Rewrites nameko's ``(expected) error handling worker ...`` record to one line:
    ``expected error <code> on <worker>``. The exception's message is left out: the code
    says what happened, and a message may quote what was received."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str) and record.msg.startswith(EXPECTED_PREFIX):
            exc = record.exc_info[1] if record.exc_info else None
            code = getattr(getattr(exc, "code", None), "value", None) or type(exc).__name__
            worker = record.args[0] if isinstance(record.args, tuple) and record.args else "?"
            record.msg, record.args = "expected error %s on %s", (code, worker)
            record.exc_info, record.exc_text = None, None
        return True


def log_expected_errors_as_one_line() -> None:
    logger = logging.getLogger(NAMEKO_LOGGER)
    if not any(isinstance(f, ExpectedErrorLine) for f in logger.filters):
        logger.addFilter(ExpectedErrorLine())
