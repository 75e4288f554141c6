#pragma once

#include "models/sla/policy.h"

#include <QList>
#include <QString>
#include <optional>

namespace sightline {

enum class SlaState { Open, AtRisk, Met, Breached };
QString slaStateName(SlaState state);
std::optional<SlaState> slaStateFromName(QStringView name);

// One event of a trace as the SLA engine sees it.
struct SlaEvent
{
    qint64 rowId = 0;
    qint64 documentId = 0;
    QString documentKind;
    QString milestone;
    QString partner;
    QString warehouse;
    qint64 occurredMs = 0;
    qint64 receivedMs = 0;
    bool occurredEstimated = false;
};

// One measured item of a policy: a document (from its `from` milestone to the `to` milestone in
// its trace) or, for a lag policy, one event. Times are UTC epoch ms.
struct SlaMeasurement
{
    QString policy;
    qint64 itemId = 0; // the document's id, or the event's row id for a lag policy
    qint64 documentId = 0;
    qint64 traceId = 0;
    QString partner;
    QString warehouse;
    qint64 startMs = 0;
    std::optional<qint64> atRiskMs; // open items turn at_risk here...
    std::optional<qint64> dueMs;    // ...and breached here; none for at-least policies
    std::optional<qint64> endMs;
    std::optional<qint64> elapsedMs; // in the policy's own time (business time for business hours)
    SlaState state = SlaState::Open;

    bool operator==(const SlaMeasurement &) const = default;
};

// The state of a measurement that is still open at nowMs.
SlaState openStateAt(const SlaMeasurement &m, qint64 nowMs);

// Every measurement the policies make of one trace's events (any order), as of nowMs.
QList<SlaMeasurement> measureTrace(const SlaConfig &config, qint64 traceId, QList<SlaEvent> events,
                                   qint64 nowMs);

} // namespace sightline
