"""What the messages API answers and accepts; limits from app/people/limits.py."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field
from typing_extensions import TypedDict

from app.apikit.contract import Body, DateTime, Id, Query, Text, Url
from app.people.limits import MESSAGE_TEXT_MAX, SUBJECT_MAX

Count = Annotated[int, Field(ge=0)]


class Party(TypedDict):
    id: Id
    name: str


class MessageOut(TypedDict):
    id: Id
    direction: Literal["sent", "received"]
    subject: str
    text: str
    sender: Party | None
    recipient: Party | None
    origin_url: Url
    created_at: DateTime
    reported: bool


class MessagePage(TypedDict):
    items: list[MessageOut]
    total: Count
    page: Annotated[int, Field(ge=1)]
    per_page: Annotated[int, Field(ge=1, le=100)]


class MessageRequest(Body):
    subject: Text(SUBJECT_MAX, min_length=1, description="Plain text, on one line.")
    text: Text(MESSAGE_TEXT_MAX, min_length=1, description="Plain text; HTML is sent as text, never rendered.")
    practice_id: Id | None = Field(default=None, description=(
        "Write as the reader of this published practice, to its contact person (who may have no profile)."))


class MessageFilters(Query):
    page: Annotated[int, Field(ge=1, le=100000)] = 1
    per_page: Annotated[int, Field(ge=1, le=100)] = 20
