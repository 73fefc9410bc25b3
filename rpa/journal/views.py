"""What flows and batches hold: one run's journal, one account's view of it, or nothing (dry runs)."""

from __future__ import annotations

from typing import Any

from rpa.domain.identifiers import mask_tc
from rpa.journal.models import JournalItem, Kind, State
from rpa.journal.store import Journal


class AccountJournal:
    """One account's view of one journalled run: what flows call around each action."""

    def __init__(self, journal: Journal, run_id: str, account: str) -> None:
        self.journal, self.run_id, self.account = journal, run_id, account

    def person(self, tc: str) -> tuple[str, str]:
        """(key, label) for a person (see `Journal.person_key`)."""
        return self.journal.person_key(tc)

    def row_key(self, *identity: str) -> str:
        """A salted hash for a row's identity when it holds personal data (see `Journal.private_key`)."""
        return self.journal.private_key("row", *identity)

    def mark(self, kind: Kind, sicil: str, key: str, state: State, *, label: str = "", reason: str = "",
             detail: dict[str, Any] | None = None) -> None:
        """Record that an action moved to `state`."""
        self.journal.record(self.run_id, self.account, kind, sicil, key, state, label=label, reason=reason,
                            detail=detail)

    def state(self, kind: Kind, key: str) -> State | None:
        """Where this action is in this run (None: never journalled)."""
        found = [i for i in self.journal.items(self.run_id, account=self.account, kind=kind) if i.key == key]
        return found[0].state if found else None

    def left_in_progress(self, kind: Kind, sicil: str, *also: State) -> list[JournalItem]:
        """This workplace's actions an earlier attempt of this run started and never finished (and `also`)."""
        return self.journal.items(self.run_id, account=self.account, kind=kind, sicil=sicil,
                                  states=(State.IN_PROGRESS, *also))


class NoJournal(AccountJournal):
    """Dry runs and unit tests: journal nothing, remember nothing."""

    def __init__(self) -> None:
        self.run_id, self.account = "", ""

    def person(self, tc: str) -> tuple[str, str]:
        """A stand-in key (nothing is stored)."""
        return mask_tc(tc), mask_tc(tc)

    def row_key(self, *identity: str) -> str:
        """A stand-in key (nothing is stored)."""
        return "row-" + "|".join(identity)

    def mark(self, *args: Any, **kwargs: Any) -> None:
        """Nothing is recorded."""

    def state(self, kind: Kind, key: str) -> State | None:
        """Nothing is known."""
        return None

    def left_in_progress(self, kind: Kind, sicil: str, *also: State) -> list[JournalItem]:
        """Nothing is left."""
        return []


NO_JOURNAL = NoJournal()


class RunJournal:
    """The journal of one run being carried out: a new journal run, or an unfinished one it resumes."""

    def __init__(self, journal: Journal, run_id: str) -> None:
        self.journal, self.run_id = journal, run_id

    @classmethod
    def start(cls, journal: Journal, run_id: str, *, flow: str, command: str, request: dict[str, Any],
              settings: dict[str, str], job: str | None = None) -> RunJournal:
        """Journal a new run, with the request that `katip runs resume` would start again."""
        journal.start_run(run_id, flow, command, request, settings, job)
        return cls(journal, run_id)

    @classmethod
    def resume(cls, journal: Journal, run_id: str, *, by: str) -> RunJournal:
        """Continue the unfinished journal run `run_id` in the new run `by` (KeyError if unknown)."""
        journal.resumed(run_id, by)
        return cls(journal, run_id)

    def account(self, name: str) -> AccountJournal:
        """The account's view of this run."""
        return AccountJournal(self.journal, self.run_id, name)

    def finish(self) -> None:
        """The run ended by itself: no need to resume it unless actions are left in progress."""
        self.journal.finish_run(self.run_id)
