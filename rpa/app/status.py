"""Every `katip` command's exit status, in one place."""

from __future__ import annotations

from enum import IntEnum


class ExitStatus(IntEnum):
    """What a command's exit status says; scripts and the scheduler read the same numbers."""

    OK = 0  # everything done (or, for a check: everything found / accepted)
    ATTENTION = 1  # done, but some items were held, failed or skipped (busy account): all listed
    USAGE = 2  # bad input or settings: nothing was tried
    LOGIN_NEEDED = 3  # an account needs a person to log in (`katip login --account NAME`)
    INTERRUPTED = 130  # stopped by Ctrl-C: the items in progress finished, run again for the rest
