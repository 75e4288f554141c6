#pragma once

#include "models/domain/document.h"

#include <QList>
#include <QMetaType>
#include <QString>
#include <optional>

namespace sightline {

// Value snapshots of one trace, as the store returns it: documents, links and events in
// occurrence order. Item models adapt these; nothing here talks to the store.
struct TraceDocument
{
    qint64 id = 0;
    DocumentRef ref;
    QList<Identifier> identifiers;
};

struct TraceLink
{
    qint64 fromId = 0;
    qint64 toId = 0;
    QString relation;
};

struct TraceEvent
{
    qint64 rowId = 0;
    QString source;
    QString eventId;
    QString type;
    QString milestone;
    qint64 documentId = 0;
    QString system;
    QString status;
    QString partner;
    QString warehouse;
    qint64 occurredMs = 0;
    qint64 receivedMs = 0;
    bool occurredEstimated = false;
    int duplicates = 0;

    qint64 lagMs() const { return receivedMs - occurredMs; }
};

// An exception that belongs to the trace, as the trace view lists it (a link to the queue).
struct TraceException
{
    qint64 id = 0;
    QString title;
    QString severity;
    QString status;
};

// An SLA policy measuring a document of the trace: where its target falls.
struct TraceSlaTarget
{
    QString policy;
    qint64 documentId = 0;
    qint64 startMs = 0;
    std::optional<qint64> dueMs; // none for at-least policies
    std::optional<qint64> endMs; // when the measured step happened
    QString state;               // open, at_risk, met, breached
};

struct Trace
{
    qint64 id = 0;
    QList<TraceDocument> documents;
    QList<TraceLink> links;
    QList<TraceEvent> events;         // by occurrence time, then arrival
    QList<TraceException> exceptions; // open ones (new, in progress)
    QList<TraceSlaTarget> slaTargets;

    const TraceDocument *document(qint64 documentId) const;
    bool isEmpty() const { return documents.isEmpty(); }
};

} // namespace sightline

Q_DECLARE_METATYPE(sightline::Trace)
