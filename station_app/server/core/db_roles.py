"""The two database roles of a PostgreSQL deployment (docs/deployment.md; issue 12 #12).

The owner role owns the schema: `station-server migrate` runs as it, and nothing else does.
The app role is what `station-server serve` connects as: it owns nothing, so it cannot alter
a table, disable a trigger or drop anything; it may not set `session_replication_role`
(only superusers may); it has no TRUNCATE, no REFERENCES and no TRIGGER right, no CREATE on
the schema; it reads and adds rows everywhere, changes rows where the app changes them, may
delete only where the app deletes (`Feature.deletes_from`), and on append-only tables (the
audit trail, custody record entries: `Feature.append_only`, and any table with a trigger of
its own) may only read and add. So the append-only triggers hold against the server's own
connection, not only against its code.

`grant_app_role` (run as the owner, after each migration: `migrate --app-role`, or
`grant-app-role`) sets exactly these rights, taking back any others it held.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import Connection, Engine, inspect, text

from station_app.server.core.audit import AuditEvent
from station_app.server.core.identity import UserStation

ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
VERSION_TABLE = "alembic_version"
CORE_APPEND_ONLY = (AuditEvent.__tablename__,)  # migration 0001: audit rows are evidence
CORE_DELETES_FROM = (UserStation.__tablename__,)  # cover-stations replaces a user's list
SQLITE_HAS_NO_ROLES = (
    "SQLite has no database roles: whoever can write the database file can change anything "
    "in it. Keep the file readable and writable by the server's own account only (see "
    "docs/deployment.md)."
)


class AppRoleError(ValueError):
    """The app role cannot be given its rights as asked; the message says why."""


@dataclass
class Grants:
    """What the app role may do, table by table (for the command's report)."""

    schema: str
    tables: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def lines(self) -> list[str]:
        return [f"{table}: {', '.join(rights)}" for table, rights in sorted(self.tables.items())]


def _triggered_tables(connection: Connection, schema: str) -> set[str]:
    """Tables with a trigger of their own: in Station, each is an append-only guard."""
    rows = connection.execute(
        text(
            "SELECT DISTINCT c.relname FROM pg_trigger t "
            "JOIN pg_class c ON c.oid = t.tgrelid "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE NOT t.tgisinternal AND n.nspname = :schema"
        ),
        {"schema": schema},
    )
    return {str(name) for name in rows.scalars()}


def _check_role(connection: Connection, role: str) -> None:
    found = connection.execute(
        text(
            "SELECT rolsuper, rolbypassrls, pg_has_role(:role, current_user, 'MEMBER') "
            "FROM pg_roles WHERE rolname = :role"
        ),
        {"role": role},
    ).first()
    if found is None:
        raise AppRoleError(
            f"There is no database role {role}. Create it first "
            f"(CREATE ROLE {role} LOGIN PASSWORD '...'), then grant it its rights."
        )
    superuser, bypasses_rls, member_of_owner = found
    if superuser or bypasses_rls:
        raise AppRoleError(
            f"{role} is a superuser, who gets around every check. Give the server a role of its "
            "own with no special powers."
        )
    if member_of_owner:
        raise AppRoleError(
            f"{role} is the owner of the tables, or a member of it. The server's role must own "
            "nothing: connect as the owner only to migrate."
        )


def grant_app_role(
    engine: Engine,
    role: str,
    *,
    append_only: Iterable[str] = (),
    deletes_from: Iterable[str] = (),
) -> Grants:
    """Give `role` exactly the rights the server needs on the schema `engine` connects to,
    and no others. Run as the owner of the schema."""
    if engine.dialect.name == "sqlite":
        raise AppRoleError(SQLITE_HAS_NO_ROLES)
    if not ROLE_NAME.match(role):
        raise AppRoleError(
            f"'{role}' is not a role name Station uses: lower-case letters, digits and _ only."
        )
    with engine.begin() as connection:
        schema = str(connection.execute(text("SELECT current_schema()")).scalar_one())
        _check_role(connection, role)
        quoted = connection.dialect.identifier_preparer.quote
        where, who = quoted(schema), quoted(role)
        frozen = {*CORE_APPEND_ONLY, *append_only} | _triggered_tables(connection, schema)
        deleting = {*CORE_DELETES_FROM, *deletes_from}
        grants = Grants(schema)
        for statement in (
            f"REVOKE ALL ON SCHEMA {where} FROM {who}",
            f"REVOKE ALL ON ALL TABLES IN SCHEMA {where} FROM {who}",
            f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {where} FROM {who}",
            f"GRANT USAGE ON SCHEMA {where} TO {who}",  # no CREATE: no DDL
            f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {where} TO {who}",
        ):
            connection.execute(text(statement))
        # Partitions (the audit trail's months, core/audit_partitions.py) get no rights of
        # their own: the server reaches their rows through the partitioned table only.
        partitions = set(
            connection.execute(
                text(
                    "SELECT c.relname FROM pg_class c JOIN pg_namespace n "
                    "ON n.oid = c.relnamespace WHERE n.nspname = :schema AND c.relispartition"
                ),
                {"schema": schema},
            ).scalars()
        )
        for table in inspect(connection).get_table_names(schema=schema):
            if table in partitions:
                continue
            if table == VERSION_TABLE:
                rights: tuple[str, ...] = ("SELECT",)  # to see that the schema is current
            elif table in frozen:
                rights = ("SELECT", "INSERT")  # append-only: no UPDATE, no DELETE
            elif table in deleting:
                rights = ("SELECT", "INSERT", "UPDATE", "DELETE")
            else:
                rights = ("SELECT", "INSERT", "UPDATE")
            connection.execute(
                text(f"GRANT {', '.join(rights)} ON {where}.{quoted(table)} TO {who}")
            )
            grants.tables[table] = rights
    return grants
