"""The run journal: every action the robot takes, written down before and after it happens.

`journal.sqlite` in the state dir (WAL, mode 0600) holds one row per run (the command and options it
was started with, so that `katip runs resume RUN_ID` can start it again) and one row per action:
approve a contract, verify a person, a bulk update, a contact update, moving
planned -> in_progress -> done | failed | held. A run killed at any point (kill -9, power loss) leaves
its unfinished actions `in_progress`; its resume checks each of them against the portal before redoing
it, so nothing is approved twice and nothing is skipped.

Personal data: a person is journalled by a salted hash of the TC number plus its masked form, never
the number itself; reasons are masked like log lines.

- `models`: the kinds and states of actions, and the rows the journal returns;
- `store`: the SQLite database (schema, WAL, the salt, every read and write);
- `views`: what flows and batches hold (one account's view of a run, or NO_JOURNAL for dry runs);
- `runs`: the glue with `rpa.flows.batch` and the scheduler (which journal run a new run continues).
"""

from rpa.journal.models import JournalItem, JournalRun, Kind, State
from rpa.journal.runs import RESUME_ENV, account_journal, open_for, prepare_job_run
from rpa.journal.store import JOURNAL_NAME, Journal, closing_journal
from rpa.journal.views import NO_JOURNAL, AccountJournal, NoJournal, RunJournal

__all__ = [
    "JOURNAL_NAME",
    "NO_JOURNAL",
    "RESUME_ENV",
    "AccountJournal",
    "Journal",
    "JournalItem",
    "JournalRun",
    "Kind",
    "NoJournal",
    "RunJournal",
    "State",
    "account_journal",
    "closing_journal",
    "open_for",
    "prepare_job_run",
]
