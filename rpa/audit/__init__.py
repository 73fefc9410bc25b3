"""`katip audit`: which client workplaces break the law today, and what to do about it.

- `results`: what the audit flow (`rpa.flows.audit`) returns per account, and the report over all of them;
- `headcount`: the active counts of a roster, for `--headcount-from`;
- `report_xlsx`, `report_html`: the colour-coded workbook and the run report's section.

The decisions themselves are in `rpa.domain.audit`.
"""
