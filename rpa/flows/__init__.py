"""The robot's business flows: each module has `run(session, request) -> Result` (typed in, typed out).

- `refresh_workplaces`: ask for the account's E-Bildirge workplaces and wait for new rows;
- `approve_contracts`: approve the compliant waiting contracts, hold back the others, keep the PDFs;
- `update_contact`: set "Kurumsal İletişim ve İzin İşlemleri" where it differs from what is asked.

Flows compose page objects (through `common.Navigator`); they never touch locators or the browser's
life cycle, and one item's failure never stops the others.
"""
