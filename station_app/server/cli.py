"""`station-server`: run the core API, migrate, seed demo data, add users, import reference data.

    station-server serve [--host H] [--port N] [--database-url URL] [--demo]
                         [--seed-demo-if-empty] [--ready-file PATH] [--watch-stdin]
                         [--cross-station-work] [--cps-exchange-dir DIR]
                         [--attachment-max-mb MB] [--api-docs]
                         [--tls-cert PEM --tls-key PEM] [--forwarded-allow-ips ADDRESSES]
                         [--workers N] [--pool-size N] [--pool-overflow N]
                         [--statement-timeout SECONDS] [--keep-alive SECONDS]
                         [--metrics-token-file FILE]
    station-server migrate [--app-role ROLE] [--database-url URL]
    station-server grant-app-role ROLE [--database-url URL]
    station-server seed-demo [--database-url URL]
    station-server create-user NAME --display-name .. --staff-number .. --rank ..
                         --station CODE [--covers CODE ...] --role ROLE [--role ROLE]
                         [--password-stdin]
    station-server cover-stations NAME [CODE ...] [--database-url URL]
    station-server import-reference DATASET FILE.csv [--database-url URL]
    station-server import-people FILE.csv [--database-url URL]
    station-server people duplicates [--limit N] [--database-url URL]
    station-server unlock NAME [--database-url URL]
    station-server audit export FROM TO FILE | add-months [--months N] | drop-before MONTH

The database URL is `--database-url`, else the environment variable STATION_DATABASE_URL,
else a SQLite file in the user's data folder. Every command brings the database schema up
to date first, when it is not. On PostgreSQL `migrate` runs as the owner of the schema and
`serve` as an app role with only the rights it needs (docs/deployment.md), so a server
started on an out-of-date schema says to migrate.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from station_app.domain.roles import Role

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


NOT_MIGRATED = (
    "The database schema is older than this version of Station, and this connection may not "
    "change it. Run `station-server migrate --app-role ROLE` with the owner's database URL "
    "first (docs/deployment.md)."
)


@contextmanager
def _database(database_url: str) -> Iterator[Session]:
    """A session on the database at `database_url`, migrated to the newest schema if it is
    not yet (the app role may read the schema's version but not change the schema)."""
    from sqlalchemy.exc import ProgrammingError

    from station_app.server.core.db import (
        make_engine,
        make_session_factory,
        migrate_engine,
        schema_is_current,
    )

    engine = make_engine(database_url)
    try:
        if not schema_is_current(engine):
            try:
                migrate_engine(engine)
            except ProgrammingError as error:  # no right to change the schema
                raise SystemExit(NOT_MIGRATED) from error
        with make_session_factory(engine)() as session:
            yield session
    finally:
        engine.dispose()


DATABASE_URL_ENVIRONMENT = "STATION_DATABASE_URL"
"""Where a container (deploy/compose.yaml) gives the database URL, so its password is not on
the command line; `--database-url` wins over it."""


def _database_url(args: argparse.Namespace) -> str:
    from station_app.server.core.config import default_database_url

    return str(
        args.database_url or os.environ.get(DATABASE_URL_ENVIRONMENT) or default_database_url()
    )


def _migrate(args: argparse.Namespace) -> int:
    from station_app.server.core.db import migrate

    migrate(_database_url(args))
    print("database is up to date")
    if args.app_role:
        return _grant_app_role(args)
    return 0


def _grant_app_role(args: argparse.Namespace) -> int:
    from station_app.server.app import FEATURES
    from station_app.server.core.db import make_engine
    from station_app.server.core.db_roles import AppRoleError, grant_app_role

    role = args.app_role
    engine = make_engine(_database_url(args))
    try:
        grants = grant_app_role(
            engine,
            role,
            append_only=[table for feature in FEATURES for table in feature.append_only],
            deletes_from=[table for feature in FEATURES for table in feature.deletes_from],
        )
    except AppRoleError as error:
        print(f"{error} Nothing was changed.", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    print(f"{role} may now, in schema {grants.schema}:")
    for line in grants.lines():
        print(f"  {line}")
    return 0


def _seed_demo(args: argparse.Namespace) -> int:
    from station_app.server.seed import seed_demo

    with _database(_database_url(args)) as session:
        for line in seed_demo(session).lines():
            print(line)
    return 0


def _create_user(args: argparse.Namespace) -> int:
    from station_app.server.auth.store import AccountError, create_user, set_covers

    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = getpass.getpass("Password for the new user: ")
        if password != getpass.getpass("The same password again: "):
            print("The two passwords are not the same. Nothing was changed.", file=sys.stderr)
            return 1
    try:
        with _database(_database_url(args)) as session:
            user = create_user(
                session,
                username=args.username,
                password=password,
                display_name=args.display_name,
                staff_number=args.staff_number,
                rank=args.rank,
                station_code=args.station,
                roles=[Role(role) for role in args.role],
            )
            if args.covers:
                set_covers(session, user.username, args.covers)
            session.commit()
            print(f"user {user.username} added with roles: {', '.join(user.role_names)}")
    except AccountError as error:
        print(f"{error} Nothing was changed.", file=sys.stderr)
        return 1
    return 0


def _cover_stations(args: argparse.Namespace) -> int:
    from station_app.server.auth.store import AccountError, set_covers

    try:
        with _database(_database_url(args)) as session:
            user = set_covers(session, args.username, args.stations)
            session.commit()
            covered = ", ".join(sorted(user.covers)) or "no other station"
            print(f"{user.username} works at {user.station_code} and covers {covered}")
    except AccountError as error:
        print(f"{error} Nothing was changed.", file=sys.stderr)
        return 1
    return 0


def _import_reference(args: argparse.Namespace) -> int:
    from station_app.server.core.reference_data import ReferenceDataError, import_rows, read_csv

    try:
        with _database(_database_url(args)) as session:
            result = import_rows(session, args.dataset, read_csv(Path(args.file)))
            session.commit()
            print(result.summary())
    except (ReferenceDataError, OSError, UnicodeDecodeError) as error:
        print(f"Could not import {args.file}: {error} Nothing was changed.", file=sys.stderr)
        return 1
    return 0


def _import_people(args: argparse.Namespace) -> int:
    from station_app.server.people.importer import ImportFileError, import_people

    path = Path(args.file)
    try:
        with _database(_database_url(args)) as session:
            summary = import_people(session, path)
            session.commit()
    except (ImportFileError, OSError, UnicodeDecodeError) as error:
        print(f"Could not import {args.file}: {error} Nothing was changed.", file=sys.stderr)
        return 1
    print(summary.line(path.name))
    return 0


def _people_duplicates(args: argparse.Namespace) -> int:
    from station_app.domain.people import format_person_id
    from station_app.server.people.merges import check_unchecked, suggestions

    with _database(_database_url(args)) as session:
        checked = check_unchecked(session, batch=None)
        session.commit()
        found, more = suggestions(session, args.limit)
    print(f"{checked} people compared; {len(found)}{'+' if more else ''} suggested merges")
    for pair in found:
        people = " | ".join(
            f"{format_person_id(p.id)} {p.forenames} {p.surname}"
            f" {p.date_of_birth.isoformat() if p.date_of_birth else 'no date of birth'}"
            for p in (pair.first, pair.second)
        )
        print(f"{pair.score:.3f}  {people}  ({'; '.join(pair.reasons)})")
    return 0


def _unlock(args: argparse.Namespace) -> int:
    from station_app.server.auth.store import unlock

    with _database(_database_url(args)) as session:
        username = unlock(session, args.username)
    print(f"{username} can sign in again")
    return 0


def _month(text: str) -> date:
    """`2026-12` as the first day of that month (argparse type)."""
    try:
        year, month = (int(part) for part in text.split("-"))
        return date(year, month, 1)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"{text} is not a month: write it as 2026-12.") from error


def _audit_export(args: argparse.Namespace) -> int:
    from station_app.server.audit.export import export_months

    with _database(_database_url(args)) as session:
        exported = export_months(session, args.start, args.end, Path(args.file))
    print(exported.line())
    return 0


def _audit_add_months(args: argparse.Namespace) -> int:
    from station_app.server.core.audit_partitions import add_months, is_partitioned
    from station_app.server.core.db import make_engine

    engine = make_engine(_database_url(args))
    try:
        with engine.begin() as connection:
            if not is_partitioned(connection):
                print(AUDIT_NOT_PARTITIONED, file=sys.stderr)
                return 1
            through = date.today()
            for _ in range(args.months):
                through = date(through.year + through.month // 12, through.month % 12 + 1, 1)
            made = add_months(connection, through, since=args.since)
    finally:
        engine.dispose()
    print(f"{len(made)} months added" + (f": {', '.join(made)}" if made else ""))
    return 0


def _audit_drop_before(args: argparse.Namespace) -> int:
    from station_app.server.core.audit_partitions import drop_before, is_partitioned
    from station_app.server.core.db import make_engine

    engine = make_engine(_database_url(args))
    try:
        with engine.begin() as connection:
            if not is_partitioned(connection):
                print(AUDIT_NOT_PARTITIONED, file=sys.stderr)
                return 1
            dropped = drop_before(connection, args.month)
    finally:
        engine.dispose()
    for month in dropped:
        print(f"{month.name}: {month.rows} rows dropped")
    print(f"{len(dropped)} months dropped")
    return 0


AUDIT_NOT_PARTITIONED = (
    "The audit trail is kept by month only on PostgreSQL (after `station-server migrate`). "
    "Nothing was changed."
)


def _serve(args: argparse.Namespace) -> int:
    from station_app.server.serving import serve

    return serve(args, _database, _database_url(args))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="station-server", description="Station core API server.")
    commands = parser.add_subparsers(dest="command", required=True)

    def command(name: str, handler: Callable[[argparse.Namespace], int], help_text: str) -> Any:
        sub = commands.add_parser(name, help=help_text)
        sub.add_argument("--database-url", help="SQLAlchemy URL (default: a SQLite file)")
        sub.set_defaults(handler=handler)
        return sub

    serve = command("serve", _serve, "run the API server")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8470, help="0 picks a free port")
    serve.add_argument("--demo", action="store_true", help="say so on /health")
    serve.add_argument("--seed-demo-if-empty", action="store_true")
    serve.add_argument(
        "--cps-exchange-dir", help="folder for the CPS file-drop exchange (docs/cps-exchange.md)"
    )
    serve.add_argument(
        "--attachment-max-mb",
        type=float,
        default=20,
        help="the largest PDF a case file takes, in MB (default 20)",
    )
    serve.add_argument(
        "--api-docs",
        action="store_true",
        help="serve the interactive docs page at /api/v1/docs (loads Swagger UI from a public "
        "CDN: for a developer's machine, never on the police network)",
    )
    serve.add_argument("--ready-file", help="write {port, pid, url} here once serving")
    serve.add_argument("--tls-cert", metavar="PEM", help="serve HTTPS with this certificate")
    serve.add_argument("--tls-key", metavar="PEM", help="the certificate's private key")
    serve.add_argument(
        "--forwarded-allow-ips",
        metavar="ADDRESSES",
        help="behind a reverse proxy ending TLS: the proxy's addresses, whose "
        "X-Forwarded-Proto and X-Forwarded-For are trusted (comma-separated)",
    )
    serve.add_argument(
        "--workers",
        type=int,
        default=1,
        help="worker processes on the one port (default 1; docs/server.md, Workers)",
    )
    serve.add_argument(
        "--pool-size",
        type=int,
        default=5,
        help="PostgreSQL: connections each worker keeps open (default 5)",
    )
    serve.add_argument(
        "--pool-overflow",
        type=int,
        default=5,
        help="PostgreSQL: connections each worker may open beyond that at a peak (default 5)",
    )
    serve.add_argument(
        "--statement-timeout",
        type=float,
        default=15,
        metavar="SECONDS",
        help="PostgreSQL: the longest one statement may run (default 15)",
    )
    serve.add_argument(
        "--keep-alive",
        type=float,
        default=75,
        metavar="SECONDS",
        help="how long an idle connection is kept open (default 75: longer than a proxy's)",
    )
    serve.add_argument(
        "--metrics-token-file",
        metavar="FILE",
        help="serve Prometheus metrics at /metrics to a scraper sending this token",
    )
    serve.add_argument("--watch-stdin", action="store_true", help="stop when stdin closes")
    serve.add_argument(
        "--cross-station-work",
        action="store_true",
        help="let staff act at any station, each such action audited (docs/api.md, Stations)",
    )

    migrate = command("migrate", _migrate, "bring the database schema up to date (as its owner)")
    migrate.add_argument(
        "--app-role",
        help="then give this PostgreSQL role the server's rights, and no others",
    )
    grant = command(
        "grant-app-role",
        _grant_app_role,
        "give a PostgreSQL role exactly the rights `serve` needs (run as the owner)",
    )
    grant.add_argument("app_role", metavar="ROLE")
    command("seed-demo", _seed_demo, "add the demo users and reference data (idempotent)")

    create = command("create-user", _create_user, "add a user")
    create.add_argument("username")
    create.add_argument("--display-name", required=True)
    create.add_argument("--staff-number", required=True)
    create.add_argument("--rank", required=True)
    create.add_argument("--station", required=True, help="station code, e.g. SW")
    create.add_argument(
        "--covers", action="append", default=[], help="another station they work at (repeat)"
    )
    create.add_argument(
        "--role", action="append", required=True, choices=[role.value for role in Role]
    )
    create.add_argument(
        "--password-stdin", action="store_true", help="read the password from stdin"
    )

    cover = command(
        "cover-stations",
        _cover_stations,
        "set the other stations a user works at (none: their own station only)",
    )
    cover.add_argument("username")
    cover.add_argument("stations", nargs="*", help="station codes, e.g. KN HX")

    imports = command("import-reference", _import_reference, "import a reference dataset CSV")
    imports.add_argument("dataset")
    imports.add_argument("file")

    people_import = command("import-people", _import_people, "import people from a CSV file")
    people_import.add_argument("file")

    people = commands.add_parser("people", help="people: suggested merges")
    people_commands = people.add_subparsers(dest="people_command", required=True)
    duplicates = people_commands.add_parser(
        "duplicates", help="list the suggested merges (comparing people not compared yet)"
    )
    duplicates.add_argument("--database-url", help="SQLAlchemy URL (default: a SQLite file)")
    duplicates.add_argument("--limit", type=int, default=50, help="at most this many pairs")
    duplicates.set_defaults(handler=_people_duplicates)

    audit = commands.add_parser("audit", help="the audit trail: export, months, retention")
    audit_commands = audit.add_subparsers(dest="audit_command", required=True)

    def audit_command(name: str, handler: Callable[[argparse.Namespace], int], text: str) -> Any:
        sub = audit_commands.add_parser(name, help=text)
        sub.add_argument("--database-url", help="SQLAlchemy URL (default: a SQLite file)")
        sub.set_defaults(handler=handler)
        return sub

    export = audit_command(
        "export", _audit_export, "write the audit rows of whole months to a JSON-lines file"
    )
    export.add_argument("start", type=_month, metavar="FROM", help="first month, e.g. 2026-01")
    export.add_argument("end", type=_month, metavar="TO", help="last month, e.g. 2026-03")
    export.add_argument("file")
    more = audit_command(
        "add-months", _audit_add_months, "PostgreSQL, as the owner: partitions for months ahead"
    )
    more.add_argument("--months", type=int, default=24, help="this many ahead (default 24)")
    more.add_argument(
        "--since",
        type=_month,
        metavar="MONTH",
        help="also the months from this one (before importing older audit rows)",
    )
    drop = audit_command(
        "drop-before",
        _audit_drop_before,
        "PostgreSQL, as the owner: drop whole months before MONTH (retention; export first)",
    )
    drop.add_argument("month", type=_month, metavar="MONTH", help="e.g. 2019-01")

    unlock = command("unlock", _unlock, "clear failed sign-ins, so a locked account can sign in")
    unlock.add_argument("username")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    handler: Callable[[argparse.Namespace], int] = args.handler
    return handler(args)
