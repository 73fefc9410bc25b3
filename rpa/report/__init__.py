"""The run report: one HTML page per run under `out/runs/<run-id>/report.html`."""

from rpa.report.html import RunReport, write_report

__all__ = ["RunReport", "write_report"]
