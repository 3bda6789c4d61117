#!/bin/sh
# Temporal's two Postgres databases, created when missing and migrated to the
# schema of the server version whose schema files are in SCHEMA_DIR (the
# admin-tools image keeps its own in /etc/temporal/schema). Idempotent: every
# deploy may run it. docker-compose.yml runs it in temporalio/admin-tools;
# `npm run test:cluster` runs it with the tool and schema of the server built
# from source. temporal-sql-tool reads its connection from SQL_PLUGIN,
# SQL_HOST, SQL_PORT, SQL_USER and SQL_PASSWORD.
set -eu

schema_dir="${SCHEMA_DIR:-/etc/temporal/schema}/postgresql/v12"

setup() {
  db="$1"
  versions="$2"
  # Fails when the database exists, which is the normal case after the first deploy.
  temporal-sql-tool --db "$db" create-database 2>/dev/null || echo "database $db exists"
  temporal-sql-tool --db "$db" setup-schema -v 0.0
  temporal-sql-tool --db "$db" update-schema --schema-dir "$versions"
}

setup "${DBNAME:-temporal}" "$schema_dir/temporal/versioned"
setup "${VISIBILITY_DBNAME:-temporal_visibility}" "$schema_dir/visibility/versioned"
