#pragma once

#include "models/result.h"

#include <QSqlDatabase>
#include <QString>

namespace sightline {

// Opens a connection to the store at location (an SQLite file or a postgresql:// URL, see
// StoreLocation) for the calling thread. SQLite gets the store's pragmas (WAL, synchronous=NORMAL,
// busy timeout); PostgreSQL its schema and a check of the database's collation. QSqlDatabase
// connections belong to the thread that opened them: each reader thread and the writer thread
// open their own.
Result<QSqlDatabase> openStoreConnection(const QString &location, const QString &connectionName,
                                         bool readOnly);

// The former name of openStoreConnection: it opens PostgreSQL locations too.
inline Result<QSqlDatabase> openSqliteConnection(const QString &location, const QString &connectionName,
                                                 bool readOnly)
{
    return openStoreConnection(location, connectionName, readOnly);
}

// A read-only connection to a store at this build's schema version; a newer store is refused with
// "use a newer Sightline", an older one with "open it for writing once to migrate it".
Result<QSqlDatabase> openReadConnection(const QString &path, const QString &connectionName);

// Closes and forgets a named connection.
void closeConnection(const QString &connectionName);

// A connection name that no other connection in this process uses.
QString uniqueConnectionName(QStringView purpose);

} // namespace sightline
