"""Page objects, one per screen of the portal; locators only by role and visible name, label or text.

Start at `StartPage(page, PagePolicy(start_url=...))` (or `AccountSession.portal()`); every navigation
method returns the next page object, every query returns pydantic models from `rpa.models`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# Loaded on first use: the page objects import Playwright, and `rpa.pages.texts` (which settings read)
# must not pull it in, or `katip --help` would take seconds.
_WHERE = {
    "ApprovalPage": "rpa.pages.approval",
    "BasePage": "rpa.pages.base",
    "ChoicePage": "rpa.pages.choice",
    "ContactTab": "rpa.pages.contact",
    "ContractDetailPage": "rpa.pages.contract_detail",
    "ContractsPage": "rpa.pages.contracts",
    "EDevletLoginPage": "rpa.pages.edevlet",
    "EmployeesTab": "rpa.pages.employees",
    "IndividualPage": "rpa.pages.individual",
    "PagePolicy": "rpa.pages.base",
    "Screen": "rpa.pages.start",
    "StartPage": "rpa.pages.start",
    "TwoStepPage": "rpa.pages.edevlet",
    "WorkplaceCardPage": "rpa.pages.card",
    "WorkplaceShell": "rpa.pages.shell",
    "WorkplacesPage": "rpa.pages.workplaces",
}

if TYPE_CHECKING:
    from rpa.pages.approval import ApprovalPage
    from rpa.pages.base import BasePage, PagePolicy
    from rpa.pages.card import WorkplaceCardPage
    from rpa.pages.choice import ChoicePage
    from rpa.pages.contact import ContactTab
    from rpa.pages.contract_detail import ContractDetailPage
    from rpa.pages.contracts import ContractsPage
    from rpa.pages.edevlet import EDevletLoginPage, TwoStepPage
    from rpa.pages.employees import EmployeesTab
    from rpa.pages.individual import IndividualPage
    from rpa.pages.shell import WorkplaceShell
    from rpa.pages.start import Screen, StartPage
    from rpa.pages.workplaces import WorkplacesPage


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module 'rpa.pages' has no attribute {name!r}")
    return getattr(importlib.import_module(_WHERE[name]), name)


__all__ = [
    "ApprovalPage",
    "BasePage",
    "ChoicePage",
    "ContactTab",
    "ContractDetailPage",
    "ContractsPage",
    "EDevletLoginPage",
    "EmployeesTab",
    "IndividualPage",
    "PagePolicy",
    "Screen",
    "StartPage",
    "TwoStepPage",
    "WorkplaceCardPage",
    "WorkplaceShell",
    "WorkplacesPage",
]
