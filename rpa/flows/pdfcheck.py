"""An approved contract's PDF: fetched through "Detay Görüntüle" → "PDF İndir", kept only if it is right."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from loguru import logger

from rpa.errors import PortalError, PortalErrorKind
from rpa.flows.common import Navigator, Screen
from rpa.flows.ports import ContractDetail
from rpa.models import ContractRow
from rpa.run import pdf_path

_SPACE = re.compile(r"\s+")


def pdf_names_contract(path: Path, contract_no: str) -> bool:
    """True when `path` is a readable PDF whose text holds the contract number."""
    if not path.is_file() or path.stat().st_size == 0:
        return False
    from pypdf import PdfReader  # lazily: only runs that approve need it
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(path)
        text = "".join(page.extract_text() or "" for page in reader.pages)
    except (PdfReadError, OSError, ValueError) as exc:
        logger.debug("{} is not a readable PDF: {}", path, exc)
        return False
    # Text extraction may break a long number across lines or spaces.
    return contract_no in _SPACE.sub("", text)


@dataclass
class ShownDetail:
    """The detail page a try of `fetch_pdf` opened: after a fault (the PDF's request met "Sistem hatası"),
    Back and a reload may show it again, and the next try downloads from it instead of walking to it."""

    page: ContractDetail | None = None


def fetch_pdf(
    nav: Navigator, contracts_dir: Path, sicil: str, same_row: Callable[[ContractRow], bool], contract_no: str,
    shown: ShownDetail | None = None,
) -> Path:
    """The contract's PDF on disk (downloaded unless a valid one is there); PortalError if not right.

    `same_row` tells the contract's rows in the list (same professional, title and process type);
    `shown` carries the detail page from one try to the next."""
    dest = pdf_path(contracts_dir, sicil, contract_no)
    if pdf_names_contract(dest, contract_no):
        return dest
    shown = shown or ShownDetail()
    if shown.page is not None and nav.holds(shown.page) and shown.page.contract().no == contract_no:
        return _download(shown.page, dest, contract_no)
    contracts = nav.contracts(sicil)
    same = [r for r in contracts.rows() if same_row(r) and not r.pending]
    # The row no longer waits; among older rows of the same person the approved, active one is likeliest.
    same.sort(key=lambda r: (r.approval_status != "Onaylandı", r.contract_status != "Aktif"))
    for candidate in same:
        detail = shown.page = nav.at(contracts.open_detail(candidate), Screen.SHELL, sicil)
        if detail.contract().no == contract_no:
            # The navigator stays on the detail page (it shows the workplace's menu): the next
            # contract opens the list from here, the next workplace is chosen from here, and after
            # the workplace's last contract no page is loaded for nothing.
            return _download(detail, dest, contract_no)
        contracts = nav.at(detail.back(), Screen.CONTRACTS, sicil)
    raise PortalError(f"contract {contract_no} is not in the list any more", PortalErrorKind.UNEXPECTED)


def _download(detail: ContractDetail, dest: Path, contract_no: str) -> Path:
    """"PDF İndir" on the contract's detail page, into `dest`, checked."""
    # The page object saves into the folder under the portal's suggested file name.
    saved = detail.download_pdf(dest.parent)
    if saved != dest:
        saved.replace(dest)
    if not pdf_names_contract(dest, contract_no):
        dest.unlink(missing_ok=True)
        raise PortalError(f"the downloaded PDF does not name contract {contract_no}", PortalErrorKind.UNEXPECTED)
    return dest
