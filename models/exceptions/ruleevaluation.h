#pragma once

#include "models/domain/event.h"
#include "models/domain/trace.h"
#include "models/exceptions/exceptionitem.h"
#include "models/exceptions/exceptionrules.h"

#include <QHash>
#include <QJsonObject>
#include <QList>

namespace sightline {

// What the rules need to know about one trace: the trace and the `data` of its events' payloads.
struct TraceFacts
{
    Trace trace;
    QHash<qint64, QJsonObject> data; // event row id -> the CloudEvent's data object
};

// What the rules found in a trace at one instant.
struct TraceEvaluation
{
    QList<ExceptionItem> findings; // one per condition key; status, owner and ids are not set
    qint64 nextCheckMs = 0;        // when a time-based rule could change its answer; 0: never
};

// Every enabled technical and business rule over one trace at nowMs: a pure function.
TraceEvaluation evaluateTrace(const TraceFacts &facts, const ExceptionRules &rules, qint64 nowMs);

// The exception for an input the store quarantined (parse or map failure, raw kept).
ExceptionItem quarantineFinding(qint64 quarantineId, const QuarantinedInput &input,
                                const ExceptionRules &rules);

} // namespace sightline
