"""`katip approve --distributed` with two `katip worker` processes on a real Redis and PostgreSQL against
the mock: the same portal state as a local run, one run in the history, and exactly once when a worker
is killed with kill -9 in the middle."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from rpa.app.locks import Holder
from rpa.journal import Journal, Kind, State
from tests.cluster.conftest import SIZES, Cluster, kill
from tests.parallel.conftest import approvals, decisions


def _rows(document: dict) -> list[tuple[str, str, list[str], list[str]]]:
    return [(wp["account"], wp["sicil"], sorted(c["contract_no"] for c in wp["approved"]),
             sorted(c["contract_no"] for c in wp["held"])) for wp in document["workplaces"]]


def _local_reference(cluster: Cluster, live_portal) -> tuple[subprocess.CompletedProcess[str], dict]:
    """A local run (SQLite, its own out folder) and the portal's decisions after it; the portal reset."""
    args, options = _local_args(cluster)
    done = subprocess.run(args, capture_output=True, text=True, timeout=300, cwd=cluster.folder, **options)
    assert done.stdout.strip(), done.stderr[-3000:]
    after = decisions(live_portal.dev("state"))
    live_portal.dev("reset", SIZES)
    return done, after


def _local_args(cluster: Cluster) -> tuple[list[str], dict]:
    import sys

    env = cluster.env("local", KATIP_DATABASE_URL="", KATIP_BROKER_URL="",
                      KATIP_OUT_DIR=str(cluster.folder / "local" / "out"))
    return [sys.executable, "-m", "rpa", "approve", "--json", "--parallel", "2"], {"env": env}


def _pdfs_of(document: dict) -> list[Path]:
    return [Path(c["pdf"]) for wp in document["workplaces"] for c in wp["approved"]]


def _check_pdfs(cluster: Cluster, document: dict) -> None:
    for wp in document["workplaces"]:
        for c in wp["approved"]:
            path = cluster.out_dir / "contracts" / wp["sicil"] / f"sozlesme-{c['contract_no']}.pdf"
            assert path.is_file() and path.read_bytes().startswith(b"%PDF"), path
            assert Path(c["pdf"]) == path


@pytest.mark.slow(minutes=3)
@pytest.mark.browser
def test_a_distributed_approve_on_two_workers_ends_as_a_local_run_with_one_run_in_the_history(
        cluster, live_portal):
    local, expected = _local_reference(cluster, live_portal)
    cluster.start_worker("machine-a")
    cluster.start_worker("machine-b")

    done = cluster.katip("coordinator", "approve", "--distributed", "--json")

    assert done.stdout.strip(), done.stderr[-3000:] + cluster.logs()
    document, reference = json.loads(done.stdout), json.loads(local.stdout)
    assert done.returncode == local.returncode, done.stderr[-3000:]
    state = live_portal.dev("state")
    assert approvals(state), "the seed should leave something to approve"
    assert len(set(approvals(state))) == len(approvals(state))
    assert decisions(state) == expected
    assert _rows(document) == _rows(reference)
    assert document["summary"] == reference["summary"]
    _check_pdfs(cluster, document)
    listed = json.loads(cluster.katip("coordinator", "runs", "list", "--json").stdout)
    assert [(r["id"], r["flow"]) for r in listed] == [(document["run_id"], "approve")]
    assert listed[0]["counts"]["approved"] == document["summary"]["approved"]
    # Every account's login is shared, encrypted, for whichever worker takes it next.
    assert _shared_sessions(cluster.database_url) == len(cluster.employers)
    # Every account was worked on by a worker (its log in the run folder), and both workers took some.
    shares = sorted(p.stem for p in (cluster.out_dir / "runs" / document["run_id"] / "workers").glob("*.log"))
    assert shares == sorted(e.name for e in cluster.employers)
    for machine in ("machine-a", "machine-b"):
        log = (cluster.folder / machine / "state" / "logs" / "katip.log").read_text(encoding="utf-8")
        assert "firma-" in log, f"{machine} did no work"
        assert not any(e.tc in log for e in cluster.employers)


@pytest.mark.slow(minutes=4)
@pytest.mark.browser
def test_a_worker_killed_with_sigkill_mid_run_leaves_every_compliant_contract_approved_once_with_its_pdf(
        cluster, live_portal):
    local, expected = _local_reference(cluster, live_portal)
    workers = [cluster.start_worker("machine-a"), cluster.start_worker("machine-b")]
    run = cluster.start("coordinator", "approve", "--distributed", "--json")
    journal = Journal(cluster.folder / "probe", cluster.database_url)

    # The kill point: an account with an approval done and more to come, held by one of the workers.
    victim, account = None, None
    deadline = time.monotonic() + 180
    while victim is None and time.monotonic() < deadline and run.poll() is None:
        ids = journal.run_ids()
        done = {i.account for i in journal.items(ids[0], kind=Kind.APPROVE, states=(State.DONE,))} if ids else set()
        for holder in _holders(cluster.database_url):
            if holder.account in done:
                victim = next((w for w in workers if _group_of(holder.pid) == w.pid), None)
                account = holder.account
        time.sleep(0.1)
    assert victim is not None and run.poll() is None, "no account was in the middle of its approvals"
    kill(victim)  # the machine is gone: its pool, its browsers, its unacknowledged task
    cluster.start_worker("machine-c")
    stdout, stderr = run.communicate(timeout=300)

    assert stdout.strip(), stderr[-3000:] + cluster.logs()
    document = json.loads(stdout)
    state = live_portal.dev("state")
    assert len(set(approvals(state))) == len(approvals(state)), "an approval was done twice"
    assert decisions(state) == expected  # nothing lost: every compliant contract approved, the rest held
    assert sorted(approvals(state)) == sorted(c for _, _, approved, _ in _rows(json.loads(local.stdout))
                                              for c in approved)
    assert run.returncode == local.returncode, stderr[-3000:]
    assert document["summary"]["approved"] + document["summary"]["skipped"] >= len(approvals(state))
    _check_pdfs(cluster, document)
    listed = json.loads(cluster.katip("coordinator", "runs", "list", "--json").stdout)
    assert [r["id"] for r in listed] == [document["run_id"]]
    # The killed worker's account was carried on by another worker: what it had done skipped, not redone.
    assert account in {wp["account"] for wp in document["workplaces"]}
    assert not [i for i in journal.items(document["run_id"]) if i.state is State.IN_PROGRESS]


def _shared_sessions(url: str) -> int:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as conn:
        count = int(conn.execute(text("SELECT count(*) FROM katip_sessions")).scalar_one())
    engine.dispose()
    return count


def _holders(url: str) -> list[Holder]:
    from sqlalchemy import create_engine, select

    from rpa.app.shared_locks import HOLDERS

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return [Holder.model_validate_json(h) for h in conn.execute(select(HOLDERS.c.holder)).scalars()]
    except Exception:  # noqa: BLE001 - the table is created by the first lock
        return []
    finally:
        engine.dispose()


def _group_of(pid: int) -> int | None:
    try:
        return os.getpgid(pid)
    except ProcessLookupError:
        return None


@pytest.mark.slow(minutes=2)
@pytest.mark.browser
def test_a_distributed_audit_reports_every_workplace_as_a_local_one_and_writes_the_workbook_once(
        cluster, live_portal):
    env = cluster.env("local", KATIP_DATABASE_URL="", KATIP_BROKER_URL="",
                      KATIP_OUT_DIR=str(cluster.folder / "local" / "out"))
    local = subprocess.run([sys.executable, "-m", "rpa", "audit", "--json", "--parallel", "2"], env=env,
                           capture_output=True, text=True, timeout=300, cwd=cluster.folder)
    assert local.stdout.strip(), local.stderr[-3000:]
    cluster.start_worker("machine-a")
    cluster.start_worker("machine-b")

    done = cluster.katip("coordinator", "audit", "--distributed", "--json")

    assert done.stdout.strip(), done.stderr[-3000:] + cluster.logs()
    document, reference = json.loads(done.stdout), json.loads(local.stdout)
    assert done.returncode == local.returncode
    assert document["workplaces"] == reference["workplaces"] and document["workplaces"]
    assert document["summary"] == reference["summary"]
    run_dir = cluster.out_dir / "runs" / document["run_id"]
    assert (run_dir / "audit.xlsx").is_file() and (run_dir / "report.html").is_file()
    listed = json.loads(cluster.katip("coordinator", "runs", "list", "--json").stdout)
    assert [(r["id"], r["flow"]) for r in listed] == [(document["run_id"], "audit")]


@pytest.mark.slow(minutes=2)
@pytest.mark.browser
def test_a_distributed_roster_sync_reports_every_workplace_as_a_local_one(cluster, live_portal):
    from tests.sync.builders import write_roster

    people = []
    for employer in cluster.employers:
        for sicil in employer.workplaces:
            keys = ("sicil", "tc", "name", "hired", "left")
            people += [{k: e[k] for k in keys} for e in live_portal.dev(f"state?sicil={sicil}")["employees"]]
    roster = write_roster(cluster.folder / "personel.xlsx", people)
    env = cluster.env("local", KATIP_DATABASE_URL="", KATIP_BROKER_URL="",
                      KATIP_OUT_DIR=str(cluster.folder / "local" / "out"))
    local = subprocess.run([sys.executable, "-m", "rpa", "roster", "sync", str(roster), "--json", "--parallel", "2"],
                           env=env, capture_output=True, text=True, timeout=300, cwd=cluster.folder)
    assert local.stdout.strip(), local.stderr[-3000:]
    cluster.start_worker("machine-a")
    cluster.start_worker("machine-b")

    done = cluster.katip("coordinator", "roster", "sync", str(roster), "--distributed", "--json")

    assert done.stdout.strip(), done.stderr[-3000:] + cluster.logs()
    document, reference = json.loads(done.stdout), json.loads(local.stdout)
    assert done.returncode == local.returncode
    for key in set(reference) - {"run_id", "report", "report_path", "log", "started", "finished"}:
        assert document[key] == reference[key], key
    listed = json.loads(cluster.katip("coordinator", "runs", "list", "--json").stdout)
    assert [(r["id"], r["flow"]) for r in listed] == [(document["run_id"], "roster_sync")]


@pytest.mark.slow(minutes=2)
@pytest.mark.browser
def test_a_distributed_refresh_files_every_accounts_request_and_lists_what_arrived_in_one_run(cluster, live_portal):
    def hidden() -> dict[str, list[str]]:
        state = live_portal.dev("state")["accounts"]
        return {a["tc"]: a["workplaces_after_refresh"] for a in state if a["tc"] in {e.tc for e in cluster.employers}}

    waiting = hidden()
    assert any(waiting.values()), "some employer must have a workplace that shows only after the refresh"
    cluster.start_worker("machine-a")
    cluster.start_worker("machine-b")

    done = cluster.katip("coordinator", "workplaces", "--refresh", "--wait", "5", "--distributed", "--json")

    assert done.returncode == 0, done.stderr[-3000:] + cluster.logs()
    assert all(not rows for rows in hidden().values())  # every account's request was filed by a worker
    document = json.loads(done.stdout)
    listed = json.dumps(document)
    assert all(sicil in listed for rows in waiting.values() for sicil in rows)  # the arrivals are reported
    runs = json.loads(cluster.katip("coordinator", "runs", "list", "--json").stdout)
    assert [(r["id"], r["flow"]) for r in runs] == [(document["run_id"], "refresh")]
