#include "models/trace/traceassessment.h"

#include "models/domain/milestone.h"
#include "models/export/traceexport.h"

#include <QHash>

namespace sightline {
namespace {

constexpr qint64 hour = 60 * 60 * 1000;

ExpectedFlow makeFlow(DocumentKind root, QString name, QList<ExpectedStep> steps, QStringList terminal)
{
    ExpectedFlow flow{root, std::move(name), {}, std::move(steps), std::move(terminal)};
    flow.milestones.append(flow.steps.front().after);
    for (const ExpectedStep &s : std::as_const(flow.steps))
        flow.milestones.append(s.expected);
    return flow;
}

QString ms(const char16_t *name)
{
    return QString::fromUtf16(name);
}

// The index of each milestone of the flow, -1 for milestones outside it.
int rankIn(const ExpectedFlow &flow, const QString &milestoneName)
{
    return static_cast<int>(flow.milestones.indexOf(milestoneName));
}

bool flowPresent(const ExpectedFlow &flow, const Trace &trace)
{
    for (const TraceEvent &e : trace.events) {
        if (rankIn(flow, e.milestone) >= 0)
            return true;
    }
    return false;
}

void assessFlow(const ExpectedFlow &flow, const Trace &trace, qint64 nowMs, TraceAssessment &out)
{
    // The first occurrence of each milestone of the flow, and whether the flow ended early.
    QList<const TraceEvent *> reached(flow.milestones.size(), nullptr);
    for (const TraceEvent &e : trace.events) {
        if (flow.terminal.contains(e.milestone))
            return;
        const int rank = rankIn(flow, e.milestone);
        if (rank >= 0 && !reached[rank])
            reached[rank] = &e;
    }
    int last = -1;
    for (int i = 0; i < reached.size(); ++i) {
        if (reached[i])
            last = i;
    }
    if (last < 0)
        return;
    for (int i = 1; i < last; ++i) {
        if (reached[i])
            continue;
        int before = i - 1;
        while (before >= 0 && !reached[before])
            --before;
        const TraceEvent *anchor = before >= 0 ? reached[before] : reached[last];
        MilestoneGap gap{flow.name,
                         before >= 0 ? flow.milestones[before] : QString(),
                         flow.milestones[i],
                         flow.steps[i - 1].system,
                         anchor->documentId,
                         anchor->occurredMs,
                         anchor->occurredMs + flow.steps[i - 1].targetMs,
                         GapSeverity::AtRisk,
                         true};
        out.gaps.append(gap);
    }
    if (last + 1 >= flow.milestones.size())
        return;
    const ExpectedStep &step = flow.steps[last];
    const TraceEvent *anchor = reached[last];
    const qint64 elapsed = nowMs - anchor->occurredMs;
    GapSeverity severity = GapSeverity::Pending;
    if (elapsed > step.targetMs)
        severity = GapSeverity::Breached;
    else if (elapsed * 5 > step.targetMs * 4)
        severity = GapSeverity::AtRisk;
    out.gaps.append({flow.name, step.after, step.expected, step.system, anchor->documentId,
                     anchor->occurredMs, anchor->occurredMs + step.targetMs, severity, false});
}

// The system that normally reports the milestone at rank.
QString ownerOf(const ExpectedFlow &flow, int rank)
{
    return rank == 0 ? flow.steps.front().system : flow.steps[rank - 1].system;
}

// Per document and system, the event with the furthest milestone in any flow.
struct Position
{
    const TraceEvent *event = nullptr;
    int rank = -1;
};

void assessConflicts(const Trace &trace, qint64 nowMs, TraceAssessment &out)
{
    for (const ExpectedFlow &flow : expectedFlows()) {
        QHash<qint64, QHash<QString, Position>> latest; // document -> system -> furthest
        QList<qint64> documentOrder;
        QHash<qint64, QStringList> systemOrder;
        for (const TraceEvent &e : trace.events) {
            const int rank = rankIn(flow, e.milestone);
            if (rank < 0 || e.system.isEmpty())
                continue;
            if (!latest.contains(e.documentId))
                documentOrder.append(e.documentId);
            Position &p = latest[e.documentId][e.system];
            if (!p.event)
                systemOrder[e.documentId].append(e.system);
            if (rank >= p.rank)
                p = {&e, rank};
        }
        for (qint64 documentId : std::as_const(documentOrder)) {
            const auto &systems = latest[documentId];
            const QStringList &order = systemOrder[documentId];
            for (const QString &aheadSystem : order) {
                const Position ahead = systems[aheadSystem];
                for (const QString &behindSystem : order) {
                    const Position behind = systems[behindSystem];
                    if (behind.rank >= ahead.rank || behind.event->occurredMs > ahead.event->occurredMs)
                        continue;
                    // Only a system that mirrors another's milestones is expected to keep up.
                    if (ownerOf(flow, behind.rank) == behindSystem)
                        continue;
                    if (nowMs - ahead.event->occurredMs < conflictGraceMs)
                        continue;
                    out.conflicts.append({documentId, aheadSystem, ahead.event->milestone,
                                          ahead.event->status, ahead.event->rowId, behindSystem,
                                          behind.event->milestone, behind.event->status, behind.event->rowId,
                                          ahead.event->occurredMs});
                }
            }
        }
    }
}

} // namespace

const QList<ExpectedFlow> &expectedFlows()
{
    static const QList<ExpectedFlow> flows{
        makeFlow(
            DocumentKind::SalesOrder, QStringLiteral("sales"),
            {
                {ms(milestone::OrderCreated), ms(milestone::OrderValidated), 2 * hour, QStringLiteral("erp")},
                {ms(milestone::OrderValidated), ms(milestone::OrderReleased), 2 * hour,
                 QStringLiteral("erp")},
                {ms(milestone::OrderReleased), ms(milestone::PickConfirmed), 6 * hour, QStringLiteral("wms")},
                {ms(milestone::PickConfirmed), ms(milestone::PackConfirmed), 2 * hour, QStringLiteral("wms")},
                {ms(milestone::PackConfirmed), ms(milestone::ShipmentDispatched), 4 * hour,
                 QStringLiteral("wms")},
                {ms(milestone::ShipmentDispatched), ms(milestone::ShipmentDelivered), 72 * hour,
                 QStringLiteral("carrier")},
                {ms(milestone::ShipmentDelivered), ms(milestone::InvoicePosted), 24 * hour,
                 QStringLiteral("erp")},
            },
            {ms(milestone::OrderCancelled)}),
        makeFlow(
            DocumentKind::PurchaseOrder, QStringLiteral("purchasing"),
            {
                {ms(milestone::PoCreated), ms(milestone::PoSent), 4 * hour, QStringLiteral("erp")},
                {ms(milestone::PoSent), ms(milestone::PoAcknowledged), 24 * hour, QStringLiteral("portal")},
                {ms(milestone::PoAcknowledged), ms(milestone::AsnReceived), 7 * 24 * hour,
                 QStringLiteral("portal")},
                {ms(milestone::AsnReceived), ms(milestone::ReceiptPosted), 3 * 24 * hour,
                 QStringLiteral("wms")},
                {ms(milestone::ReceiptPosted), ms(milestone::InvoiceReceived), 5 * 24 * hour,
                 QStringLiteral("portal")},
                {ms(milestone::InvoiceReceived), ms(milestone::InvoiceMatched), 3 * 24 * hour,
                 QStringLiteral("erp")},
            },
            {ms(milestone::InvoiceDisputed)}),
    };
    return flows;
}

TraceAssessment assessTrace(const Trace &trace, qint64 nowMs)
{
    TraceAssessment out;
    for (const ExpectedFlow &flow : expectedFlows()) {
        if (flowPresent(flow, trace))
            assessFlow(flow, trace, nowMs, out);
    }
    assessConflicts(trace, nowMs, out);
    return out;
}

QString gapSeverityName(GapSeverity severity)
{
    switch (severity) {
    case GapSeverity::Pending:
        return QStringLiteral("pending");
    case GapSeverity::AtRisk:
        return QStringLiteral("at risk");
    case GapSeverity::Breached:
        return QStringLiteral("breached");
    }
    return {};
}

QString describeGap(const MilestoneGap &gap)
{
    if (gap.skipped)
        return QStringLiteral("%1 never reported (later milestones arrived)").arg(gap.expected);
    return QStringLiteral("%1 expected from %2 within %3 of %4")
        .arg(gap.expected, gap.system, formatDuration(gap.dueMs - gap.sinceMs), gap.after);
}

QString describeConflict(const StatusConflict &c)
{
    return QStringLiteral("%1 says %2, %3 still says %4")
        .arg(c.aheadSystem, c.aheadStatus.isEmpty() ? c.aheadMilestone : c.aheadStatus, c.behindSystem,
             c.behindStatus.isEmpty() ? c.behindMilestone : c.behindStatus);
}

} // namespace sightline
