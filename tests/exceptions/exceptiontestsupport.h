#pragma once

// Shared helpers for the exception suites: CloudEvents in Sightline's profile built as JSON,
// ingested into a real store, and the exceptions read back on a connection of their own.

#include "models/exceptions/exceptionrepository.h"
#include "models/ingest/cloudevents.h"
#include "models/store/connection.h"
#include "models/store/store.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlDatabase>

namespace sightline::test {

inline qint64 at(const char *iso)
{
    return QDateTime::fromString(QString::fromLatin1(iso), Qt::ISODate).toMSecsSinceEpoch();
}

inline QString iso(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODate);
}

struct Ev
{
    QString id;
    QString system;
    QString milestone;
    QString kind;
    QString key;
    qint64 timeMs = 0;
    QJsonArray links{};  // [{"kind","key","relation"}]
    QJsonObject extra{}; // more data fields: lines, message_id, ...
    QString status{};
    QString partner{};
    QString warehouse{};
};

inline QJsonObject link(const QString &kind, const QString &key)
{
    return {{QStringLiteral("kind"), kind},
            {QStringLiteral("key"), key},
            {QStringLiteral("relation"), QStringLiteral("references")}};
}

inline QJsonArray lines(std::initializer_list<QJsonObject> ls)
{
    QJsonArray out;
    for (const QJsonObject &l : ls)
        out.append(l);
    return out;
}

inline QJsonObject line(int n, double quantity, const QString &promised = {}, double price = -1)
{
    QJsonObject l{{QStringLiteral("line"), n}, {QStringLiteral("quantity"), quantity}};
    if (!promised.isEmpty())
        l.insert(QStringLiteral("promised_date"), promised);
    if (price >= 0)
        l.insert(QStringLiteral("unit_price"), price);
    return l;
}

inline QByteArray eventJson(const Ev &e)
{
    QJsonObject data = e.extra;
    QJsonObject document;
    document.insert(QStringLiteral("kind"), e.kind);
    document.insert(QStringLiteral("key"), e.key);
    data.insert(QStringLiteral("document"), document);
    if (!e.links.isEmpty())
        data.insert(QStringLiteral("links"), e.links);
    data.insert(QStringLiteral("system"), e.system);
    data.insert(QStringLiteral("status"), e.status.isEmpty() ? e.milestone : e.status);
    if (!e.partner.isEmpty())
        data.insert(QStringLiteral("partner"), e.partner);
    if (!e.warehouse.isEmpty())
        data.insert(QStringLiteral("warehouse"), e.warehouse);
    const QJsonObject ce{{QStringLiteral("specversion"), QStringLiteral("1.0")},
                         {QStringLiteral("id"), e.id},
                         {QStringLiteral("source"), QString(QStringLiteral("test/") + e.system)},
                         {QStringLiteral("type"), e.milestone},
                         {QStringLiteral("time"), iso(e.timeMs)},
                         {QStringLiteral("data"), data}};
    return QJsonDocument(ce).toJson(QJsonDocument::Compact);
}

// Reads and stores the events (received at their own time plus a minute); false on any problem.
inline bool ingest(Store &store, const QList<Ev> &events)
{
    const CloudEventReader reader(QStringLiteral("test"));
    ParsedInput parsed;
    for (const Ev &e : events)
        reader.readDocument(eventJson(e), e.timeMs + 60000, parsed);
    if (!parsed.quarantined.isEmpty())
        return false;
    IngestBatch batch;
    batch.events = parsed.events;
    return store.ingestAndWait(std::move(batch)).ok();
}

// A connection of the test's own to read what the engine and the actions wrote.
class StoreProbe
{
public:
    explicit StoreProbe(const QString &path) : m_name(uniqueConnectionName(u"probe"))
    {
        m_db = openStoreConnection(path, m_name, false).value();
    }
    ~StoreProbe()
    {
        m_db = QSqlDatabase();
        closeConnection(m_name);
    }
    QSqlDatabase &db() { return m_db; }

    QList<ExceptionItem> all(const ExceptionFilter &f = {}) { return exceptiondb::list(m_db, f, 0).value(); }
    QList<ExceptionItem> byRule(const QString &ruleName)
    {
        QList<ExceptionItem> out;
        for (const ExceptionItem &e : all()) {
            if (e.rule == ruleName)
                out.append(e);
        }
        return out;
    }
    std::optional<ExceptionItem> byKey(const QString &key)
    {
        return exceptiondb::findByConditionKey(m_db, key).value();
    }
    ExceptionItem load(qint64 id) { return exceptiondb::load(m_db, id, true).value().value(); }

private:
    QString m_name;
    QSqlDatabase m_db;
};

} // namespace sightline::test
