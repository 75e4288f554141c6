#include "models/trace/tracereader.h"

#include "models/logging.h"
#include "models/trace/tracecontext.h"

namespace sightline {

TraceReaderWorker::TraceReaderWorker(QString storePath, std::shared_ptr<std::atomic<quint64>> latestSearch)
    : m_storePath(std::move(storePath)), m_latestSearch(std::move(latestSearch))
{}

TraceReaderWorker::~TraceReaderWorker() = default;

StoreReader *TraceReaderWorker::reader(quint64 job)
{
    if (m_reader)
        return m_reader.get();
    auto opened = StoreReader::open(m_storePath);
    if (!opened) {
        Q_EMIT failed(job, opened.error());
        return nullptr;
    }
    m_reader = std::move(opened).value();
    return m_reader.get();
}

void TraceReaderWorker::search(quint64 job, const QString &text)
{
    if (job < m_latestSearch->load())
        return; // a newer search is queued behind this one
    SearchResults results{text, {}};
    if (!text.trimmed().isEmpty()) {
        StoreReader *r = reader(job);
        if (!r)
            return;
        auto ids = r->searchIdentifiers(text, TraceReader::maxIdentifierHits);
        if (!ids) {
            Q_EMIT failed(job, ids.error());
            return;
        }
        results.hits = ids.value();
        auto partners = r->searchPartners(text, TraceReader::maxPartners, TraceReader::tracesPerPartner);
        if (!partners) {
            Q_EMIT failed(job, partners.error());
            return;
        }
        results.hits += partners.value();
    }
    Q_EMIT searchFinished(job, results);
}

void TraceReaderWorker::loadTrace(quint64 job, qint64 traceId)
{
    StoreReader *r = reader(job);
    if (!r)
        return;
    auto trace = r->loadTrace(traceId);
    if (!trace) {
        Q_EMIT failed(job, trace.error());
        return;
    }
    // What else is known of the trace (exceptions, SLA targets) is shown when it can be read; the
    // trace itself is shown either way.
    if (Status context = loadTraceContext(r->database(), trace.value()); !context)
        qCWarning(lcDomain) << "trace" << traceId << context.error();
    Q_EMIT traceLoaded(job, trace.value());
}

void TraceReaderWorker::loadPayload(quint64 job, qint64 eventRowId)
{
    StoreReader *r = reader(job);
    if (!r)
        return;
    auto payload = r->rawPayload(eventRowId);
    if (!payload) {
        Q_EMIT failed(job, payload.error());
        return;
    }
    Q_EMIT payloadLoaded(job, eventRowId, payload.value());
}

void TraceReaderWorker::loadCounts(quint64 job)
{
    StoreReader *r = reader(job);
    if (!r)
        return;
    auto counts = r->summaryCounts();
    if (!counts) {
        Q_EMIT failed(job, counts.error());
        return;
    }
    Q_EMIT countsLoaded(job, counts.value());
}

TraceReader::TraceReader(const QString &storePath, QObject *parent) : QObject(parent)
{
    qRegisterMetaType<sightline::SearchResults>();
    qRegisterMetaType<sightline::Trace>();
    qRegisterMetaType<sightline::StoreCounts>();
    m_thread.setObjectName(QStringLiteral("sightline-trace-reader"));
    m_worker = new TraceReaderWorker(storePath, m_latestSearch);
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(m_worker, &TraceReaderWorker::searchFinished, this, &TraceReader::onSearch);
    connect(m_worker, &TraceReaderWorker::traceLoaded, this, &TraceReader::onTrace);
    connect(m_worker, &TraceReaderWorker::payloadLoaded, this, &TraceReader::onPayload);
    connect(m_worker, &TraceReaderWorker::countsLoaded, this,
            [this](quint64, const StoreCounts &counts) { Q_EMIT countsReady(counts); });
    connect(m_worker, &TraceReaderWorker::failed, this, &TraceReader::onFailed);
    m_thread.start();
}

TraceReader::~TraceReader()
{
    m_thread.quit();
    m_thread.wait();
}

void TraceReader::search(const QString &text)
{
    const quint64 job = ++m_nextJob;
    m_latestSearch->store(job);
    QMetaObject::invokeMethod(m_worker, [w = m_worker, job, text] { w->search(job, text); });
}

void TraceReader::openTrace(qint64 traceId)
{
    const quint64 job = ++m_nextJob;
    m_traceJob = job;
    QMetaObject::invokeMethod(m_worker, [w = m_worker, job, traceId] { w->loadTrace(job, traceId); });
}

void TraceReader::openPayload(qint64 eventRowId)
{
    const quint64 job = ++m_nextJob;
    m_payloadJob = job;
    QMetaObject::invokeMethod(m_worker, [w = m_worker, job, eventRowId] { w->loadPayload(job, eventRowId); });
}

void TraceReader::refreshCounts()
{
    const quint64 job = ++m_nextJob;
    QMetaObject::invokeMethod(m_worker, [w = m_worker, job] { w->loadCounts(job); });
}

void TraceReader::onSearch(quint64 job, const SearchResults &results)
{
    if (job == m_latestSearch->load())
        Q_EMIT searchReady(results);
}

void TraceReader::onTrace(quint64 job, const Trace &trace)
{
    if (job == m_traceJob)
        Q_EMIT traceReady(trace);
}

void TraceReader::onPayload(quint64 job, qint64 eventRowId, const QByteArray &payload)
{
    if (job == m_payloadJob)
        Q_EMIT payloadReady(eventRowId, payload);
}

void TraceReader::onFailed(quint64 job, const QString &message)
{
    qCWarning(lcStore) << "read failed:" << message;
    const bool stale = job < m_latestSearch->load() && job != m_traceJob && job != m_payloadJob;
    if (!stale)
        Q_EMIT readFailed(message);
}

} // namespace sightline
