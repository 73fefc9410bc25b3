"""The chaos suite: the same work against a healthy and a faulty mock portal, and what differs.

`katip chaos` and `tests/chaos` use it. The robot always runs as its real command line (`python -m rpa
approve`, `python -m rpa roster sync`, `python -m rpa runs resume`) in a subprocess with its own state
and out dirs; the mock is reset with the same seed before each run, so the final state of a fault-free
run is the yardstick for the faulty one. Every figure is counted: faults by the mock itself
(`/_dev/faults/injected`), duplicates from its audit log, items from the robot's journal, retries from
its run logs.
"""
