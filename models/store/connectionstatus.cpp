#include "models/store/connectionstatus.h"

#include "models/store/connection.h"

#include <QSqlError>
#include <QSqlQuery>

namespace sightline {
namespace {

// Opens a read-only connection for one call and closes it afterwards.
class ScopedReader
{
public:
    explicit ScopedReader(const QString &path) : m_name(uniqueConnectionName(u"status-reader"))
    {
        auto db = openStoreConnection(path, m_name, true);
        if (db)
            m_db = db.value();
        else
            m_error = db.error();
    }
    ~ScopedReader()
    {
        m_db = QSqlDatabase();
        closeConnection(m_name);
    }
    ScopedReader(const ScopedReader &) = delete;
    ScopedReader &operator=(const ScopedReader &) = delete;

    const QString &error() const { return m_error; }
    QSqlDatabase &db() { return m_db; }

private:
    QString m_name;
    QSqlDatabase m_db;
    QString m_error;
};

} // namespace

StoreWrite connectionStatusWrite(QList<ConnectionStatusRow> rows)
{
    return [rows = std::move(rows)](QSqlDatabase &db) -> Status {
        QSqlQuery q(db);
        q.prepare(QStringLiteral(
            "INSERT INTO connection_status (connection, state, last_error, last_success_ms, lag_ms, "
            "requests, "
            "errors, retries, events, quarantined, updated_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (connection) DO UPDATE SET state = excluded.state, last_error = "
            "excluded.last_error, "
            "last_success_ms = excluded.last_success_ms, lag_ms = excluded.lag_ms, requests = "
            "excluded.requests, "
            "errors = excluded.errors, retries = excluded.retries, events = excluded.events, "
            "quarantined = excluded.quarantined, updated_ms = excluded.updated_ms"));
        for (const ConnectionStatusRow &r : rows) {
            for (const QVariant &v :
                 {QVariant(r.connection), QVariant(r.state), QVariant(r.lastError), QVariant(r.lastSuccessMs),
                  QVariant(r.lagMs), QVariant(r.requests), QVariant(r.errors), QVariant(r.retries),
                  QVariant(r.events), QVariant(r.quarantined), QVariant(r.updatedMs)})
                q.addBindValue(v);
            if (!q.exec())
                return Error{QStringLiteral("cannot record the status of connection '%1': %2")
                                 .arg(r.connection, q.lastError().text())};
        }
        return {};
    };
}

Result<QList<ConnectionStatusRow>> readConnectionStatus(const QString &storePath)
{
    ScopedReader reader(storePath);
    if (!reader.error().isEmpty())
        return Error{reader.error()};
    QSqlQuery q(reader.db());
    q.setForwardOnly(true);
    if (!q.exec(QStringLiteral(
            "SELECT connection, state, last_error, last_success_ms, lag_ms, requests, errors, "
            "retries, events, quarantined, updated_ms FROM connection_status ORDER BY connection")))
        return Error{QStringLiteral("cannot read connection status: %1").arg(q.lastError().text())};
    QList<ConnectionStatusRow> rows;
    while (q.next()) {
        rows.append({q.value(0).toString(), q.value(1).toString(), q.value(2).toString(),
                     q.value(3).toLongLong(), q.value(4).toLongLong(), q.value(5).toLongLong(),
                     q.value(6).toLongLong(), q.value(7).toLongLong(), q.value(8).toLongLong(),
                     q.value(9).toLongLong(), q.value(10).toLongLong()});
    }
    return rows;
}

Result<QList<CheckpointRow>> readCheckpoints(const QString &storePath)
{
    ScopedReader reader(storePath);
    if (!reader.error().isEmpty())
        return Error{reader.error()};
    QSqlQuery q(reader.db());
    q.setForwardOnly(true);
    if (!q.exec(
            QStringLiteral("SELECT connection, position, updated_ms FROM checkpoints ORDER BY connection")))
        return Error{QStringLiteral("cannot read checkpoints: %1").arg(q.lastError().text())};
    QList<CheckpointRow> rows;
    while (q.next())
        rows.append({q.value(0).toString(), q.value(1).toString(), q.value(2).toLongLong()});
    return rows;
}

} // namespace sightline
