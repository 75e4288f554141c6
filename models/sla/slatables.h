#pragma once

#include "models/result.h"
#include "models/sla/measurement.h"

#include <QList>
#include <QSqlDatabase>

namespace sightline {

// The SLA tables (schema version 7): sla_measurements, one row per measured item, and
// sla_buckets, counts per state and a latency histogram per policy, UTC day, partner and
// warehouse, kept in step with the rows so that dashboards read buckets, never events.
// These functions run inside the store writer's transaction (IngestBatch::writes).
namespace slatables {

constexpr qint64 kDayMs = 24LL * 3600 * 1000;
// The UTC midnight starting the day of ms (the day a measurement's bucket is).
qint64 dayOf(qint64 ms);

// Inserts or updates the measurements, moving each changed one between buckets.
Status write(QSqlDatabase &db, const QList<SlaMeasurement> &measurements);
// Forgets every measurement and bucket (before a recomputation).
Status clear(QSqlDatabase &db);
// Moves open items past their at-risk or due time to at_risk or breached as of nowMs.
Result<int> advanceClock(QSqlDatabase &db, qint64 nowMs);

// The columns readMeasurement expects, in order (prefix them with an alias as needed).
QString measurementColumns(const QString &alias = {});
SlaMeasurement readMeasurement(const class QSqlQuery &q, int first = 0);

} // namespace slatables
} // namespace sightline
