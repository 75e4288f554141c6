#include "models/sla/slareport.h"

#include <QHash>
#include <QSet>
#include <algorithm>

namespace sightline {
namespace {

void count(SlaSummary &s, SlaState state, qint64 n)
{
    s.measured += n;
    switch (state) {
    case SlaState::Open:
        s.open += n;
        break;
    case SlaState::AtRisk:
        s.atRisk += n;
        break;
    case SlaState::Met:
        s.met += n;
        break;
    case SlaState::Breached:
        s.breached += n;
        break;
    }
}

bool bucketMatches(const SlaFilter &f, const SlaBucket &b)
{
    return (f.policy.isEmpty() || f.policy == b.policy) && (f.partner.isEmpty() || f.partner == b.partner) &&
           (f.warehouse.isEmpty() || f.warehouse == b.warehouse);
}

QList<SlaCount> sortedCounts(const QHash<QString, SlaCount> &counts)
{
    QList<SlaCount> out = counts.values();
    std::sort(out.begin(), out.end(), [](const SlaCount &a, const SlaCount &b) {
        if (a.breached + a.atRisk != b.breached + b.atRisk)
            return a.breached + a.atRisk > b.breached + b.atRisk;
        return a.name < b.name;
    });
    return out;
}

double percent(qint64 part, qint64 whole)
{
    return whole > 0 ? 100.0 * static_cast<double>(part) / static_cast<double>(whole) : -1;
}

QList<SupplierScore> scorecards(const QList<SlaBucket> &buckets, const SlaFilter &filter,
                                const SupplierExceptionCounts &exceptions, const ScorecardPolicies &names)
{
    struct Acc
    {
        SlaSummary ack, asn, completeness, invoice;
        LatencyHistogram ackLatency;
    };
    QMap<QString, Acc> bySupplier;
    for (const SlaBucket &b : buckets) {
        if (b.partner.isEmpty() || !bucketMatches(SlaFilter{0, 0, {}, filter.partner, filter.warehouse}, b))
            continue;
        SlaSummary *s = b.policy == names.acknowledgment ? &bySupplier[b.partner].ack
                        : b.policy == names.asn          ? &bySupplier[b.partner].asn
                        : b.policy == names.invoice      ? &bySupplier[b.partner].invoice
                        : b.policy == names.completeness ? &bySupplier[b.partner].completeness
                                                         : nullptr;
        if (!s)
            continue;
        s->met += b.met;
        s->breached += b.breached;
        s->measured += b.open + b.atRisk + b.met + b.breached;
        if (b.policy == names.acknowledgment)
            bySupplier[b.partner].ackLatency.merge(b.latencies);
    }
    QList<SupplierScore> out;
    for (auto it = bySupplier.cbegin(); it != bySupplier.cend(); ++it) {
        if (it->ack.measured == 0 && it->asn.measured == 0 && it->invoice.measured == 0 &&
            it->completeness.measured == 0)
            continue;
        SupplierScore s;
        s.supplier = it.key();
        s.acknowledged = it->ack.met + it->ack.breached;
        s.ackP50Ms = it->ackLatency.percentile(50);
        s.ackOnTimePercent = it->ack.onTimePercent();
        s.asnMeasured = it->asn.met + it->asn.breached;
        s.asnOnTimePercent = it->asn.onTimePercent();
        s.invoices = it->invoice.measured;
        s.invoiceMismatches = std::min(exceptions.invoiceMismatches.value(it.key()), s.invoices);
        s.invoiceDiscrepancyPercent = percent(s.invoiceMismatches, s.invoices);
        s.receipts = it->completeness.met + it->completeness.breached;
        s.asnCompletePercent = it->completeness.onTimePercent();
        s.asnMismatches = std::min(exceptions.asnMismatches.value(it.key()), it->asn.measured);
        s.asnAccuratePercent = percent(it->asn.measured - s.asnMismatches, it->asn.measured);
        out.append(s);
    }
    return out;
}

} // namespace

double SlaSummary::onTimePercent() const
{
    return percent(met, met + breached);
}

QList<SlaSummary> summarize(const QList<SlaMeasurement> &measurements, const QStringList &policyOrder)
{
    QHash<QString, SlaSummary> by;
    QHash<QString, QList<qint64>> latencies;
    for (const SlaMeasurement &m : measurements) {
        SlaSummary &s = by[m.policy];
        s.policy = m.policy;
        count(s, m.state, 1);
        if (m.endMs && m.elapsedMs)
            latencies[m.policy].append(*m.elapsedMs);
    }
    QList<SlaSummary> out;
    for (const QString &name : policyOrder) {
        SlaSummary s = by.value(name);
        s.policy = name;
        QList<qint64> &l = latencies[name];
        std::sort(l.begin(), l.end());
        s.p50Ms = exactPercentile(l, 50);
        s.p90Ms = exactPercentile(l, 90);
        s.p95Ms = exactPercentile(l, 95);
        out.append(s);
    }
    return out;
}

void trimDayBuckets(QList<SlaBucket> &buckets, qint64 dayMs, const QString &policy,
                    const QList<SlaBucket> &partCounts, EdgePart part)
{
    QHash<QString, const SlaBucket *> counts;
    const auto key = [](const SlaBucket &b) -> QString {
        return b.partner + QChar(0x1f) + b.warehouse;
    };
    for (const SlaBucket &c : partCounts)
        counts.insert(key(c), &c);
    const SlaBucket none;
    for (SlaBucket &b : buckets) {
        if (b.dayMs != dayMs || b.policy != policy)
            continue;
        const SlaBucket &c = *counts.value(key(b), &none);
        const auto apply = [part](qint64 &n, qint64 partN) {
            n = part == EdgePart::Inside ? partN : std::max<qint64>(n - partN, 0);
        };
        apply(b.open, c.open);
        apply(b.atRisk, c.atRisk);
        apply(b.met, c.met);
        apply(b.breached, c.breached);
    }
}

SlaDashboardData buildDashboard(const SlaFilter &filter, const QList<SlaBucket> &buckets,
                                const QStringList &policyOrder, const SupplierExceptionCounts &exceptions,
                                const ScorecardPolicies &scorecard)
{
    SlaDashboardData d;
    d.filter = filter;
    QHash<QString, SlaSummary> summaries;
    QHash<QString, LatencyHistogram> latencies;
    QHash<QString, QMap<qint64, std::pair<qint64, qint64>>> daily; // met, decided
    QHash<QString, SlaCount> partners, warehouses;
    QSet<QString> partnerNames, warehouseNames;
    for (const SlaBucket &b : buckets) {
        partnerNames.insert(b.partner);
        warehouseNames.insert(b.warehouse);
        if (!bucketMatches(filter, b))
            continue;
        SlaSummary &s = summaries[b.policy];
        count(s, SlaState::Open, b.open);
        count(s, SlaState::AtRisk, b.atRisk);
        count(s, SlaState::Met, b.met);
        count(s, SlaState::Breached, b.breached);
        latencies[b.policy].merge(b.latencies);
        auto &day = daily[b.policy][b.dayMs];
        day.first += b.met;
        day.second += b.met + b.breached;
        const auto add = [&b](SlaCount &c, const QString &name) {
            c.name = name;
            c.breached += b.breached;
            c.atRisk += b.atRisk;
            c.measured += b.open + b.atRisk + b.met + b.breached;
        };
        add(partners[b.partner], b.partner);
        add(warehouses[b.warehouse], b.warehouse);
    }
    for (const QString &name : policyOrder) {
        if (!filter.policy.isEmpty() && filter.policy != name)
            continue;
        SlaSummary s = summaries.value(name);
        s.policy = name;
        const LatencyHistogram &h = latencies[name];
        s.p50Ms = h.percentile(50);
        s.p90Ms = h.percentile(90);
        s.p95Ms = h.percentile(95);
        d.summaries.append(s);
        QList<SlaPoint> points;
        const auto &days = daily[name];
        for (auto it = days.cbegin(); it != days.cend(); ++it) {
            if (it->second > 0)
                points.append({it.key(), percent(it->first, it->second), it->second});
        }
        d.onTime.insert(name, points);
    }
    d.byPartner = sortedCounts(partners);
    d.byWarehouse = sortedCounts(warehouses);
    d.suppliers = scorecards(buckets, filter, exceptions, scorecard);
    d.partners = QStringList(partnerNames.begin(), partnerNames.end());
    d.partners.removeAll(QString());
    d.partners.sort();
    d.warehouses = QStringList(warehouseNames.begin(), warehouseNames.end());
    d.warehouses.removeAll(QString());
    d.warehouses.sort();
    return d;
}

} // namespace sightline
