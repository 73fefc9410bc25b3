"""`python -m tests.chaos [--url URL] [--seed N] [--kills N]`: the chaos suite by hand, against any mock.

Without --url a mock portal is started in this process (and counts the faults it injects). With --url
the mock there must run in test mode (the /_dev/ API); it is reset several times with the same seed: a
fault-free run first (the yardstick), then the run under chaos, then the kill -9 and resume run.
Prints the figures; exit status 0 when nothing was lost or doubled, 1 otherwise.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from tests.chaos.harness import Mock
from tests.chaos.procedures import SEED, chaos_run, kill_run, reference_run


def main(argv: list[str] | None = None) -> int:
    """Run the suite, print its figures; 0 when nothing was lost or doubled."""
    parser = argparse.ArgumentParser(prog="python -m tests.chaos", description=__doc__)
    parser.add_argument("--url", help="A mock portal in test mode (default: start one here).")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--kills", type=int, default=5, help="Kill points of the kill test (0: skip it).")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="katip-chaos-"))
    stop = None
    if args.url:
        mock, counted = Mock(args.url), None
    else:
        from tests.chaos.conftest import _portal

        mock, stop = _portal(work)
        counted = mock.faults_injected
    try:
        reference = reference_run(mock, work / "reference", args.seed)
        print(f"fault-free: {reference.approvals} approvals", flush=True)
        chaos = chaos_run(mock, work / "chaos", reference, args.seed, counted)
        print(f"chaos: {chaos.line()}", flush=True)
        bad = (chaos.mismatches, chaos.duplicates, chaos.missing_pdfs) != (0, 0, 0)
        if args.kills:
            kills = kill_run(mock, work / "kills", reference, args.seed, args.kills)
            print(f"kill and resume: {kills.line()}", flush=True)
            bad = bad or (kills.mismatches, kills.duplicates, kills.missing_pdfs) != (0, 0, 0)
    finally:
        if stop:
            stop()
    print(f"files: {work}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
