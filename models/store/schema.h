#pragma once

#include "models/result.h"

#include <QSqlDatabase>
#include <QString>

namespace sightline {

// The SQL dialects the store speaks. DDL differs in a few words; DML is kept portable
// (bound parameters, ON CONFLICT ... DO NOTHING/UPDATE, no vendor functions).
enum class SqlDialect { SQLite, PostgreSQL };

SqlDialect dialectOf(const QSqlDatabase &db);

// PostgreSQL: serializes the transactions of every process that change exceptions, roles or the
// audit log (an advisory lock held until commit), taken before any row lock so that two writers
// never wait on each other in a cycle; it also keeps the audit chain from forking. No-op on SQLite,
// whose single writer is serial anyway. Taking it again in the same transaction is harmless.
Status lockSharedWrites(QSqlDatabase &db);

// The schema version this build writes and reads.
int latestSchemaVersion();

// The version a database is at; 0 for an empty database.
Result<int> schemaVersion(QSqlDatabase &db);

// Brings the database forward to targetVersion, one migration per transaction. A database
// newer than this build is refused rather than touched.
Status migrate(QSqlDatabase &db, int targetVersion = latestSchemaVersion());

} // namespace sightline
