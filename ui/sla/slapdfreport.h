#pragma once

#include "models/sla/slareport.h"

#include <QString>

namespace sightline {

// A printable SLA report (PDF, A4 landscape) for a period: the figures per policy, the charts,
// and the worst offenders (partners and warehouses with most breaches, the most overdue documents).
bool writeSlaPdf(const QString &path, const SlaDashboardData &data, const QList<SlaItem> &worst,
                 qint64 nowMs);

} // namespace sightline
