"""Page objects, one per screen of the portal; locators only by role and visible name, label or text.

Start at `StartPage(page, PagePolicy(start_url=...))` (or `AccountSession.portal()`); every navigation
method returns the next page object, every query returns pydantic models from `rpa.models`.
"""

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
