"""Free-text search where pg_trgm cannot be had (issue 14; migration incidents_0003): a
force's database where the server's migrating role may not install extensions and none is
installed. The migration then gives reports a `search_vector` (tsvector) with a GIN index,
and free text finds reports by the start of their words through that index.

A real PostgreSQL database of its own (extensions are per database) and a role with no
right to create anything in it but its schema; both are dropped afterwards."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
import requests
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from station_app.server.core.db import make_engine, make_session_factory, migrate_engine
from station_app.server.seed import seed_demo
from tests.fixtures.explain import postgres_plan, selects_sent
from tests.fixtures.incidents import post, walk_in
from tests.fixtures.live_server import LiveServer, bearer, make_test_settings

pytestmark = pytest.mark.postgres


@pytest.fixture
def no_trigram_url(postgres_url: str) -> Iterator[str]:
    """A database without pg_trgm, and a role that may not install it (no CREATE on the
    database) owning the schema Station is migrated into."""
    suffix = uuid.uuid4().hex[:10]
    database, role = f"station_notrgm_{suffix}", f"station_notrgm_{suffix}"
    superuser = create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    with superuser.connect() as db:
        db.execute(text(f"CREATE ROLE {role} LOGIN NOSUPERUSER"))
        db.execute(text(f"CREATE DATABASE {database}"))
    in_database = make_url(postgres_url).set(database=database)
    owner = create_engine(in_database, isolation_level="AUTOCOMMIT")
    with owner.connect() as db:
        db.execute(text(f"REVOKE CREATE ON DATABASE {database} FROM PUBLIC"))
        db.execute(text(f"CREATE SCHEMA station AUTHORIZATION {role}"))
    owner.dispose()
    scoped = in_database.set(username=role, password=None)
    try:
        yield scoped.update_query_dict({"options": "-csearch_path=station"}).render_as_string(
            hide_password=False
        )
    finally:
        with superuser.connect() as db:
            db.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = :database"
                ),
                {"database": database},
            )
            db.execute(text(f"DROP DATABASE {database}"))
            db.execute(text(f"DROP ROLE {role}"))
        superuser.dispose()


def test_without_pg_trgm_free_text_goes_through_the_tsvector_index(no_trigram_url: str) -> None:
    engine = make_engine(no_trigram_url)
    try:
        migrate_engine(engine)  # as the role that cannot install pg_trgm
        with make_session_factory(engine)() as session:
            seed_demo(session)  # the offence list, and the demo's staff
        with engine.connect() as db:
            extensions = db.execute(text("SELECT extname FROM pg_extension")).scalars().all()
            indexes = db.execute(
                text("SELECT indexname FROM pg_indexes WHERE tablename = 'incident'")
            ).scalars()
            index_names = set(indexes)
    finally:
        engine.dispose()
    assert "pg_trgm" not in extensions
    assert "ix_incident_search_vector" in index_names
    assert "ix_incident_search_trgm" not in index_names

    server = LiveServer(make_test_settings(no_trigram_url))
    server.start()
    try:
        desk = server.token_for("frontdesk")
        mark = uuid.uuid4().hex[:8]
        scooter = post(server, desk, walk_in(account=f"Scooter x{mark} Quillborough"))
        wallet = post(server, desk, walk_in(account=f"Wallet x{mark} lost at Tillbury Row"))
        assert scooter.status_code == wallet.status_code == 201, (scooter.text, wallet.text)
        scooter_ref, wallet_ref = scooter.json()["reference"], wallet.json()["reference"]

        def found(q: str) -> list[str]:
            answer = requests.get(
                f"{server.api_url}/incidents",
                params={"q": q},
                headers=bearer(server.token_for("admin")),  # every station: the text alone
                timeout=10,
            )
            assert answer.status_code == 200, answer.text
            return [item["reference"] for item in answer.json()["items"]]

        engine = server.app.state.engine
        with selects_sent(engine, lambda s: "search_vector" in s) as sent:
            both = found(f"x{mark}")
            by_start = found(f"x{mark} quill")  # the start of a word, any case
            inside = found(f"x{mark} illboro")  # inside a word: trigrams only
            odd = [found(f"x{mark} {typed}") for typed in ("'", "a:b", "!", "&|")]
        plans = [postgres_plan(engine, statement, parameters) for statement, parameters in sent]
    finally:
        server.close()

    assert sorted(both) == sorted([scooter_ref, wallet_ref])
    assert by_start == [scooter_ref]
    assert inside == []  # the fallback finds words by their start, as docs/server.md says
    assert odd == [[], [], [], []]  # the query syntax is not staff's: no error, no match
    missing = [plan for plan in plans if "ix_incident_search_vector" not in plan]
    assert plans and not missing, "\n\n".join(missing)
