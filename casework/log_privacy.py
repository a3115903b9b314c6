"""No whole phone number or ID number in any log line, whoever wrote it.

Our own log calls mask numbers themselves (`mask_phone`), and SQLAlchemy hides statement
parameters (`hide_parameters`), but some text reaches the log that we never wrote: a
PostgreSQL error carries the value that broke a constraint (`DETAIL: Key
(phone)=(+27821234567) already exists.`) into the traceback, a library logs a URL. So
every record is masked as it is made, message, arguments, traceback and extra fields
alike, before any handler (ours, gunicorn's, a test's) formats it.
"""

from __future__ import annotations

import functools
import logging
import traceback
from typing import Any

from casework.masking import mask_personal_numbers

# What a LogRecord has of its own; anything else on it came in through `extra=`.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}


class PersonalNumberFilter(logging.Filter):
    """Masks phone and ID numbers in a record, in place; never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        mask_record(record)
        return True


def mask_record(record: logging.LogRecord) -> None:
    try:
        message = record.getMessage()
    except Exception:  # a broken format string: mask the pieces, let the handler report it
        record.msg = _masked(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(_masked(arg) for arg in record.args)
    else:
        record.msg, record.args = mask_personal_numbers(message), ()
    if record.exc_info and record.exc_info[0] is not None:
        # Formatted now and masked; the raw exception is dropped, so no formatter later
        # (one that ignores exc_text, say) can print its unmasked message.
        text = record.exc_text or "".join(traceback.format_exception(*record.exc_info))
        record.exc_text = mask_personal_numbers(text.rstrip("\n"))
        record.exc_info = None
    elif record.exc_text:
        record.exc_text = mask_personal_numbers(record.exc_text)
    if record.stack_info:
        record.stack_info = mask_personal_numbers(record.stack_info)
    for name, value in vars(record).items():
        if name not in _STANDARD and isinstance(value, str):
            setattr(record, name, mask_personal_numbers(value))


def _masked(value: Any) -> Any:
    return mask_personal_numbers(value) if isinstance(value, str) else value


def install_log_masking() -> None:
    """Mask every log record this process makes from now on (safe to call again).

    At the one place every logger makes its records, `Logger.makeRecord`, after `extra=`
    is applied: a filter on a logger misses its children's records, one on a handler
    misses handlers added later (gunicorn's, a test's), and the record factory runs
    before the extra fields are set.
    """
    current = logging.Logger.makeRecord
    if getattr(current, "masks_personal_numbers", False):
        return
    masking = PersonalNumberFilter()

    @functools.wraps(current)  # `__wrapped__` is the original, for tests that need it
    def make_masked_record(self: logging.Logger, *args: Any, **kwargs: Any) -> logging.LogRecord:
        record = current(self, *args, **kwargs)
        masking.filter(record)
        return record

    make_masked_record.masks_personal_numbers = True  # type: ignore[attr-defined]
    logging.Logger.makeRecord = make_masked_record  # type: ignore[method-assign]
