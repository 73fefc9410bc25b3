"""The run journal: every action the robot takes, written down before and after it happens.

`journal.sqlite` in the state dir (WAL, mode 0600), or the shared database of `KATIP_DATABASE_URL`,
holds one row per run (the request it was started with, so that `katip runs resume RUN_ID` can start
it again) and one row per action: approve a contract, verify a person, a bulk update, a contact
update, moving planned -> in_progress -> done | failed | held. A run killed at any point (kill -9, power loss) leaves
its unfinished actions `in_progress`; its resume checks each of them against the portal before redoing
it, so nothing is approved twice and nothing is skipped.

Personal data: a person is journalled by a salted hash of the TC number plus its masked form, never
the number itself; reasons are masked like log lines.

- `models`: the kinds and states of actions, and the rows the journal returns;
- `store`: the SQLite database (schema, WAL, the salt, every read and write);
- `views`: what flows and runs hold (one account's view of a run, or NO_JOURNAL for dry runs).

Opening, resuming and finishing a run's journal are explicit calls of the app layer (`rpa.app`); the
journal knows nothing of what runs it.
"""

from rpa.journal.models import JournalItem, JournalRun, Kind, State
from rpa.journal.store import JOURNAL_NAME, Journal
from rpa.journal.views import NO_JOURNAL, AccountJournal, NoJournal, RunJournal

__all__ = [
    "JOURNAL_NAME",
    "NO_JOURNAL",
    "AccountJournal",
    "Journal",
    "JournalItem",
    "JournalRun",
    "Kind",
    "NoJournal",
    "RunJournal",
    "State",
]
