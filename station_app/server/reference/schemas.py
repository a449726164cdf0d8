"""Response bodies of the reference routes (docs/api.md, "Reference data")."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel


class DatasetInfo(BaseModel):
    name: str
    title: str
    version: int
    etag: str
    row_count: int
    updated_at: datetime


class DatasetList(BaseModel):
    datasets: list[DatasetInfo]


class ReferenceRowOut(BaseModel):
    code: str
    label: str
    attributes: dict[str, Any]


class DatasetContent(BaseModel):
    name: str
    version: int
    since: int | None
    complete: bool
    rows: list[ReferenceRowOut]
    deleted: list[str]
