#pragma once

#include "models/domain/event.h"
#include "models/domain/trace.h"
#include "models/result.h"
#include "models/trace/searchhit.h"

#include <QList>
#include <QSqlDatabase>
#include <QString>
#include <optional>

namespace sightline {

struct StoreCounts
{
    qint64 events = 0;
    qint64 duplicates = 0;
    qint64 documents = 0;
    qint64 traces = 0;
    qint64 links = 0;
    qint64 quarantined = 0;
};

struct QuarantineEntry
{
    qint64 id = 0;
    QuarantinedInput input;
};

// Reads the store on its own connection. A StoreReader belongs to the thread that made it
// (Qt's rule for database connections); make one per reading thread.
class StoreReader
{
public:
    static Result<std::unique_ptr<StoreReader>> open(const QString &path);
    ~StoreReader();
    StoreReader(const StoreReader &) = delete;
    StoreReader &operator=(const StoreReader &) = delete;

    // The traces holding a document known by this identifier (its key or any other number),
    // found case-insensitively; the most recently started first.
    Result<QList<qint64>> findTraces(const QString &identifier);

    // One whole trace: documents, links, and events in occurrence order.
    Result<Trace> loadTrace(qint64 traceId);

    // This reader's connection, for other parts of the store (exceptions, SLA) read on the same
    // thread; read-only use, bound parameters.
    QSqlDatabase &database() { return m_db; }

    // The byte-exact payload of a stored event.
    Result<QByteArray> rawPayload(qint64 eventRowId);

    Result<StoreCounts> counts();
    // What a status bar shows (events, documents, traces, quarantined), without the scans of
    // every event row that duplicates and links need: cheap enough to refresh while ingesting.
    Result<StoreCounts> summaryCounts();
    Result<QList<QuarantineEntry>> quarantine(int limit);
    Result<std::optional<QString>> checkpoint(const QString &connection);

    // Documents known by an identifier starting with prefix (case-insensitive), in identifier
    // order; uses the folded-identifier index, so it stays fast on a large store.
    Result<QList<SearchHit>> searchIdentifiers(const QString &prefix, int limit);

    // Traces whose events name a partner (customer, supplier) starting with prefix
    // (case-insensitive for ASCII): up to perPartner most recent traces for each of up to
    // maxPartners partners.
    Result<QList<SearchHit>> searchPartners(const QString &prefix, int maxPartners, int perPartner);

private:
    explicit StoreReader(QString connectionName);

    QString m_connectionName;
    QSqlDatabase m_db;
};

} // namespace sightline
