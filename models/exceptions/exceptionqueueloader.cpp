#include "models/exceptions/exceptionqueueloader.h"

#include "models/exceptions/exceptionrepository.h"
#include "models/store/connection.h"
#include "models/store/storereader.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>

namespace sightline {

ExceptionQueueLoader::ExceptionQueueLoader(QString storePath) : m_path(std::move(storePath)) {}

QString ExceptionQueueLoader::readablePayload(const QByteArray &raw)
{
    const QJsonDocument doc = QJsonDocument::fromJson(raw);
    return doc.isNull() ? QString::fromUtf8(raw) : QString::fromUtf8(doc.toJson(QJsonDocument::Indented));
}

ExceptionQueueLoader::~ExceptionQueueLoader()
{
    if (!m_connectionName.isEmpty())
        closeConnection(m_connectionName);
}

bool ExceptionQueueLoader::ensureOpen(quint64 job)
{
    if (!m_connectionName.isEmpty())
        return true;
    if (auto reader = StoreReader::open(m_path); !reader) { // checks the schema version
        Q_EMIT loadFailed(job, reader.error());
        return false;
    }
    const QString name = uniqueConnectionName(u"exceptions-reader");
    if (auto db = openSqliteConnection(m_path, name, true); !db) {
        Q_EMIT loadFailed(job, db.error());
        return false;
    }
    m_connectionName = name;
    return true;
}

void ExceptionQueueLoader::load(quint64 job, const ExceptionFilter &filter)
{
    if (!ensureOpen(job))
        return;
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    auto items = exceptiondb::list(db, filter, now);
    if (!items) {
        Q_EMIT loadFailed(job, items.error());
        return;
    }
    Q_EMIT loaded(job, items.value(), now);
}

void ExceptionQueueLoader::loadDetail(quint64 job, qint64 exceptionId)
{
    if (!ensureOpen(job))
        return;
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    auto item = exceptiondb::load(db, exceptionId, true);
    if (!item || !item->has_value()) {
        Q_EMIT loadFailed(job, item ? QStringLiteral("exception %1 is gone").arg(exceptionId) : item.error());
        return;
    }
    const ExceptionItem &e = *item.value();
    QSqlQuery q(db);
    q.setForwardOnly(true);
    if (e.eventRowId) {
        q.prepare(QStringLiteral("SELECT raw FROM events WHERE id = ?"));
        q.addBindValue(e.eventRowId);
    } else {
        q.prepare(QStringLiteral("SELECT raw FROM quarantine WHERE id = ?"));
        q.addBindValue(e.quarantineId);
    }
    QByteArray payload;
    if (q.exec() && q.next())
        payload = q.value(0).toByteArray();
    Q_EMIT detailLoaded(job, e, payload);
}

void ExceptionQueueLoader::loadAudit(quint64 job)
{
    if (!ensureOpen(job))
        return;
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    auto entries = readAudit(db);
    auto verification = verifyAudit(db);
    if (!entries || !verification) {
        Q_EMIT loadFailed(job, entries ? verification.error() : entries.error());
        return;
    }
    Q_EMIT auditLoaded(job, entries.value(), verification.value());
}

} // namespace sightline
