#include "models/sla/slatables.h"

#include "models/sla/histogram.h"

#include <QHash>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>
#include <array>

namespace sightline::slatables {
namespace {

struct BucketKey
{
    QString policy;
    qint64 dayMs = 0;
    QString partner;
    QString warehouse;
    bool operator==(const BucketKey &) const = default;
};

size_t qHash(const BucketKey &k, size_t seed = 0)
{
    return qHashMulti(seed, k.policy, k.dayMs, k.partner, k.warehouse);
}

struct BucketDelta
{
    std::array<qint64, 4> states{}; // indexed by SlaState
    LatencyHistogram latencies;
};

using Deltas = QHash<BucketKey, BucketDelta>;

void account(Deltas &deltas, const SlaMeasurement &m, int sign)
{
    BucketDelta &d = deltas[BucketKey{m.policy, dayOf(m.startMs), m.partner, m.warehouse}];
    d.states[static_cast<size_t>(m.state)] += sign;
    if (m.endMs && m.elapsedMs)
        d.latencies.add(std::max<qint64>(*m.elapsedMs, 0), sign);
}

Error sqlError(const QSqlQuery &q, const char *what)
{
    return Error{QStringLiteral("cannot %1 SLA rows: %2").arg(QLatin1String(what), q.lastError().text())};
}

QVariant opt(const std::optional<qint64> &v)
{
    return v ? QVariant(*v) : QVariant(QMetaType(QMetaType::LongLong));
}

std::optional<qint64> optValue(const QVariant &v)
{
    return v.isNull() ? std::nullopt : std::optional<qint64>(v.toLongLong());
}

Result<std::optional<SlaMeasurement>> find(QSqlQuery &q, const QString &policy, qint64 itemId)
{
    q.bindValue(0, policy);
    q.bindValue(1, itemId);
    if (!q.exec())
        return sqlError(q, "read");
    if (!q.next())
        return std::optional<SlaMeasurement>{};
    SlaMeasurement m = readMeasurement(q);
    q.finish();
    return std::optional<SlaMeasurement>{m};
}

// Partner and warehouse are "" when unknown: a null QString would bind as SQL NULL.
QString notNull(const QString &s)
{
    return s.isNull() ? QStringLiteral("") : s;
}

Status upsert(QSqlQuery &q, const SlaMeasurement &m)
{
    const QVariantList values{
        m.policy,  m.itemId,        m.documentId, m.traceId,    notNull(m.partner), notNull(m.warehouse),
        m.startMs, opt(m.atRiskMs), opt(m.dueMs), opt(m.endMs), opt(m.elapsedMs),   slaStateName(m.state)};
    for (int i = 0; i < values.size(); ++i)
        q.bindValue(i, values[i]);
    if (!q.exec())
        return sqlError(q, "write");
    return {};
}

Status applyDeltas(QSqlDatabase &db, const Deltas &deltas)
{
    QSqlQuery read(db);
    read.prepare(QStringLiteral("SELECT open_n, at_risk_n, met_n, breached_n, histogram FROM sla_buckets "
                                "WHERE policy = ? AND day_ms = ? AND partner = ? AND warehouse = ?"));
    QSqlQuery write(db);
    write.prepare(QStringLiteral(
        "INSERT INTO sla_buckets (policy, day_ms, partner, warehouse, open_n, at_risk_n, met_n, breached_n, "
        "histogram) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (policy, day_ms, partner, warehouse) DO "
        "UPDATE "
        "SET open_n = excluded.open_n, at_risk_n = excluded.at_risk_n, met_n = excluded.met_n, "
        "breached_n = excluded.breached_n, histogram = excluded.histogram"));
    for (auto it = deltas.cbegin(); it != deltas.cend(); ++it) {
        const BucketKey &k = it.key();
        const QVariantList key{k.policy, k.dayMs, notNull(k.partner), notNull(k.warehouse)};
        for (int i = 0; i < 4; ++i)
            read.bindValue(i, key[i]);
        if (!read.exec())
            return sqlError(read, "read bucket");
        std::array<qint64, 4> states{};
        LatencyHistogram latencies;
        if (read.next()) {
            for (int i = 0; i < 4; ++i)
                states[static_cast<size_t>(i)] = read.value(i).toLongLong();
            latencies = LatencyHistogram::decode(read.value(4).toByteArray());
        }
        read.finish();
        for (size_t i = 0; i < 4; ++i)
            states[i] += it->states[i];
        latencies.merge(it->latencies);
        for (int i = 0; i < 4; ++i)
            write.bindValue(i, key[i]);
        for (int i = 0; i < 4; ++i)
            write.bindValue(4 + i, states[static_cast<size_t>(i)]);
        write.bindValue(8, latencies.encode());
        if (!write.exec())
            return sqlError(write, "write bucket");
    }
    return {};
}

} // namespace

QString measurementColumns(const QString &alias)
{
    static const QStringList columns{
        QStringLiteral("policy"),   QStringLiteral("item_id"),    QStringLiteral("document_id"),
        QStringLiteral("trace_id"), QStringLiteral("partner"),    QStringLiteral("warehouse"),
        QStringLiteral("start_ms"), QStringLiteral("at_risk_ms"), QStringLiteral("due_ms"),
        QStringLiteral("end_ms"),   QStringLiteral("elapsed_ms"), QStringLiteral("state")};
    if (alias.isEmpty())
        return columns.join(QStringLiteral(", "));
    QStringList prefixed;
    for (const QString &c : columns)
        prefixed.append(alias + u'.' + c);
    return prefixed.join(QStringLiteral(", "));
}

SlaMeasurement readMeasurement(const QSqlQuery &q, int first)
{
    SlaMeasurement m;
    m.policy = q.value(first).toString();
    m.itemId = q.value(first + 1).toLongLong();
    m.documentId = q.value(first + 2).toLongLong();
    m.traceId = q.value(first + 3).toLongLong();
    m.partner = q.value(first + 4).toString();
    m.warehouse = q.value(first + 5).toString();
    m.startMs = q.value(first + 6).toLongLong();
    m.atRiskMs = optValue(q.value(first + 7));
    m.dueMs = optValue(q.value(first + 8));
    m.endMs = optValue(q.value(first + 9));
    m.elapsedMs = optValue(q.value(first + 10));
    m.state = slaStateFromName(q.value(first + 11).toString()).value_or(SlaState::Open);
    return m;
}

qint64 dayOf(qint64 ms)
{
    return ms >= 0 ? ms / kDayMs * kDayMs : ((ms - kDayMs + 1) / kDayMs) * kDayMs;
}

Status write(QSqlDatabase &db, const QList<SlaMeasurement> &measurements)
{
    QSqlQuery read(db);
    read.prepare(QStringLiteral("SELECT %1 FROM sla_measurements WHERE policy = ? AND item_id = ?")
                     .arg(measurementColumns()));
    QSqlQuery write(db);
    write.prepare(
        QStringLiteral("INSERT INTO sla_measurements (%1) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                       "ON CONFLICT (policy, item_id) DO UPDATE SET document_id = excluded.document_id, "
                       "trace_id = excluded.trace_id, partner = excluded.partner, "
                       "warehouse = excluded.warehouse, start_ms = excluded.start_ms, "
                       "at_risk_ms = excluded.at_risk_ms, due_ms = excluded.due_ms, "
                       "end_ms = excluded.end_ms, elapsed_ms = excluded.elapsed_ms, state = excluded.state")
            .arg(measurementColumns()));
    Deltas deltas;
    for (const SlaMeasurement &m : measurements) {
        auto old = find(read, m.policy, m.itemId);
        if (!old)
            return Error{old.error()};
        if (old.value() && *old.value() == m)
            continue;
        if (old.value())
            account(deltas, *old.value(), -1);
        if (Status s = upsert(write, m); !s)
            return s;
        account(deltas, m, +1);
    }
    return applyDeltas(db, deltas);
}

Status clear(QSqlDatabase &db)
{
    QSqlQuery q(db);
    for (const char *sql : {"DELETE FROM sla_measurements", "DELETE FROM sla_buckets"}) {
        if (!q.exec(QString::fromLatin1(sql)))
            return sqlError(q, "clear");
    }
    return {};
}

Result<int> advanceClock(QSqlDatabase &db, qint64 nowMs)
{
    QSqlQuery q(db);
    q.setForwardOnly(true);
    QList<SlaMeasurement> changed;
    const QString cols = measurementColumns();
    for (const QString &sql :
         {QStringLiteral("SELECT %1 FROM sla_measurements WHERE state = 'open' AND at_risk_ms <= ?")
              .arg(cols),
          QStringLiteral("SELECT %1 FROM sla_measurements WHERE state = 'at_risk' AND due_ms < ?")
              .arg(cols)}) {
        q.prepare(sql);
        q.addBindValue(nowMs);
        if (!q.exec())
            return sqlError(q, "read open");
        while (q.next()) {
            SlaMeasurement m = readMeasurement(q);
            const SlaState next = openStateAt(m, nowMs);
            if (next != m.state) {
                m.state = next;
                changed.append(m);
            }
        }
        q.finish(); // PostgreSQL: a forward-only result is done with before the next statement
    }
    if (Status s = write(db, changed); !s)
        return Error{s.error()};
    return static_cast<int>(changed.size());
}

} // namespace sightline::slatables
