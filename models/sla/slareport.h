#pragma once

#include "models/sla/histogram.h"
#include "models/sla/measurement.h"

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QMap>
#include <QString>

namespace sightline {

// What the dashboards and the CLI filter by. Empty strings match everything.
struct SlaFilter
{
    qint64 fromMs = 0; // start times in [fromMs, toMs)
    qint64 toMs = 0;
    QString policy;
    QString partner;
    QString warehouse;
};

// One policy's figures over a period.
struct SlaSummary
{
    QString policy;
    qint64 measured = 0;
    qint64 open = 0;
    qint64 atRisk = 0;
    qint64 met = 0;
    qint64 breached = 0;
    qint64 p50Ms = 0; // latency of completed items, in the policy's own time
    qint64 p90Ms = 0;
    qint64 p95Ms = 0;

    // met / (met + breached), in per cent; -1 when nothing is decided yet.
    double onTimePercent() const;
};

// Exact figures from measurement rows (the CLI), one per policy, in the order of policyOrder.
QList<SlaSummary> summarize(const QList<SlaMeasurement> &measurements, const QStringList &policyOrder);

// One pre-aggregated bucket: a policy's items that started on one UTC day for one partner and
// warehouse.
struct SlaBucket
{
    QString policy;
    qint64 dayMs = 0;
    QString partner;
    QString warehouse;
    qint64 open = 0;
    qint64 atRisk = 0;
    qint64 met = 0;
    qint64 breached = 0;
    LatencyHistogram latencies;
};

// A count of breached and at-risk items under one name (a partner, a warehouse).
struct SlaCount
{
    QString name;
    qint64 breached = 0;
    qint64 atRisk = 0;
    qint64 measured = 0;
};

// One day's on-time percentage of a policy.
struct SlaPoint
{
    qint64 dayMs = 0;
    double onTimePercent = 0;
    qint64 decided = 0;
};

// A supplier's scorecard.
struct SupplierScore
{
    QString supplier;
    qint64 acknowledged = 0;
    qint64 ackP50Ms = 0;
    double ackOnTimePercent = -1;
    qint64 asnMeasured = 0;
    double asnOnTimePercent = -1; // ASNs that came at least the target before the receipt
    qint64 invoices = 0;
    double invoiceDiscrepancyPercent = -1; // invoices with a price or quantity mismatch exception
    qint64 receipts = 0;
    double asnCompletePercent = -1; // receipts that had an ASN before them
    qint64 asnMismatches = 0;
    double asnAccuratePercent = -1; // ASNs without a quantity mismatch against their PO
    qint64 invoiceMismatches = 0;
};

// An item behind a chart point, bar or row.
struct SlaItem
{
    SlaMeasurement measurement;
    QString documentKind;
    QString documentKey;
};

// Everything one dashboard refresh shows, from buckets and the at-risk index only.
struct SlaDashboardData
{
    SlaFilter filter;
    QList<SlaSummary> summaries;           // per policy (percentiles from histograms)
    QMap<QString, QList<SlaPoint>> onTime; // per policy, by day
    QList<SlaCount> byPartner;             // most breaches first
    QList<SlaCount> byWarehouse;
    QList<SupplierScore> suppliers;
    QList<SlaItem> atRisk; // least time left first
    QStringList partners;  // every partner and warehouse in the period, for the filters
    QStringList warehouses;
};

// Names of the policies the scorecards read.
struct ScorecardPolicies
{
    QString acknowledgment = QStringLiteral("PO acknowledgment");
    QString asn = QStringLiteral("ASN before arrival");
    QString completeness = QStringLiteral("ASN completeness");
    QString invoice = QStringLiteral("Invoice match");
};

// Exceptions per supplier in the period, for ASN accuracy and invoice discrepancies.
struct SupplierExceptionCounts
{
    QHash<QString, qint64> asnMismatches;     // asn_quantity exceptions
    QHash<QString, qint64> invoiceMismatches; // invoice_mismatch exceptions
};

// Dashboards read whole-day buckets; an edge day of a period counts only part of its items. With
// the counts of one part of the day (per partner and warehouse, from the measurement rows):
// Inside keeps just those, Outside takes them away. Latency histograms keep the whole day (their
// percentiles are approximate by design).
enum class EdgePart { Inside, Outside };
void trimDayBuckets(QList<SlaBucket> &buckets, qint64 dayMs, const QString &policy,
                    const QList<SlaBucket> &partCounts, EdgePart part);

// Builds the dashboard from buckets (already restricted to the period's days).
SlaDashboardData buildDashboard(const SlaFilter &filter, const QList<SlaBucket> &buckets,
                                const QStringList &policyOrder,
                                const SupplierExceptionCounts &exceptions = {},
                                const ScorecardPolicies &scorecard = {});

} // namespace sightline
