#include "models/exceptions/exceptionqueueloader.h"

#include "models/exceptions/exceptionquery.h"
#include "models/exceptions/exceptionrepository.h"
#include "models/store/connection.h"

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
    const QString name = uniqueConnectionName(u"exceptions-reader");
    if (auto db = openReadConnection(m_path, name); !db) { // checks the schema version
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

void ExceptionQueueLoader::answer(quint64 job, const ExceptionQuery &query, const QList<int> &pageOffsets,
                                  int pageSize)
{
    if (isStale(Kind::Answer, job) || !ensureOpen(job))
        return;
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    // One read transaction: the count and the pages see the same state of the store.
    db.transaction();
    auto total = exceptionqueue::count(db, query.filter, now);
    QList<ExceptionPage> pages;
    for (int offset : pageOffsets) {
        if (!total || offset >= total.value())
            break;
        auto rows = exceptionqueue::page(db, query, offset, pageSize, now);
        if (!rows) {
            total = Error{rows.error()};
            break;
        }
        pages.append({offset, rows.value()});
    }
    db.commit();
    if (!total) {
        Q_EMIT loadFailed(job, total.error());
        return;
    }
    Q_EMIT answered(job, total.value(), pages, now);
}

void ExceptionQueueLoader::loadPage(quint64 job, const ExceptionQuery &query, int offset, int pageSize)
{
    if (!ensureOpen(job))
        return;
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    auto rows = exceptionqueue::page(db, query, offset, pageSize, QDateTime::currentMSecsSinceEpoch());
    if (!rows) {
        Q_EMIT loadFailed(job, rows.error());
        return;
    }
    Q_EMIT pageLoaded(job, {offset, rows.value()});
}

void ExceptionQueueLoader::loadGroups(quint64 job, const ExceptionFilter &filter)
{
    if (isStale(Kind::Groups, job) || !ensureOpen(job))
        return;
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    ExceptionFilter all = filter;
    all.signature.clear();
    auto groups = exceptionqueue::groups(db, all, now);
    auto total = exceptionqueue::count(db, all, now);
    if (!groups || !total) {
        Q_EMIT loadFailed(job, groups ? total.error() : groups.error());
        return;
    }
    Q_EMIT groupsLoaded(job, groups.value(), total.value());
}

void ExceptionQueueLoader::locate(quint64 job, const ExceptionQuery &query, qint64 exceptionId)
{
    if (!ensureOpen(job))
        return;
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    auto row = exceptionqueue::positionOf(db, query, exceptionId, QDateTime::currentMSecsSinceEpoch());
    if (!row) {
        Q_EMIT loadFailed(job, row.error());
        return;
    }
    Q_EMIT located(job, exceptionId, row.value());
}

void ExceptionQueueLoader::countEach(quint64 job, const QList<ExceptionFilter> &filters)
{
    if (isStale(Kind::Counts, job) || !ensureOpen(job))
        return;
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QList<int> counts;
    for (const ExceptionFilter &f : filters) {
        auto n = exceptionqueue::count(db, f, now);
        if (!n) {
            Q_EMIT loadFailed(job, n.error());
            return;
        }
        counts.append(n.value());
    }
    Q_EMIT countsLoaded(job, counts);
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
