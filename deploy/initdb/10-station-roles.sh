#!/bin/sh
# First start of the database only: the owner role that migrations use and the app role the
# server connects as (docs/deployment.md, "PostgreSQL: two roles"). Passwords from secrets.
set -eu
owner_password=$(cat /run/secrets/owner_password)
app_password=$(cat /run/secrets/app_password)
psql -v ON_ERROR_STOP=1 --username postgres --dbname station \
    -v owner_password="$owner_password" -v app_password="$app_password" <<'SQL'
CREATE ROLE station_owner LOGIN NOSUPERUSER PASSWORD :'owner_password';
CREATE ROLE station_app LOGIN NOSUPERUSER PASSWORD :'app_password';
ALTER DATABASE station OWNER TO station_owner;
ALTER SCHEMA public OWNER TO station_owner;
-- Free-text search (migration incidents_0003) uses pg_trgm: made here, by the superuser.
CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;
SQL
