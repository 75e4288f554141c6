#pragma once

#include "models/result.h"
#include "models/store/ingestbatch.h"

#include <QHash>
#include <QObject>
#include <QSet>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <functional>
#include <memory>
#include <optional>

namespace sightline {

// The store's only writer. Lives on the "sightline-store-writer" thread; jobs arrive queued and
// are batched: every job waiting when a flush starts goes into one transaction. Each job's
// promise is kept once its transaction is committed (or has failed).
class StoreWriter : public QObject
{
    Q_OBJECT
public:
    // Called on the writer thread once a job's transaction is committed or has failed.
    using Completion = std::function<void(Result<IngestReport>)>;

    explicit StoreWriter(QString path);
    ~StoreWriter() override;

    // Called on the writer thread.
    Status open();
    void enqueue(sightline::IngestBatch batch, Completion done);
    void close();

Q_SIGNALS:
    void committed(const sightline::IngestReport &report, const QSet<qint64> &touchedTraces);
    void writeFailed(const QString &message);

private:
    struct Job
    {
        IngestBatch batch;
        Completion done;
        IngestReport report;
    };
    struct CachedDocument
    {
        qint64 id = 0;
        qint64 traceId = 0;
        bool added = false; // added by this call, not found
    };

    void flush();
    Status commitJobs(QList<Job> &jobs);
    Status writeJob(Job &job);
    Status writeEvent(const CanonicalEvent &ev, IngestReport &report);
    Status retract(const CanonicalEvent &ev);
    // The document's id and trace, adding it when it is new: to its own trace, or to joinTrace.
    Result<CachedDocument> ensureDocument(const DocumentRef &ref, qint64 seenMs, qint64 joinTrace = 0);
    Result<std::optional<CachedDocument>> findDocument(const QString &kind, const QString &key);
    Result<bool> insertDocument(const QString &kind, const DocumentRef &ref, qint64 seenMs, qint64 traceId);
    Status writeIdentifiers(qint64 documentId, const QList<Identifier> &ids);
    Result<qint64> traceToJoin(const CanonicalEvent &ev);
    Status leaveJoinedTrace(const CachedDocument &doc, const DocumentRef &ref);
    Result<qint64> traceSize(qint64 traceId);
    Status writeIdentifier(qint64 documentId, const Identifier &id);
    Status writeLink(const CachedDocument &from, const LinkRef &link, qint64 seenMs, IngestReport &report);
    Status mergeTraces(qint64 a, qint64 b, IngestReport &report);
    Status quarantineChangedResend(const CanonicalEvent &ev, IngestReport &report);
    Status writeQuarantine(const QuarantinedInput &q);
    Status writeCheckpoint(const Checkpoint &c);
    Status prepareStatements();
    Status loadNextDocumentId();
    qint64 currentTrace(qint64 traceId) const;
    void forgetCaches();

    QString m_path;
    QString m_connectionName;
    QSqlDatabase m_db;
    QList<Job> m_pending;
    bool m_flushScheduled = false;
    bool m_shared = false; // PostgreSQL: other processes write too

    QSqlQuery m_findDocument, m_insertDocument, m_insertIdentifier, m_insertLink, m_insertEvent,
        m_countDuplicate, m_traceSize, m_relabelTrace, m_insertQuarantine, m_upsertCheckpoint,
        m_detachDocument;

    qint64 m_nextDocumentId = 1;
    QHash<std::pair<int, QString>, CachedDocument> m_documents; // kind, key -> id and trace when cached
    QHash<qint64, qint64> m_mergedInto;                         // trace merged away -> trace it joined
    QHash<qint64, QList<Identifier>> m_identifiersWritten;      // document -> identifiers last written
    bool m_cacheHoldsAll = false;       // every document is in m_documents (the store was empty at open)
    QHash<qint64, qint64> m_traceSizes; // trace -> documents, kept while m_cacheHoldsAll
    QSet<qint64> m_touchedTraces;
};

} // namespace sightline
