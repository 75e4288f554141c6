#pragma once

#include "models/result.h"
#include "models/sla/slareport.h"

#include <QSet>
#include <QSqlDatabase>
#include <functional>
#include <memory>

namespace sightline {

// Reads what the SLA engine needs (trace events) and what it wrote (measurements, buckets) on its
// own connection; like StoreReader it belongs to the thread that opened it.
class SlaReader
{
public:
    static Result<std::unique_ptr<SlaReader>> open(const QString &path);
    ~SlaReader();
    SlaReader(const SlaReader &) = delete;
    SlaReader &operator=(const SlaReader &) = delete;

    // The events of one trace that carry a milestone.
    Result<QList<SlaEvent>> traceEvents(qint64 traceId);
    // Every trace's milestone events, trace by trace (for a recomputation); visit returns false to stop.
    Status forEachTrace(const std::function<bool(qint64 traceId, QList<SlaEvent> events)> &visit);

    // The largest event row id (0 for an empty store) and the traces of events after a row id.
    Result<qint64> maxEventId();
    Result<QSet<qint64>> tracesWithEventsAfter(qint64 rowId);
    Result<std::optional<QString>> checkpoint(const QString &connection);

    // Measurement rows that started in [filter.fromMs, filter.toMs), optionally of one policy,
    // partner and warehouse.
    Result<QList<SlaMeasurement>> measurements(const SlaFilter &filter);
    // Counts per partner, warehouse and state of one policy's items started in [fromMs, toMs).
    Result<QList<SlaBucket>> stateCounts(const QString &policy, qint64 fromMs, qint64 toMs);
    // Buckets of the days overlapping [fromMs, toMs).
    Result<QList<SlaBucket>> buckets(qint64 fromMs, qint64 toMs);
    // Exceptions first seen in [fromMs, toMs) per rule and partner (the scorecards' ASN accuracy and
    // invoice discrepancies): counts[rule][partner].
    Result<QHash<QString, QHash<QString, qint64>>> exceptionCounts(const QStringList &rules, qint64 fromMs,
                                                                   qint64 toMs);
    // Open at-risk items, least time left first (due time), matching the filter's policy, partner
    // and warehouse.
    Result<QList<SlaItem>> atRisk(const SlaFilter &filter, int limit);
    // The items behind a chart point, bar or row: the filter plus an optional state; the newest
    // first, or (mostOverdueFirst) the ones still open longest past due, then the latest finished.
    Result<QList<SlaItem>> items(const SlaFilter &filter, std::optional<SlaState> state, int limit,
                                 bool mostOverdueFirst = false);

private:
    explicit SlaReader(QString connectionName);
    Result<QList<SlaItem>> readItems(const QString &where, const QVariantList &values, const QString &order,
                                     int limit);

    QString m_connectionName;
    QSqlDatabase m_db;
};

} // namespace sightline
