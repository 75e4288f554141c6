#pragma once

#include "models/domain/event.h"

#include <QList>
#include <QString>

#include <optional>

namespace sightline {

// How far a connection has read (a cursor, a sequence number), committed in the same
// transaction as the events it covers: a crash re-reads rather than loses.
struct Checkpoint
{
    QString connection;
    QString position;
};

// One unit of work for the store's writer.
struct IngestBatch
{
    QList<CanonicalEvent> events;
    QList<QuarantinedInput> quarantined;
    std::optional<Checkpoint> checkpoint;

    bool isEmpty() const { return events.isEmpty() && quarantined.isEmpty() && !checkpoint; }
};

} // namespace sightline
