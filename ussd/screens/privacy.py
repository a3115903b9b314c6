"""The privacy notice, read on any phone: from the home menu, or dialled straight
(`*120*3210*6#`, the code every confirmation screen and the SMS notice give)."""

from __future__ import annotations

from typing import Any

from casework.errors import N_
from casework.privacy import privacy_shortcut
from ussd.screen_kit import Context, Info, Screen

NOTICE = N_(
    "Thusa keeps your number, and your name, ID and what you tell us if you give them,"
    " only to handle your requests. Only officers working on them see it, and each look"
    " is recorded. We never sell it. Old closed cases lose it: we keep only counts."
    " Anonymous complaints keep no number. To see all we keep, sign in on our website."
)
# One short line above "1 Send": sending is agreeing, and where to read what to.
AGREE_LINE = N_("Sending accepts our privacy notice: %(code)s")


def agree_line(ctx: Context) -> str:
    return ctx.gettext(AGREE_LINE) % {"code": privacy_shortcut(ctx.ussd_code)}


def show_notice(ctx: Context, data: dict[str, Any]) -> Info:
    return Info(ctx.gettext(NOTICE))


SCREENS = {"privacy": Screen(show_notice)}
