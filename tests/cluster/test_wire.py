"""What a worker sends back validates into the same models, fields left out of their own JSON included."""

from __future__ import annotations

import json
from datetime import datetime
from enum import StrEnum
from pathlib import Path

from pydantic import BaseModel, Field

from rpa.app.distributed import to_wire
from rpa.flows.results import ContactOutcome, Outcome


class Kind(StrEnum):
    A = "a"


class Inner(BaseModel):
    hidden: str = Field(exclude=True)
    kind: Kind
    pdf: Path | None = None


class Outer(BaseModel):
    at: datetime
    inner: list[Inner]
    pairs: dict[str, tuple[str, str]] = Field(default_factory=dict)


def test_every_field_goes_over_json_and_comes_back_equal():
    value = Outer(at=datetime(2025, 3, 1, 7, 30), inner=[Inner(hidden="gizli", kind=Kind.A, pdf=Path("/x/a.pdf"))],
                  pairs={"phone": ("1", "2")})
    assert "hidden" not in value.model_dump(mode="json")["inner"][0]  # why model_dump is not enough
    assert Outer.model_validate(json.loads(json.dumps(to_wire(value)))) == value
    item = ContactOutcome(sicil="s1", outcome=Outcome.DONE, changes={"phone": ("a", "b")})
    assert ContactOutcome.model_validate(json.loads(json.dumps(to_wire(item)))) == item
