#pragma once

#include "models/result.h"
#include "models/store/ingestbatch.h"

#include <QList>
#include <QString>

namespace sightline {

// The last known health of one connection as the store keeps it (table connection_status), so
// that `sightline-cli status` and a console started later can show it.
struct ConnectionStatusRow
{
    QString connection;
    QString state; // "connected", "degraded", "down", "authentication failed", "connecting"
    QString lastError;
    qint64 lastSuccessMs = 0;
    qint64 lagMs = 0;
    qint64 requests = 0;
    qint64 errors = 0;
    qint64 retries = 0;
    qint64 events = 0;
    qint64 quarantined = 0;
    qint64 updatedMs = 0;
};

// A connector's committed position, as read back from the checkpoints table.
struct CheckpointRow
{
    QString connection;
    QString position;
    qint64 updatedMs = 0;
};

// A write for IngestBatch::writes that records these rows (one per connection, replaced).
StoreWrite connectionStatusWrite(QList<ConnectionStatusRow> rows);

// Reads every stored connection status and checkpoint, on a connection of the caller's thread.
Result<QList<ConnectionStatusRow>> readConnectionStatus(const QString &storePath);
Result<QList<CheckpointRow>> readCheckpoints(const QString &storePath);

} // namespace sightline
