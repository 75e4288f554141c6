#pragma once

#include "models/domain/event.h"
#include "models/ingest/cloudevents.h"
#include "models/result.h"

#include <QString>
#include <deque>
#include <future>

namespace sightline {

class Store;

// Reads inputs on the calling thread while the store's writer commits earlier batches on its
// own: parsing and writing overlap. At most maxInFlight batches wait for the writer, so a fast
// reader cannot run away with memory.
class IngestPipeline
{
public:
    struct Options
    {
        int batchEvents = 2000;
        int maxInFlight = 4;
    };

    explicit IngestPipeline(Store &store) : IngestPipeline(store, Options{}) {}
    IngestPipeline(Store &store, Options options);
    ~IngestPipeline();

    // A file of CloudEvents: one event, a batch array, or JSON Lines (read line by line, so a
    // file larger than memory is fine). A file that cannot be read is an error, not a quarantine.
    Status addFile(const QString &path);

    // A whole input held in memory (a message body, a test fixture).
    void addDocument(QByteArrayView bytes, const QString &origin);

    // Events already parsed elsewhere.
    void addParsed(ParsedInput parsed);

    // Waits for every queued batch; the totals of everything added, or the first write failure.
    Result<IngestReport> finish();

private:
    void submitFull();
    void submit();
    void waitForRoom(int room);

    Store &m_store;
    Options m_options;
    ParsedInput m_buffer;
    std::deque<std::future<Result<IngestReport>>> m_inFlight;
    IngestReport m_totals;
    QString m_firstError;
};

} // namespace sightline
