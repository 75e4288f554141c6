#pragma once

#include "models/sla/slareport.h"

class QChart;

namespace sightline {

// The SLA charts, built from a dashboard snapshot. Each chart is new; the caller owns it.
namespace slacharts {

// On-time % per day, one line per policy (series named after the policy).
QChart *onTime(const SlaDashboardData &data);
// Breached and at-risk counts per name (partner or warehouse), most first, at most maxBars bars;
// bar sets are named "breached" and "at risk".
QChart *counts(const QList<SlaCount> &counts, const QString &title, int maxBars = 10);
// p50, p90 and p95 latency per policy (leg), in hours.
QChart *percentiles(const QList<SlaSummary> &summaries);

// Colours the charts with the console's theme.
void applyTheme(QChart *chart);

} // namespace slacharts
} // namespace sightline
