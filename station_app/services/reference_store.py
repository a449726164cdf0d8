"""The SQLite file behind `ReferenceCache` (SQLAlchemy Core).

Imported only when the cache is first used, off the UI thread, because SQLAlchemy is the
heaviest import Station has and start-up must not wait for it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from station_app.domain.search import SearchEntry
from station_app.services.reference_types import CachedDataset, ReferenceRow

_metadata = sa.MetaData()

_dataset_table = sa.Table(
    "dataset",
    _metadata,
    sa.Column("name", sa.String, primary_key=True),
    sa.Column("title", sa.String, nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("etag", sa.String),
    sa.Column("row_count", sa.Integer, nullable=False, default=0),
    sa.Column("synced_at", sa.String),  # ISO 8601 UTC: SQLite has no time zones
)

_row_table = sa.Table(
    "row",
    _metadata,
    sa.Column("dataset", sa.String, primary_key=True),
    sa.Column("code", sa.String, primary_key=True),
    sa.Column("label", sa.String, nullable=False),
    sa.Column("attributes", sa.JSON, nullable=False),
    # Lower-case " code label attribute values" for the list filter.
    sa.Column("search", sa.String, nullable=False),
)

_meta_table = sa.Table(
    "meta",
    _metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("list_etag", sa.String),
    sa.Column("last_sync_at", sa.String),
)


def _to_text(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def _from_text(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _search_text(code: str, label: str, attributes: Mapping[str, Any]) -> str:
    values = [str(value) for value in attributes.values() if isinstance(value, str | int)]
    return " ".join([code, label, *values]).casefold()


def _like_escape(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class SqliteReferenceStore:
    """The local copy of reference data, safe to read from several threads at once."""

    def __init__(self, db_path: Path) -> None:
        db_path.parent.mkdir(parents=True, exist_ok=True)
        self.db_path = db_path
        self._engine = sa.create_engine(
            f"sqlite:///{db_path}",
            connect_args={"check_same_thread": False},
        )

        @sa.event.listens_for(self._engine, "connect")
        def _on_connect(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            # WAL: readers carry on while a sync writes; NORMAL is safe with WAL and
            # the data can always be fetched again.
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA busy_timeout=5000")
            cursor.close()

        _metadata.create_all(self._engine)

    # -- reads ---------------------------------------------------------------------

    def datasets(self) -> list[CachedDataset]:
        with self._engine.connect() as conn:
            found = conn.execute(sa.select(_dataset_table).order_by(_dataset_table.c.name))
            return [self._cached(row) for row in found]

    def dataset(self, name: str) -> CachedDataset | None:
        with self._engine.connect() as conn:
            row = conn.execute(
                sa.select(_dataset_table).where(_dataset_table.c.name == name)
            ).first()
        return self._cached(row) if row is not None else None

    @staticmethod
    def _cached(row: sa.Row[Any]) -> CachedDataset:
        return CachedDataset(
            name=row.name,
            title=row.title,
            version=row.version,
            row_count=row.row_count,
            synced_at=_from_text(row.synced_at),
        )

    def etag(self, name: str) -> str | None:
        with self._engine.connect() as conn:
            value = conn.execute(
                sa.select(_dataset_table.c.etag).where(_dataset_table.c.name == name)
            ).scalar()
        return value if isinstance(value, str) else None

    def _row_filter(self, name: str, text: str) -> list[sa.ColumnElement[bool]]:
        conditions: list[sa.ColumnElement[bool]] = [_row_table.c.dataset == name]
        for word in text.casefold().split():
            conditions.append(_row_table.c.search.like(f"%{_like_escape(word)}%", escape="\\"))
        return conditions

    def rows(
        self, name: str, *, text: str = "", offset: int = 0, limit: int = 200
    ) -> list[ReferenceRow]:
        """A page of a dataset ordered by code; every word of `text` must appear."""
        query = (
            sa.select(_row_table.c.code, _row_table.c.label, _row_table.c.attributes)
            .where(*self._row_filter(name, text))
            .order_by(_row_table.c.code)
            .offset(offset)
            .limit(limit)
        )
        with self._engine.connect() as conn:
            return [
                ReferenceRow(code=row.code, label=row.label, attributes=dict(row.attributes))
                for row in conn.execute(query)
            ]

    def count(self, name: str, *, text: str = "") -> int:
        query = sa.select(sa.func.count()).select_from(_row_table)
        with self._engine.connect() as conn:
            return int(conn.execute(query.where(*self._row_filter(name, text))).scalar_one())

    def entries(self, name: str) -> list[SearchEntry]:
        """The dataset as type-ahead entries; an offence's statutory wording is searchable."""
        wording = _row_table.c.attributes["wording"].as_string()
        query = (
            sa.select(_row_table.c.code, _row_table.c.label, wording)
            .where(_row_table.c.dataset == name)
            .order_by(_row_table.c.code)
        )
        with self._engine.connect() as conn:
            return [
                SearchEntry(code, label, words or "") for code, label, words in conn.execute(query)
            ]

    def list_etag(self) -> str | None:
        with self._engine.connect() as conn:
            value = conn.execute(sa.select(_meta_table.c.list_etag)).scalar()
        return value if isinstance(value, str) else None

    def last_sync_at(self) -> datetime | None:
        with self._engine.connect() as conn:
            return _from_text(conn.execute(sa.select(_meta_table.c.last_sync_at)).scalar())

    # -- writes (by ReferenceSync) -------------------------------------------------

    def record_sync(self, finished_at: datetime, list_etag: str | None = None) -> None:
        """Note a finished sync; `list_etag` only when every dataset is now current."""
        values: dict[str, Any] = {"id": 1, "last_sync_at": _to_text(finished_at)}
        if list_etag is not None:
            values["list_etag"] = list_etag
        statement = sqlite_insert(_meta_table).values(values)
        statement = statement.on_conflict_do_update(
            index_elements=[_meta_table.c.id],
            set_={key: statement.excluded[key] for key in values if key != "id"},
        )
        with self._engine.begin() as conn:
            conn.execute(statement)

    def apply(
        self, listed: Mapping[str, Any], body: Mapping[str, Any], synced_at: datetime
    ) -> None:
        """Apply one dataset answer in one transaction: replace all, or upsert and delete."""
        name = str(listed["name"])
        rows = [
            {
                "dataset": name,
                "code": str(item["code"]),
                "label": str(item["label"]),
                "attributes": item.get("attributes") or {},
                "search": _search_text(
                    str(item["code"]), str(item["label"]), item.get("attributes") or {}
                ),
            }
            for item in body["rows"]
        ]
        deleted = [{"dataset": name, "code": str(code)} for code in body.get("deleted") or []]
        with self._engine.begin() as conn:
            if body.get("complete", True):
                conn.execute(sa.delete(_row_table).where(_row_table.c.dataset == name))
                if rows:
                    conn.execute(sa.insert(_row_table), rows)
            else:
                if rows:
                    upsert = sqlite_insert(_row_table)
                    upsert = upsert.on_conflict_do_update(
                        index_elements=[_row_table.c.dataset, _row_table.c.code],
                        set_={
                            column: upsert.excluded[column]
                            for column in ("label", "attributes", "search")
                        },
                    )
                    conn.execute(upsert, rows)
                if deleted:
                    conn.execute(
                        sa.delete(_row_table).where(
                            _row_table.c.dataset == sa.bindparam("b_dataset"),
                            _row_table.c.code == sa.bindparam("b_code"),
                        ),
                        [{"b_dataset": d["dataset"], "b_code": d["code"]} for d in deleted],
                    )
            row_count = conn.execute(
                sa.select(sa.func.count())
                .select_from(_row_table)
                .where(_row_table.c.dataset == name)
            ).scalar_one()
            values = {
                "name": name,
                "title": str(listed.get("title") or name),
                "version": int(body.get("version", listed["version"])),
                "etag": body.get("etag") or listed.get("etag"),
                "row_count": int(row_count),
                "synced_at": _to_text(synced_at),
            }
            statement = sqlite_insert(_dataset_table).values(values)
            conn.execute(
                statement.on_conflict_do_update(
                    index_elements=[_dataset_table.c.name],
                    set_={key: statement.excluded[key] for key in values if key != "name"},
                )
            )

    def forget(self, names: Iterable[str]) -> None:
        """Drop datasets the core system no longer lists."""
        names = list(names)
        if not names:
            return
        with self._engine.begin() as conn:
            conn.execute(sa.delete(_row_table).where(_row_table.c.dataset.in_(names)))
            conn.execute(sa.delete(_dataset_table).where(_dataset_table.c.name.in_(names)))

    def close(self) -> None:
        self._engine.dispose()
