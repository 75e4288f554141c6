#include "models/store/storewriter.h"

#include "models/logging.h"
#include "models/store/connection.h"
#include "models/store/schema.h"

#include <QSqlError>
#include <algorithm>

namespace sightline {
namespace {

constexpr qsizetype kMaxCachedDocuments = 1'000'000;

// Kind and key: shares the key's text, allocates nothing.
std::pair<int, QString> cacheKey(const DocumentRef &ref)
{
    return {static_cast<int>(ref.kind), ref.key};
}

Error sqlError(const QSqlQuery &q, const char *what)
{
    return Error{
        QStringLiteral("store write failed while %1: %2").arg(QLatin1String(what), q.lastError().text())};
}

} // namespace

StoreWriter::StoreWriter(QString path)
    : m_path(std::move(path)), m_connectionName(uniqueConnectionName(u"writer"))
{}

StoreWriter::~StoreWriter()
{
    close();
}

Status StoreWriter::open()
{
    auto db = openStoreConnection(m_path, m_connectionName, false);
    if (!db)
        return Error{db.error()};
    m_db = db.value();
    if (Status s = migrate(m_db); !s)
        return s;
    if (Status s = prepareStatements(); !s)
        return s;
    if (Status s = loadNextDocumentId(); !s)
        return s;
    // An empty SQLite file is this writer's alone; a shared database has other writers.
    m_shared = dialectOf(m_db) == SqlDialect::PostgreSQL;
    m_cacheHoldsAll = m_nextDocumentId == 1 && !m_shared;
    return {};
}

void StoreWriter::close()
{
    if (!m_db.isValid())
        return;
    if (!m_pending.isEmpty())
        flush();
    for (QSqlQuery *q : {&m_findDocument, &m_insertDocument, &m_insertIdentifier, &m_insertLink,
                         &m_insertEvent, &m_countDuplicate, &m_traceSize, &m_relabelTrace,
                         &m_insertQuarantine, &m_upsertCheckpoint, &m_detachDocument})
        *q = QSqlQuery();
    m_db = QSqlDatabase();
    closeConnection(m_connectionName);
}

Status StoreWriter::prepareStatements()
{
    struct Statement
    {
        QSqlQuery *query;
        const char *sql;
    };
    const Statement statements[] = {
        {&m_findDocument, "SELECT id, trace_id FROM documents WHERE kind = ? AND doc_key = ?"},
        {&m_insertDocument, "INSERT INTO documents (id, kind, doc_key, trace_id, first_seen_ms) "
                            "VALUES (:id, :kind, :key, :trace, :seen) "
                            "ON CONFLICT DO NOTHING"},
        {&m_insertIdentifier, "INSERT INTO identifiers (value, document_id, scheme, folded) VALUES (:value, "
                              ":doc, :scheme, :folded) "
                              "ON CONFLICT DO NOTHING"},
        {&m_insertLink,
         "INSERT INTO links (from_id, to_id, relation, created_ms) VALUES (:from, :to, :rel, :ms) "
         "ON CONFLICT DO NOTHING"},
        {&m_insertEvent,
         "INSERT INTO events (source, event_id, type, milestone, document_id, system, status, "
         "partner, warehouse, occurred_ms, received_ms, occurred_estimated, raw_sha1, raw) "
         "VALUES (:source, :id, :type, :milestone, :doc, :system, :status, :partner, :warehouse, :occurred, "
         ":received, :estimated, :sha1, :raw) ON CONFLICT (source, event_id) DO NOTHING"},
        // A true repeat only: a resend with other bytes under the same id is not counted here.
        {&m_countDuplicate, "UPDATE events SET duplicate_count = duplicate_count + 1 WHERE source = ? AND "
                            "event_id = ? AND (raw_sha1 IS NULL OR raw_sha1 = ? OR ? = 0)"},
        {&m_traceSize, "SELECT COUNT(*) FROM documents WHERE trace_id = ?"},
        {&m_relabelTrace, "UPDATE documents SET trace_id = ? WHERE trace_id = ?"},
        {&m_detachDocument, "UPDATE documents SET trace_id = id WHERE id = ?"},
        {&m_insertQuarantine,
         "INSERT INTO quarantine (origin, position, error, raw, received_ms) VALUES (?, ?, ?, ?, ?)"},
        {&m_upsertCheckpoint, "INSERT INTO checkpoints (connection, position, updated_ms) VALUES (?, ?, ?) "
                              "ON CONFLICT (connection) DO UPDATE SET position = excluded.position, "
                              "updated_ms = excluded.updated_ms"},
    };
    for (const Statement &s : statements) {
        *s.query = QSqlQuery(m_db);
        if (!s.query->prepare(QString::fromLatin1(s.sql)))
            return Error{
                QStringLiteral("cannot prepare a store statement: %1").arg(s.query->lastError().text())};
    }
    m_findDocument.setForwardOnly(true);
    m_traceSize.setForwardOnly(true);
    return {};
}

Status StoreWriter::loadNextDocumentId()
{
    QSqlQuery q(m_db);
    if (!q.exec(QStringLiteral("SELECT COALESCE(MAX(id), 0) FROM documents")) || !q.next())
        return sqlError(q, "reading the last document id");
    m_nextDocumentId = q.value(0).toLongLong() + 1;
    return {};
}

void StoreWriter::enqueue(IngestBatch batch, Completion done)
{
    m_pending.append(Job{std::move(batch), std::move(done), {}});
    if (!m_flushScheduled) {
        m_flushScheduled = true;
        QMetaObject::invokeMethod(this, &StoreWriter::flush, Qt::QueuedConnection);
    }
}

void StoreWriter::flush()
{
    m_flushScheduled = false;
    QList<Job> jobs;
    jobs.swap(m_pending);
    if (jobs.isEmpty())
        return;
    if (commitJobs(jobs))
        return;
    // One bad job must not take the others down with it: retry each in its own transaction.
    for (Job &job : jobs) {
        QList<Job> one{job};
        if (Status s = commitJobs(one); !s) {
            qCWarning(lcStore) << "write failed:" << s.error();
            job.done(Error{s.error()});
            Q_EMIT writeFailed(s.error());
        }
    }
}

Status StoreWriter::commitJobs(QList<Job> &jobs)
{
    m_touchedTraces.clear();
    if (m_documents.size() > kMaxCachedDocuments)
        forgetCaches(); // bounded memory; the store remains the truth
    if (!m_db.transaction())
        return Error{QStringLiteral("cannot begin a store transaction: %1").arg(m_db.lastError().text())};
    Status status;
    // Writes of other parts (exceptions, audit, roles) may lock rows other processes change too.
    if (m_shared &&
        std::any_of(jobs.cbegin(), jobs.cend(), [](const Job &j) { return !j.batch.writes.empty(); }))
        status = lockSharedWrites(m_db);
    for (Job &job : jobs) {
        if (!status)
            break;
        job.report = {};
        status = writeJob(job);
    }
    if (status && !m_db.commit())
        status = Error{QStringLiteral("cannot commit to the store: %1").arg(m_db.lastError().text())};
    if (!status) {
        m_db.rollback();
        forgetCaches();
        return status;
    }
    IngestReport total;
    for (Job &job : jobs) {
        total += job.report;
        job.done(job.report);
    }
    QSet<qint64> touched;
    for (qint64 t : std::as_const(m_touchedTraces))
        touched.insert(currentTrace(t));
    Q_EMIT committed(total, touched);
    return {};
}

Status StoreWriter::writeJob(Job &job)
{
    for (const CanonicalEvent &ev : std::as_const(job.batch.events)) {
        if (Status s = writeEvent(ev, job.report); !s)
            return s;
    }
    for (const QuarantinedInput &q : std::as_const(job.batch.quarantined)) {
        if (Status s = writeQuarantine(q); !s)
            return s;
        ++job.report.quarantined;
    }
    for (const StoreWrite &write : job.batch.writes) {
        if (Status s = write(m_db); !s)
            return s;
    }
    if (job.batch.checkpoint)
        return writeCheckpoint(*job.batch.checkpoint);
    return {};
}

Status StoreWriter::writeEvent(const CanonicalEvent &ev, IngestReport &report)
{
    std::optional<CachedDocument> doc;
    qint64 joined = 0; // the trace a new document was added to directly
    if (ev.document) {
        auto join = traceToJoin(ev);
        if (!join)
            return Error{join.error()};
        auto d = ensureDocument(*ev.document, ev.receivedMs, join.value());
        if (!d)
            return Error{d.error()};
        doc = d.value();
        if (doc->added)
            joined = join.value();
    }
    QSqlQuery &q = m_insertEvent;
    // Named placeholders: Qt binds them without building a name per positional index.
    q.bindValue(QStringLiteral(":source"), ev.source);
    q.bindValue(QStringLiteral(":id"), ev.id);
    q.bindValue(QStringLiteral(":type"), ev.type);
    q.bindValue(QStringLiteral(":milestone"), ev.milestone.isEmpty() ? QVariant() : QVariant(ev.milestone));
    q.bindValue(QStringLiteral(":doc"), doc ? QVariant(doc->id) : QVariant());
    q.bindValue(QStringLiteral(":system"), ev.system);
    q.bindValue(QStringLiteral(":status"), ev.status);
    q.bindValue(QStringLiteral(":partner"), ev.partner);
    q.bindValue(QStringLiteral(":warehouse"), ev.warehouse);
    q.bindValue(QStringLiteral(":occurred"), ev.occurredMs);
    q.bindValue(QStringLiteral(":received"), ev.receivedMs);
    q.bindValue(QStringLiteral(":estimated"), ev.occurredEstimated ? 1 : 0);
    q.bindValue(QStringLiteral(":sha1"), ev.rawHash);
    q.bindValue(QStringLiteral(":raw"), ev.raw);
    if (!q.exec())
        return sqlError(q, "storing an event");
    if (q.numRowsAffected() == 0) {
        // The same (source, id) again: count it, change nothing else.
        if (joined > 0) {
            if (Status s = leaveJoinedTrace(*doc, *ev.document); !s)
                return s;
        }
        m_countDuplicate.bindValue(0, ev.source);
        m_countDuplicate.bindValue(1, ev.id);
        m_countDuplicate.bindValue(2, ev.rawHash);
        m_countDuplicate.bindValue(3, ev.rawHash.isEmpty() ? 0 : 1);
        if (!m_countDuplicate.exec())
            return sqlError(m_countDuplicate, "counting a duplicate");
        if (m_countDuplicate.numRowsAffected() > 0) {
            ++report.duplicates;
            return {};
        }
        return quarantineChangedResend(ev, report);
    }
    ++report.accepted;
    if (Status s = retract(ev); !s)
        return s;
    if (!doc)
        return {};
    if (joined > 0)
        ++report.tracesMerged; // counted as before: its own trace joined the first link's trace
    m_touchedTraces.insert(doc->traceId);
    if (Status s = writeIdentifiers(doc->id, ev.identifiers); !s)
        return s;
    for (const LinkRef &link : ev.links) {
        if (Status s = writeLink(*doc, link, ev.receivedMs, report); !s)
            return s;
        doc->traceId = currentTrace(doc->traceId);
    }
    return {};
}

Status StoreWriter::retract(const CanonicalEvent &ev)
{
    if (ev.retracts.isEmpty())
        return {};
    QSqlQuery q(m_db);
    q.prepare(
        QStringLiteral("UPDATE events SET milestone = NULL, status = ? WHERE source = ? AND event_id = ?"));
    q.addBindValue(QStringLiteral("retracted"));
    q.addBindValue(ev.source);
    q.addBindValue(ev.retracts);
    if (!q.exec())
        return sqlError(q, "retracting an event");
    return {};
}

Result<StoreWriter::CachedDocument> StoreWriter::ensureDocument(const DocumentRef &ref, qint64 seenMs,
                                                                qint64 joinTrace)
{
    const auto key = cacheKey(ref);
    if (auto it = m_documents.constFind(key); it != m_documents.cend())
        return CachedDocument{it->id, currentTrace(it->traceId), false};
    const QString kind = documentKindName(ref.kind);
    // When every document is cached, a miss is a new document: insert without looking first. The
    // insert does nothing if another writer added the same document (or took the id) meanwhile.
    bool lookFirst = !m_cacheHoldsAll;
    for (int attempt = 0; attempt < 3; ++attempt) {
        if (lookFirst) {
            auto found = findDocument(kind, ref.key);
            if (!found)
                return Error{found.error()};
            if (found->has_value()) {
                m_documents.insert(key, *found.value());
                return *found.value();
            }
        }
        const qint64 id = m_nextDocumentId;
        const qint64 trace = joinTrace > 0 ? joinTrace : id;
        auto inserted = insertDocument(kind, ref, seenMs, trace);
        if (!inserted)
            return Error{inserted.error()};
        if (inserted.value()) {
            m_documents.insert(key, CachedDocument{id, trace, false});
            if (m_cacheHoldsAll)
                ++m_traceSizes[trace];
            return CachedDocument{id, trace, true};
        }
        lookFirst = true;
        if (Status s = loadNextDocumentId(); !s)
            return Error{s.error()};
    }
    return Error{QStringLiteral("store write failed while adding the document %1: another writer keeps "
                                "taking its id")
                     .arg(documentKindName(ref.kind) % u'/' % ref.key)};
}

Result<std::optional<StoreWriter::CachedDocument>> StoreWriter::findDocument(const QString &kind,
                                                                             const QString &key)
{
    m_findDocument.bindValue(0, kind);
    m_findDocument.bindValue(1, key);
    if (!m_findDocument.exec())
        return sqlError(m_findDocument, "looking up a document");
    std::optional<CachedDocument> doc;
    if (m_findDocument.next())
        doc =
            CachedDocument{m_findDocument.value(0).toLongLong(), m_findDocument.value(1).toLongLong(), false};
    m_findDocument.finish();
    return doc;
}

// True when the document was added; false when its key or id is taken already.
Result<bool> StoreWriter::insertDocument(const QString &kind, const DocumentRef &ref, qint64 seenMs,
                                         qint64 traceId)
{
    const qint64 id = m_nextDocumentId;
    m_insertDocument.bindValue(QStringLiteral(":id"), id);
    m_insertDocument.bindValue(QStringLiteral(":kind"), kind);
    m_insertDocument.bindValue(QStringLiteral(":key"), ref.key);
    m_insertDocument.bindValue(QStringLiteral(":trace"), traceId);
    m_insertDocument.bindValue(QStringLiteral(":seen"), seenMs);
    if (!m_insertDocument.exec())
        return sqlError(m_insertDocument, "adding a document");
    if (m_insertDocument.numRowsAffected() == 0)
        return false;
    ++m_nextDocumentId;
    if (Status s = writeIdentifier(id, Identifier{QStringLiteral("key"), ref.key}); !s)
        return Error{s.error()};
    return true;
}

// An event's identifiers, unless the same list was written for the document already (most events
// of a document repeat its numbers).
Status StoreWriter::writeIdentifiers(qint64 documentId, const QList<Identifier> &ids)
{
    if (ids.isEmpty())
        return {};
    if (auto it = m_identifiersWritten.constFind(documentId); it != m_identifiersWritten.cend() && *it == ids)
        return {};
    for (const Identifier &id : ids) {
        if (Status s = writeIdentifier(documentId, id); !s)
            return s;
    }
    m_identifiersWritten.insert(documentId, ids);
    return {};
}

Status StoreWriter::writeIdentifier(qint64 documentId, const Identifier &id)
{
    m_insertIdentifier.bindValue(QStringLiteral(":value"), id.value);
    m_insertIdentifier.bindValue(QStringLiteral(":doc"), documentId);
    m_insertIdentifier.bindValue(QStringLiteral(":scheme"), id.scheme);
    m_insertIdentifier.bindValue(QStringLiteral(":folded"), foldIdentifier(id.value));
    if (!m_insertIdentifier.exec())
        return sqlError(m_insertIdentifier, "adding an identifier");
    return {};
}

Status StoreWriter::writeLink(const CachedDocument &from, const LinkRef &link, qint64 seenMs,
                              IngestReport &report)
{
    // A document first named by this link starts in the linking document's trace: what merging its
    // one-document trace into that trace would give, without the statements.
    auto to = ensureDocument(link.to, seenMs, currentTrace(from.traceId));
    if (!to)
        return Error{to.error()};
    m_insertLink.bindValue(QStringLiteral(":from"), from.id);
    m_insertLink.bindValue(QStringLiteral(":to"), to->id);
    m_insertLink.bindValue(QStringLiteral(":rel"), link.relation);
    m_insertLink.bindValue(QStringLiteral(":ms"), seenMs);
    if (!m_insertLink.exec())
        return sqlError(m_insertLink, "adding a link");
    if (to->added) {
        ++report.tracesMerged; // counted as before: its own trace joined the linking one
        return {};
    }
    const qint64 a = currentTrace(from.traceId);
    const qint64 b = currentTrace(to->traceId);
    if (m_insertLink.numRowsAffected() == 0 || a == b)
        return {};
    return mergeTraces(a, b, report);
}

// A new document whose event links first to a trace of two or more documents would be merged into
// that trace (the larger trace keeps its id): add it there directly, without the merge's
// statements. Only when every document is cached, so that "not cached" means "new".
Result<qint64> StoreWriter::traceToJoin(const CanonicalEvent &ev)
{
    if (!m_cacheHoldsAll || ev.links.isEmpty() || m_documents.contains(cacheKey(*ev.document)))
        return qint64(0);
    const auto target = m_documents.constFind(cacheKey(ev.links.constFirst().to));
    if (target == m_documents.cend())
        return qint64(0);
    const qint64 trace = currentTrace(target->traceId);
    const auto size = traceSize(trace);
    if (!size)
        return Error{size.error()};
    return size.value() >= 2 ? trace : qint64(0);
}

// The event was a duplicate after all (a resend naming another document): its links are not
// written, so the document it added goes back to a trace of its own.
Status StoreWriter::leaveJoinedTrace(const CachedDocument &doc, const DocumentRef &ref)
{
    m_detachDocument.bindValue(0, doc.id);
    if (!m_detachDocument.exec())
        return sqlError(m_detachDocument, "adding a document");
    m_documents.insert(cacheKey(ref), CachedDocument{doc.id, doc.id, false});
    if (m_cacheHoldsAll) {
        --m_traceSizes[doc.traceId];
        m_traceSizes[doc.id] = 1;
    }
    return {};
}

// Counted in memory while this writer has added every document; else asked of the store.
Result<qint64> StoreWriter::traceSize(qint64 traceId)
{
    if (m_cacheHoldsAll) {
        if (auto it = m_traceSizes.constFind(traceId); it != m_traceSizes.cend())
            return *it;
    }
    m_traceSize.bindValue(0, traceId);
    if (!m_traceSize.exec() || !m_traceSize.next())
        return sqlError(m_traceSize, "measuring a trace");
    const qint64 n = m_traceSize.value(0).toLongLong();
    m_traceSize.finish();
    return n;
}

Status StoreWriter::mergeTraces(qint64 a, qint64 b, IngestReport &report)
{
    const auto sizeA = traceSize(a);
    const auto sizeB = traceSize(b);
    if (!sizeA || !sizeB)
        return Error{sizeA ? sizeB.error() : sizeA.error()};
    // Relabel the smaller trace; the larger keeps its id.
    const bool aStays = sizeA.value() >= sizeB.value();
    const qint64 survivor = aStays ? a : b;
    const qint64 merged = aStays ? b : a;
    m_relabelTrace.bindValue(0, survivor);
    m_relabelTrace.bindValue(1, merged);
    if (!m_relabelTrace.exec())
        return sqlError(m_relabelTrace, "merging two traces");
    m_mergedInto.insert(merged, survivor);
    if (m_cacheHoldsAll) {
        m_traceSizes[survivor] = sizeA.value() + sizeB.value();
        m_traceSizes.remove(merged);
    }
    m_touchedTraces.insert(survivor);
    ++report.tracesMerged;
    qCDebug(lcStore) << "trace" << merged << "merged into" << survivor;
    return {};
}

qint64 StoreWriter::currentTrace(qint64 traceId) const
{
    for (auto it = m_mergedInto.constFind(traceId); it != m_mergedInto.cend();
         it = m_mergedInto.constFind(traceId))
        traceId = it.value();
    return traceId;
}

// The same (source, id) again with other bytes: the first version stays the event; this one is
// kept in the quarantine with the reason, so that it shows as an exception and nothing is lost.
Status StoreWriter::quarantineChangedResend(const CanonicalEvent &ev, IngestReport &report)
{
    const QuarantinedInput q{ev.source, QStringLiteral("event %1").arg(ev.id),
                             QStringLiteral("event %1 of %2 arrived again with different content; the first "
                                            "version is kept as the event, this one is kept here")
                                 .arg(ev.id, ev.source),
                             ev.raw, ev.receivedMs};
    if (Status s = writeQuarantine(q); !s)
        return s;
    ++report.quarantined;
    return {};
}

Status StoreWriter::writeQuarantine(const QuarantinedInput &q)
{
    m_insertQuarantine.bindValue(0, q.origin);
    m_insertQuarantine.bindValue(1, q.position);
    m_insertQuarantine.bindValue(2, q.error);
    m_insertQuarantine.bindValue(3, q.raw);
    m_insertQuarantine.bindValue(4, q.receivedMs);
    if (!m_insertQuarantine.exec())
        return sqlError(m_insertQuarantine, "quarantining input");
    return {};
}

Status StoreWriter::writeCheckpoint(const Checkpoint &c)
{
    m_upsertCheckpoint.bindValue(0, c.connection);
    m_upsertCheckpoint.bindValue(1, c.position);
    m_upsertCheckpoint.bindValue(2, QDateTime::currentMSecsSinceEpoch());
    if (!m_upsertCheckpoint.exec())
        return sqlError(m_upsertCheckpoint, "saving a checkpoint");
    return {};
}

void StoreWriter::forgetCaches()
{
    m_documents.clear();
    m_mergedInto.clear();
    m_identifiersWritten.clear();
    m_cacheHoldsAll = false;
    m_traceSizes.clear();
    if (Status s = loadNextDocumentId(); !s)
        qCWarning(lcStore) << s.error();
}

} // namespace sightline
