"""Two processes opening a new database at once: the one whose CREATE TABLE loses the race goes on.

The race is played for real on SQLite: just before our CREATE, another connection (the other process)
creates the same table, so ours fails with "table ... already exists", as it did when two
`katip approve` runs started together on one state dir.
"""

from __future__ import annotations

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, create_engine, event, inspect, text
from sqlalchemy.exc import OperationalError

from rpa.store.database import create_tables


def _metadata() -> tuple[MetaData, Table]:
    metadata = MetaData()
    return metadata, Table("journal", metadata, Column("id", Integer, primary_key=True))


def test_a_table_created_meanwhile_by_another_process_is_not_an_error(tmp_path):
    url = f"sqlite:///{tmp_path / 'state.sqlite'}"
    metadata, table = _metadata()
    other = create_engine(url)
    raced = []

    @event.listens_for(table, "before_create")
    def the_other_process_wins(target, connection, **_):
        if not raced:
            raced.append(True)
            with other.begin() as winner:
                winner.execute(text("CREATE TABLE journal (id INTEGER PRIMARY KEY)"))

    engine = create_engine(url)
    create_tables(engine, metadata)

    assert raced  # the race was played: our first CREATE failed and the second look found the table
    assert inspect(engine).has_table("journal")


def test_any_other_database_error_is_not_swallowed(tmp_path):
    metadata, _ = _metadata()
    engine = create_engine(f"sqlite:///{tmp_path / 'no-such-folder' / 'state.sqlite'}")

    with pytest.raises(OperationalError, match="unable to open database file"):
        create_tables(engine, metadata)
