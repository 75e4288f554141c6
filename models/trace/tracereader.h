#pragma once

#include "models/domain/trace.h"
#include "models/store/storereader.h"
#include "models/trace/searchhit.h"

#include <QByteArray>
#include <QObject>
#include <QString>
#include <QThread>
#include <atomic>
#include <memory>

namespace sightline {

// Runs store reads on its own thread with its own StoreReader. Every call carries a job id;
// a search that a newer one has superseded before it started is skipped.
class TraceReaderWorker : public QObject
{
    Q_OBJECT
public:
    TraceReaderWorker(QString storePath, std::shared_ptr<std::atomic<quint64>> latestSearch);
    ~TraceReaderWorker() override;

    void search(quint64 job, const QString &text);
    void loadTrace(quint64 job, qint64 traceId);
    void loadPayload(quint64 job, qint64 eventRowId);
    void loadCounts(quint64 job);

Q_SIGNALS:
    void searchFinished(quint64 job, const sightline::SearchResults &results);
    void traceLoaded(quint64 job, const sightline::Trace &trace);
    void payloadLoaded(quint64 job, qint64 eventRowId, const QByteArray &payload);
    void countsLoaded(quint64 job, const sightline::StoreCounts &counts);
    void failed(quint64 job, const QString &message);

private:
    StoreReader *reader(quint64 job);

    QString m_storePath;
    std::shared_ptr<std::atomic<quint64>> m_latestSearch;
    std::unique_ptr<StoreReader> m_reader;
};

// The GUI side of the reading thread: queues reads on the worker and hands back only the newest
// result of each kind (an older search, trace or payload that arrives late is dropped). Nothing
// here blocks the calling thread.
class TraceReader : public QObject
{
    Q_OBJECT
public:
    explicit TraceReader(const QString &storePath, QObject *parent = nullptr);
    ~TraceReader() override;

    void search(const QString &text);
    void openTrace(qint64 traceId);
    void openPayload(qint64 eventRowId);
    void refreshCounts();

    static constexpr int maxIdentifierHits = 60;
    static constexpr int maxPartners = 5;
    static constexpr int tracesPerPartner = 6;

Q_SIGNALS:
    void searchReady(const sightline::SearchResults &results);
    void traceReady(const sightline::Trace &trace);
    void payloadReady(qint64 eventRowId, const QByteArray &payload);
    void countsReady(const sightline::StoreCounts &counts);
    void readFailed(const QString &message);

private:
    void onSearch(quint64 job, const sightline::SearchResults &results);
    void onTrace(quint64 job, const sightline::Trace &trace);
    void onPayload(quint64 job, qint64 eventRowId, const QByteArray &payload);
    void onFailed(quint64 job, const QString &message);

    QThread m_thread;
    TraceReaderWorker *m_worker = nullptr;
    std::shared_ptr<std::atomic<quint64>> m_latestSearch = std::make_shared<std::atomic<quint64>>(0);
    quint64 m_nextJob = 0;
    quint64 m_traceJob = 0;
    quint64 m_payloadJob = 0;
};

} // namespace sightline

Q_DECLARE_METATYPE(sightline::StoreCounts)
