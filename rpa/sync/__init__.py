"""Keeping the portal's SGK 4A lists in line with the OSGB's rosters.

- `reconcile`: the pure comparison of a workplace's roster with its 4A list (no I/O);
- `plan`: what to do about the differences ("TC Kimlik No İle Doğrula" each, or "Toplu Çalışan Güncelle");
- `exceptions`: what is still different afterwards, with its reason in Turkish and English;
- `memory`: which differences SGK was already asked about, so that a second run does nothing new;
- `results`, `report_xlsx`: the run's results and its Excel report.

The flow that drives the portal is `rpa.flows.sync_roster`.
"""
