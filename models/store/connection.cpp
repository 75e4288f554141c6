#include "models/store/connection.h"

#include "models/secrets/secretref.h"
#include "models/store/schema.h"
#include "models/store/storelocation.h"

#include <QSqlError>
#include <QSqlQuery>
#include <atomic>

namespace sightline {

namespace {

Result<QSqlDatabase> openSqliteFile(const QString &path, const QString &connectionName, bool readOnly)
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

Result<QByteArray> resolvePassword(const StoreLocation &loc)
{
    if (loc.passwordRef.isEmpty())
        return QByteArray();
    auto ref = SecretRef::parse(loc.passwordRef);
    if (!ref)
        return Error{ref.error()};
    auto secret = ref->resolve();
    if (!secret)
        return Error{QStringLiteral("the store's password (%1): %2").arg(ref->describe(), secret.error())};
    return secret->reveal();
}

Status setUpPostgres(QSqlDatabase &db, const StoreLocation &loc, bool readOnly)
{
    QSqlQuery q(db);
    auto run = [&q](const QString &sql) -> Status {
        if (!q.exec(sql))
            return Error{q.lastError().text()};
        return {};
    };
    if (Status s = run(QStringLiteral("SET client_min_messages TO warning")); !s)
        return s;
    if (!loc.schema.isEmpty()) {
        // The schema name is checked to be a plain identifier (StoreLocation::parse).
        if (!readOnly) {
            if (Status s = run(QStringLiteral("CREATE SCHEMA IF NOT EXISTS \"%1\"").arg(loc.schema)); !s)
                return s;
        }
        if (Status s = run(QStringLiteral("SET search_path TO \"%1\"").arg(loc.schema)); !s)
            return s;
    }
    // Searches compare text by code point, as SQLite does: the database must sort in the C locale.
    if (!q.exec(QStringLiteral("SELECT datcollate FROM pg_database WHERE datname = current_database()")) ||
        !q.next())
        return Error{q.lastError().text()};
    const QString collate = q.value(0).toString();
    if (collate != QLatin1String("C") && collate != QLatin1String("POSIX"))
        return Error{
            QStringLiteral("the database %1 sorts text in the %2 locale; Sightline needs the C locale "
                           "(CREATE DATABASE %1 TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' "
                           "LC_CTYPE 'C')")
                .arg(loc.database, collate)};
    return {};
}

Result<QSqlDatabase> openPostgres(const StoreLocation &loc, const QString &connectionName, bool readOnly)
{
    auto password = resolvePassword(loc);
    if (!password)
        return Error{password.error()};
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), connectionName);
    if (!db.isValid())
        return Error{QStringLiteral("the Qt PostgreSQL driver is not available (install libqt6sql6-psql)")};
    db.setHostName(loc.host);
    db.setPort(loc.port);
    db.setUserName(loc.user);
    db.setDatabaseName(loc.database);
    db.setPassword(QString::fromUtf8(password.value()));
    QString options = QStringLiteral("connect_timeout=10;application_name=sightline");
    if (!loc.sslMode.isEmpty())
        options += QStringLiteral(";sslmode=") + loc.sslMode;
    db.setConnectOptions(options);
    auto fail = [&db, &connectionName, &loc](const QString &why) -> Error {
        db = QSqlDatabase();
        QSqlDatabase::removeDatabase(connectionName);
        return Error{QStringLiteral("cannot open the store %1: %2").arg(loc.describe(), why)};
    };
    if (!db.open())
        return fail(db.lastError().text());
    if (Status s = setUpPostgres(db, loc, readOnly); !s)
        return fail(s.error());
    return db;
}

} // namespace

Result<QSqlDatabase> openStoreConnection(const QString &location, const QString &connectionName,
                                         bool readOnly)
{
    auto loc = StoreLocation::parse(location);
    if (!loc)
        return Error{loc.error()};
    if (loc->isPostgreSQL())
        return openPostgres(loc.value(), connectionName, readOnly);
    return openSqliteFile(location, connectionName, readOnly);
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
    auto db = openStoreConnection(path, connectionName, true);
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
