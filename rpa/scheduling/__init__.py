"""Scheduled runs: `schedules.yaml`, the APScheduler wiring, the single-scheduler lock and job dispatch."""
