#include "models/sla/slareader.h"

#include "models/sla/slatables.h"
#include "models/store/connection.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

namespace sightline {
namespace {

Error readError(const QSqlQuery &q, const char *what)
{
    return Error{
        QStringLiteral("cannot read %1 from the store: %2").arg(QLatin1String(what), q.lastError().text())};
}

const char *const kEventColumns =
    "e.id, e.document_id, d.kind, e.milestone, e.partner, e.warehouse, e.occurred_ms, e.received_ms, "
    "e.occurred_estimated";

SlaEvent readEvent(const QSqlQuery &q)
{
    SlaEvent e;
    e.rowId = q.value(0).toLongLong();
    e.documentId = q.value(1).toLongLong();
    e.documentKind = q.value(2).toString();
    e.milestone = q.value(3).toString();
    e.partner = q.value(4).toString();
    e.warehouse = q.value(5).toString();
    e.occurredMs = q.value(6).toLongLong();
    e.receivedMs = q.value(7).toLongLong();
    e.occurredEstimated = q.value(8).toInt() != 0;
    return e;
}

// The filter as a WHERE clause over sla_measurements (alias m) with its values.
std::pair<QString, QVariantList> whereOf(const SlaFilter &f)
{
    QStringList clauses;
    QVariantList values;
    const auto add = [&](const char *clause, const QVariant &v) {
        clauses.append(QString::fromLatin1(clause));
        values.append(v);
    };
    if (!f.policy.isEmpty())
        add("m.policy = ?", f.policy);
    if (f.toMs > f.fromMs) {
        add("m.start_ms >= ?", f.fromMs);
        add("m.start_ms < ?", f.toMs);
    }
    if (!f.partner.isEmpty())
        add("m.partner = ?", f.partner);
    if (!f.warehouse.isEmpty())
        add("m.warehouse = ?", f.warehouse);
    return {clauses.isEmpty() ? QStringLiteral("1 = 1") : clauses.join(QStringLiteral(" AND ")), values};
}

} // namespace

SlaReader::SlaReader(QString connectionName) : m_connectionName(std::move(connectionName)) {}

SlaReader::~SlaReader()
{
    m_db = QSqlDatabase();
    closeConnection(m_connectionName);
}

Result<std::unique_ptr<SlaReader>> SlaReader::open(const QString &path)
{
    std::unique_ptr<SlaReader> reader(new SlaReader(uniqueConnectionName(u"sla-reader")));
    auto db = openReadConnection(path, reader->m_connectionName);
    if (!db)
        return Error{db.error()};
    reader->m_db = db.value();
    return reader;
}

Result<QList<SlaEvent>> SlaReader::traceEvents(qint64 traceId)
{
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT %1 FROM documents d JOIN events e ON e.document_id = d.id "
                             "WHERE d.trace_id = ? AND e.milestone IS NOT NULL")
                  .arg(QLatin1String(kEventColumns)));
    q.addBindValue(traceId);
    if (!q.exec())
        return readError(q, "trace events");
    QList<SlaEvent> out;
    while (q.next())
        out.append(readEvent(q));
    return out;
}

Status SlaReader::forEachTrace(const std::function<bool(qint64, QList<SlaEvent>)> &visit)
{
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    if (!q.exec(QStringLiteral("SELECT %1, d.trace_id FROM documents d JOIN events e ON e.document_id = d.id "
                               "WHERE e.milestone IS NOT NULL ORDER BY d.trace_id")
                    .arg(QLatin1String(kEventColumns))))
        return readError(q, "events");
    qint64 current = -1;
    QList<SlaEvent> events;
    while (q.next()) {
        const qint64 trace = q.value(9).toLongLong();
        if (trace != current && !events.isEmpty()) {
            if (!visit(current, std::exchange(events, {})))
                return {};
        }
        current = trace;
        events.append(readEvent(q));
    }
    if (!events.isEmpty())
        visit(current, events);
    return {};
}

Result<qint64> SlaReader::maxEventId()
{
    QSqlQuery q(m_db);
    if (!q.exec(QStringLiteral("SELECT MAX(id) FROM events")))
        return readError(q, "events");
    return q.next() ? q.value(0).toLongLong() : 0;
}

Result<QSet<qint64>> SlaReader::tracesWithEventsAfter(qint64 rowId)
{
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    q.prepare(
        QStringLiteral("SELECT DISTINCT d.trace_id FROM events e JOIN documents d ON d.id = e.document_id "
                       "WHERE e.id > ?"));
    q.addBindValue(rowId);
    if (!q.exec())
        return readError(q, "new events");
    QSet<qint64> out;
    while (q.next())
        out.insert(q.value(0).toLongLong());
    return out;
}

Result<std::optional<QString>> SlaReader::checkpoint(const QString &connection)
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT position FROM checkpoints WHERE connection = ?"));
    q.addBindValue(connection);
    if (!q.exec())
        return readError(q, "checkpoint");
    if (!q.next())
        return std::optional<QString>{};
    return std::optional<QString>{q.value(0).toString()};
}

Result<QList<SlaMeasurement>> SlaReader::measurements(const SlaFilter &filter)
{
    const auto [where, values] = whereOf(filter);
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT %1 FROM sla_measurements m WHERE %2")
                  .arg(slatables::measurementColumns(QStringLiteral("m")), where));
    for (const QVariant &v : values)
        q.addBindValue(v);
    if (!q.exec())
        return readError(q, "SLA measurements");
    QList<SlaMeasurement> out;
    while (q.next())
        out.append(slatables::readMeasurement(q));
    return out;
}

Result<QHash<QString, QHash<QString, qint64>>> SlaReader::exceptionCounts(const QStringList &rules,
                                                                          qint64 fromMs, qint64 toMs)
{
    QHash<QString, QHash<QString, qint64>> out;
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT partner, COUNT(*) FROM exceptions WHERE rule = ? AND first_seen_ms >= ? "
                             "AND first_seen_ms < ? AND partner IS NOT NULL GROUP BY partner"));
    for (const QString &rule : rules) {
        q.addBindValue(rule);
        q.addBindValue(fromMs);
        q.addBindValue(toMs);
        if (!q.exec())
            return readError(q, "exceptions per partner");
        while (q.next())
            out[rule].insert(q.value(0).toString(), q.value(1).toLongLong());
    }
    return out;
}

Result<QList<SlaBucket>> SlaReader::stateCounts(const QString &policy, qint64 fromMs, qint64 toMs)
{
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    q.prepare(
        QStringLiteral("SELECT partner, warehouse, state, COUNT(*) FROM sla_measurements WHERE policy = ? "
                       "AND start_ms >= ? AND start_ms < ? GROUP BY partner, warehouse, state"));
    q.addBindValue(policy);
    q.addBindValue(fromMs);
    q.addBindValue(toMs);
    if (!q.exec())
        return readError(q, "SLA counts");
    QHash<QString, SlaBucket> by;
    while (q.next()) {
        SlaBucket &b = by[q.value(0).toString() + QChar(0x1f) + q.value(1).toString()];
        b.policy = policy;
        b.partner = q.value(0).toString();
        b.warehouse = q.value(1).toString();
        const qint64 n = q.value(3).toLongLong();
        switch (slaStateFromName(q.value(2).toString()).value_or(SlaState::Open)) {
        case SlaState::Open:
            b.open += n;
            break;
        case SlaState::AtRisk:
            b.atRisk += n;
            break;
        case SlaState::Met:
            b.met += n;
            break;
        case SlaState::Breached:
            b.breached += n;
            break;
        }
    }
    return by.values();
}

Result<QList<SlaBucket>> SlaReader::buckets(qint64 fromMs, qint64 toMs)
{
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    q.prepare(
        QStringLiteral("SELECT policy, day_ms, partner, warehouse, open_n, at_risk_n, met_n, breached_n, "
                       "histogram FROM sla_buckets WHERE day_ms > ? AND day_ms < ?"));
    q.addBindValue(fromMs - slatables::kDayMs);
    q.addBindValue(toMs);
    if (!q.exec())
        return readError(q, "SLA buckets");
    QList<SlaBucket> out;
    while (q.next()) {
        SlaBucket b;
        b.policy = q.value(0).toString();
        b.dayMs = q.value(1).toLongLong();
        b.partner = q.value(2).toString();
        b.warehouse = q.value(3).toString();
        b.open = q.value(4).toLongLong();
        b.atRisk = q.value(5).toLongLong();
        b.met = q.value(6).toLongLong();
        b.breached = q.value(7).toLongLong();
        b.latencies = LatencyHistogram::decode(q.value(8).toByteArray());
        out.append(b);
    }
    return out;
}

Result<QList<SlaItem>> SlaReader::readItems(const QString &where, const QVariantList &values,
                                            const QString &order, int limit)
{
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT %1, d.kind, d.doc_key FROM sla_measurements m "
                             "LEFT JOIN documents d ON d.id = m.document_id WHERE %2 ORDER BY %3 LIMIT ?")
                  .arg(slatables::measurementColumns(QStringLiteral("m")), where, order));
    for (const QVariant &v : values)
        q.addBindValue(v);
    q.addBindValue(limit);
    if (!q.exec())
        return readError(q, "SLA items");
    QList<SlaItem> out;
    while (q.next())
        out.append({slatables::readMeasurement(q), q.value(12).toString(), q.value(13).toString()});
    return out;
}

Result<QList<SlaItem>> SlaReader::atRisk(const SlaFilter &filter, int limit)
{
    SlaFilter f = filter;
    f.fromMs = f.toMs = 0; // at risk now, whenever it started
    auto [where, values] = whereOf(f);
    return readItems(QStringLiteral("m.state = 'at_risk' AND ") + where, values, QStringLiteral("m.due_ms"),
                     limit);
}

Result<QList<SlaItem>> SlaReader::items(const SlaFilter &filter, std::optional<SlaState> state, int limit,
                                        bool mostOverdueFirst)
{
    auto [where, values] = whereOf(filter);
    if (state) {
        where += QStringLiteral(" AND m.state = ?");
        values.append(slaStateName(*state));
    }
    return readItems(where, values,
                     mostOverdueFirst ? QStringLiteral("m.end_ms IS NOT NULL, m.due_ms, m.elapsed_ms DESC")
                                      : QStringLiteral("m.start_ms DESC"),
                     limit);
}

} // namespace sightline
