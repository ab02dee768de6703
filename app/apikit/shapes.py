"""Answer shapes several domains' API modules share."""

from __future__ import annotations

from typing_extensions import TypedDict

from app.apikit.contract import Id


class PersonOut(TypedDict):
    id: Id
    name: str
