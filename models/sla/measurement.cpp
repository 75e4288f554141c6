#include "models/sla/measurement.h"

#include <QHash>
#include <QSet>
#include <algorithm>
#include <optional>

namespace sightline {
namespace {

// The partner and warehouse a measurement is reported under: the start event's, else the first
// event of the trace that names one.
void fillScope(SlaMeasurement &m, const SlaEvent &start, const QList<SlaEvent> &events)
{
    m.partner = start.partner;
    m.warehouse = start.warehouse;
    for (const SlaEvent &e : events) {
        if (m.partner.isEmpty() && e.documentId == start.documentId)
            m.partner = e.partner;
        if (m.warehouse.isEmpty() && e.documentId == start.documentId)
            m.warehouse = e.warehouse;
    }
    for (const SlaEvent &e : events) {
        if (m.partner.isEmpty())
            m.partner = e.partner;
        if (m.warehouse.isEmpty())
            m.warehouse = e.warehouse;
    }
}

qint64 elapsed(const SlaPolicy &p, const BusinessCalendar &cal, qint64 from, qint64 to)
{
    if (to <= from)
        return to - from;
    return p.businessHours ? cal.businessMsBetween(from, to) : to - from;
}

std::optional<qint64> deadline(const SlaPolicy &p, const BusinessCalendar &cal, qint64 start, qint64 span)
{
    if (!p.businessHours)
        return start + span;
    return cal.addBusinessMs(start, span);
}

// The first event after start (inclusive) with one of the milestones; events are in time order.
const SlaEvent *firstAfter(const QList<SlaEvent> &events, qint64 start, const auto &matches)
{
    for (const SlaEvent &e : events) {
        if (e.occurredMs >= start && matches(e.milestone))
            return &e;
    }
    return nullptr;
}

void finish(SlaMeasurement &m, const SlaPolicy &p, const BusinessCalendar &cal, qint64 end, bool failed)
{
    m.endMs = end;
    m.elapsedMs = elapsed(p, cal, m.startMs, end);
    const qint64 target = p.targetMsFor(m.partner, m.warehouse);
    const bool onTime = p.measure == SlaMeasure::AtLeast ? *m.elapsedMs >= target : *m.elapsedMs <= target;
    m.state = onTime && !failed ? SlaState::Met : SlaState::Breached;
}

// The measurement of one document, starting at `at` (its first `milestone`), with its partner and
// warehouse; nothing when the document was measured already or is outside the policy's scope.
std::optional<SlaMeasurement> documentItem(const SlaPolicy &p, qint64 traceId, const SlaEvent &at,
                                           const QString &milestone, const QList<SlaEvent> &events,
                                           QSet<qint64> &seen)
{
    if (at.milestone != milestone || seen.contains(at.documentId))
        return std::nullopt;
    seen.insert(at.documentId);
    SlaMeasurement m;
    m.policy = p.name;
    m.itemId = at.documentId;
    m.documentId = at.documentId;
    m.traceId = traceId;
    m.startMs = at.occurredMs;
    fillScope(m, at, events);
    if (!p.scope.matches(at.documentKind, m.partner, m.warehouse))
        return std::nullopt;
    return m;
}

void measureDocuments(const SlaConfig &config, const SlaPolicy &p, qint64 traceId,
                      const QList<SlaEvent> &events, qint64 nowMs, QList<SlaMeasurement> &out)
{
    QSet<qint64> seen;
    for (const SlaEvent &start : events) {
        std::optional<SlaMeasurement> item = documentItem(p, traceId, start, p.from, events, seen);
        if (!item)
            continue;
        SlaMeasurement &m = *item;
        const BusinessCalendar &cal = config.calendarFor(p, m.partner, m.warehouse);
        if (p.measure == SlaMeasure::AtLeast) {
            // The `to` milestone anywhere in the trace: a receipt before its ASN is a breach too.
            const auto to = std::find_if(events.begin(), events.end(),
                                         [&p](const SlaEvent &e) { return e.milestone == p.to; });
            if (to != events.end())
                finish(m, p, cal, to->occurredMs, false);
            out.append(m);
            continue;
        }
        const qint64 target = p.targetMsFor(m.partner, m.warehouse);
        m.dueMs = deadline(p, cal, m.startMs, target);
        m.atRiskMs = deadline(p, cal, m.startMs, qRound64(static_cast<double>(target) * p.atRiskFraction));
        const SlaEvent *end = firstAfter(
            events, m.startMs, [&p](const QString &ms) { return ms == p.to || p.failsOn.contains(ms); });
        if (end)
            finish(m, p, cal, end->occurredMs, end->milestone != p.to);
        else
            m.state = openStateAt(m, nowMs);
        out.append(m);
    }
}

// Each document reaching `to`: met when `from` happened in its trace at or before it.
void measurePresence(const SlaPolicy &p, qint64 traceId, const QList<SlaEvent> &events,
                     QList<SlaMeasurement> &out)
{
    QSet<qint64> seen;
    for (const SlaEvent &to : events) {
        std::optional<SlaMeasurement> item = documentItem(p, traceId, to, p.to, events, seen);
        if (!item)
            continue;
        SlaMeasurement &m = *item;
        m.endMs = to.occurredMs;
        const auto from = std::find_if(events.begin(), events.end(), [&](const SlaEvent &e) {
            return e.milestone == p.from && e.occurredMs <= to.occurredMs;
        });
        if (from != events.end())
            m.elapsedMs = to.occurredMs - from->occurredMs; // how long before it came
        m.state = from != events.end() ? SlaState::Met : SlaState::Breached;
        out.append(m);
    }
}

void measureLag(const SlaPolicy &p, qint64 traceId, const QList<SlaEvent> &events, QList<SlaMeasurement> &out)
{
    const bool any = p.from == QLatin1String("*");
    for (const SlaEvent &e : events) {
        if (e.occurredEstimated || e.milestone.isEmpty() || (!any && e.milestone != p.from) ||
            !p.scope.matches(e.documentKind, e.partner, e.warehouse))
            continue;
        SlaMeasurement m;
        m.policy = p.name;
        m.itemId = e.rowId;
        m.documentId = e.documentId;
        m.traceId = traceId;
        m.partner = e.partner;
        m.warehouse = e.warehouse;
        m.startMs = e.occurredMs;
        m.endMs = e.receivedMs;
        m.elapsedMs = std::max<qint64>(e.receivedMs - e.occurredMs, 0);
        m.state = *m.elapsedMs <= p.targetMs() ? SlaState::Met : SlaState::Breached;
        out.append(m);
    }
}

} // namespace

QString slaStateName(SlaState state)
{
    switch (state) {
    case SlaState::Open:
        return QStringLiteral("open");
    case SlaState::AtRisk:
        return QStringLiteral("at_risk");
    case SlaState::Met:
        return QStringLiteral("met");
    case SlaState::Breached:
        return QStringLiteral("breached");
    }
    return QStringLiteral("open");
}

std::optional<SlaState> slaStateFromName(QStringView name)
{
    for (SlaState s : {SlaState::Open, SlaState::AtRisk, SlaState::Met, SlaState::Breached}) {
        if (name == slaStateName(s))
            return s;
    }
    return std::nullopt;
}

SlaState openStateAt(const SlaMeasurement &m, qint64 nowMs)
{
    if (m.dueMs && nowMs > *m.dueMs)
        return SlaState::Breached;
    if (m.atRiskMs && nowMs >= *m.atRiskMs)
        return SlaState::AtRisk;
    return SlaState::Open;
}

QList<SlaMeasurement> measureTrace(const SlaConfig &config, qint64 traceId, QList<SlaEvent> events,
                                   qint64 nowMs)
{
    std::stable_sort(events.begin(), events.end(), [](const SlaEvent &a, const SlaEvent &b) {
        return a.occurredMs != b.occurredMs ? a.occurredMs < b.occurredMs : a.rowId < b.rowId;
    });
    QList<SlaMeasurement> out;
    for (const SlaPolicy &p : config.policies) {
        if (p.measure == SlaMeasure::Lag)
            measureLag(p, traceId, events, out);
        else if (p.measure == SlaMeasure::Present)
            measurePresence(p, traceId, events, out);
        else
            measureDocuments(config, p, traceId, events, nowMs, out);
    }
    return out;
}

} // namespace sightline
