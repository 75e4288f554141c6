#pragma once

#include "models/domain/event.h"
#include "models/result.h"

#include <QList>
#include <QString>
#include <functional>
#include <optional>
#include <vector>

class QSqlDatabase;

namespace sightline {

// How far a connection has read (a cursor, a sequence number), committed in the same
// transaction as the events it covers: a crash re-reads rather than loses.
struct Checkpoint
{
    QString connection;
    QString position;
};

// A write of another part of the store (exceptions, audit entries, SLA measurements), run by the
// writer inside the batch's transaction after its events. It must use bound parameters only and
// must not begin or end transactions. A failed write rolls the whole batch back.
using StoreWrite = std::function<Status(QSqlDatabase &db)>;

// One unit of work for the store's writer.
struct IngestBatch
{
    QList<CanonicalEvent> events;
    QList<QuarantinedInput> quarantined;
    std::optional<Checkpoint> checkpoint;
    std::vector<StoreWrite> writes;

    bool isEmpty() const
    {
        return events.isEmpty() && quarantined.isEmpty() && !checkpoint && writes.empty();
    }
};

} // namespace sightline
