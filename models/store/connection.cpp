#include "models/store/connection.h"

#include "models/store/schema.h"

#include <QSqlError>
#include <QSqlQuery>
#include <atomic>

namespace sightline {

Result<QSqlDatabase> openSqliteConnection(const QString &path, const QString &connectionName, bool readOnly)
{
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), connectionName);
    if (!db.isValid())
        return Error{QStringLiteral("the Qt SQLite driver is not available (install libqt6sql6-sqlite)")};
    db.setDatabaseName(path);
    QString options = QStringLiteral("QSQLITE_BUSY_TIMEOUT=10000");
    if (readOnly)
        options += QStringLiteral(";QSQLITE_OPEN_READONLY");
    db.setConnectOptions(options);
    if (!db.open()) {
        const QString why = db.lastError().text();
        db = QSqlDatabase();
        QSqlDatabase::removeDatabase(connectionName);
        return Error{QStringLiteral("cannot open the store %1: %2").arg(path, why)};
    }
    QSqlQuery q(db);
    const char *pragmas[] = {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL", "PRAGMA foreign_keys=ON",
                             "PRAGMA temp_store=MEMORY", "PRAGMA cache_size=-32000"};
    for (const char *pragma : pragmas) {
        if (readOnly && QByteArrayView(pragma).startsWith("PRAGMA journal_mode"))
            continue; // a read-only connection cannot change the journal; the writer set it
        if (!q.exec(QString::fromLatin1(pragma)))
            return Error{QStringLiteral("cannot set up the store %1: %2").arg(path, q.lastError().text())};
    }
    return db;
}

void closeConnection(const QString &connectionName)
{
    {
        QSqlDatabase db = QSqlDatabase::database(connectionName, false);
        if (db.isOpen())
            db.close();
    }
    QSqlDatabase::removeDatabase(connectionName);
}

QString uniqueConnectionName(QStringView purpose)
{
    static std::atomic<int> counter{0};
    return QStringLiteral("sightline-%1-%2").arg(purpose).arg(++counter);
}

Result<QSqlDatabase> openReadConnection(const QString &path, const QString &connectionName)
{
    auto db = openSqliteConnection(path, connectionName, true);
    if (!db)
        return db;
    auto version = schemaVersion(db.value());
    if (!version)
        return Error{version.error()};
    if (version.value() > latestSchemaVersion())
        return Error{QStringLiteral("the store %1 is at schema version %2, newer than this Sightline (%3); "
                                    "use a newer Sightline")
                         .arg(path)
                         .arg(version.value())
                         .arg(latestSchemaVersion())};
    if (version.value() != latestSchemaVersion())
        return Error{QStringLiteral("the store %1 is at schema version %2, this Sightline reads version %3; "
                                    "open it for writing once to migrate it")
                         .arg(path)
                         .arg(version.value())
                         .arg(latestSchemaVersion())};
    return db;
}

} // namespace sightline
