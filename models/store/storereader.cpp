#include "models/store/storereader.h"

#include "models/store/connection.h"
#include "models/store/schema.h"

#include <QSqlError>
#include <QSqlQuery>

namespace sightline {
namespace {

Error readError(const QSqlQuery &q, const char *what)
{
    return Error{
        QStringLiteral("cannot read %1 from the store: %2").arg(QLatin1String(what), q.lastError().text())};
}

// The trace's rows; called inside one read transaction.
Result<Trace> readTrace(QSqlDatabase &db, qint64 traceId)
{
    Trace trace;
    trace.id = traceId;
    QSqlQuery q(db);
    q.setForwardOnly(true);

    q.prepare(QStringLiteral("SELECT id, kind, doc_key FROM documents WHERE trace_id = ? ORDER BY id"));
    q.addBindValue(traceId);
    if (!q.exec())
        return readError(q, "documents");
    while (q.next()) {
        TraceDocument d;
        d.id = q.value(0).toLongLong();
        d.ref = {documentKindFromName(q.value(1).toString()).value_or(DocumentKind::SalesOrder),
                 q.value(2).toString()};
        trace.documents.append(d);
    }

    q.prepare(
        QStringLiteral("SELECT i.document_id, i.scheme, i.value FROM identifiers i "
                       "JOIN documents d ON d.id = i.document_id WHERE d.trace_id = ? AND i.scheme <> 'key' "
                       "ORDER BY i.document_id, i.scheme"));
    q.addBindValue(traceId);
    if (!q.exec())
        return readError(q, "identifiers");
    while (q.next()) {
        const qint64 documentId = q.value(0).toLongLong();
        for (TraceDocument &d : trace.documents) {
            if (d.id == documentId)
                d.identifiers.append({q.value(1).toString(), q.value(2).toString()});
        }
    }

    q.prepare(
        QStringLiteral("SELECT l.from_id, l.to_id, l.relation FROM links l "
                       "JOIN documents d ON d.id = l.from_id WHERE d.trace_id = ? ORDER BY l.created_ms"));
    q.addBindValue(traceId);
    if (!q.exec())
        return readError(q, "links");
    while (q.next())
        trace.links.append({q.value(0).toLongLong(), q.value(1).toLongLong(), q.value(2).toString()});

    q.prepare(QStringLiteral(
        "SELECT e.id, e.source, e.event_id, e.type, e.milestone, e.document_id, e.system, e.status, "
        "e.partner, "
        "e.warehouse, e.occurred_ms, e.received_ms, e.occurred_estimated, e.duplicate_count FROM events e "
        "JOIN documents d ON d.id = e.document_id WHERE d.trace_id = ? ORDER BY e.occurred_ms, "
        "e.received_ms, e.id"));
    q.addBindValue(traceId);
    if (!q.exec())
        return readError(q, "events");
    while (q.next()) {
        TraceEvent e;
        e.rowId = q.value(0).toLongLong();
        e.source = q.value(1).toString();
        e.eventId = q.value(2).toString();
        e.type = q.value(3).toString();
        e.milestone = q.value(4).toString();
        e.documentId = q.value(5).toLongLong();
        e.system = q.value(6).toString();
        e.status = q.value(7).toString();
        e.partner = q.value(8).toString();
        e.warehouse = q.value(9).toString();
        e.occurredMs = q.value(10).toLongLong();
        e.receivedMs = q.value(11).toLongLong();
        e.occurredEstimated = q.value(12).toInt() != 0;
        e.duplicates = q.value(13).toInt();
        trace.events.append(e);
    }
    return trace;
}

} // namespace

StoreReader::StoreReader(QString connectionName) : m_connectionName(std::move(connectionName)) {}

StoreReader::~StoreReader()
{
    m_db = QSqlDatabase();
    closeConnection(m_connectionName);
}

Result<std::unique_ptr<StoreReader>> StoreReader::open(const QString &path)
{
    std::unique_ptr<StoreReader> reader(new StoreReader(uniqueConnectionName(u"reader")));
    auto db = openReadConnection(path, reader->m_connectionName);
    if (!db)
        return Error{db.error()};
    reader->m_db = db.value();
    return reader;
}

Result<QList<qint64>> StoreReader::findTraces(const QString &identifier)
{
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT d.trace_id, MAX(d.first_seen_ms) AS seen FROM identifiers i "
                             "JOIN documents d ON d.id = i.document_id WHERE i.folded = ? "
                             "GROUP BY d.trace_id ORDER BY seen DESC, d.trace_id DESC"));
    q.addBindValue(foldIdentifier(identifier));
    if (!q.exec())
        return readError(q, "identifiers");
    QList<qint64> traces;
    while (q.next())
        traces.append(q.value(0).toLongLong());
    return traces;
}

Result<Trace> StoreReader::loadTrace(qint64 traceId)
{
    // One read transaction, so that documents, links and events come from the same snapshot even
    // while the writer commits: never a trace with part of a batch, or events of unlisted documents.
    if (!m_db.transaction())
        return Error{QStringLiteral("cannot read the store: %1").arg(m_db.lastError().text())};
    if (dialectOf(m_db) == SqlDialect::PostgreSQL) {
        // PostgreSQL's default gives each statement its own snapshot; one for the transaction instead.
        QSqlQuery iso(m_db);
        if (!iso.exec(QStringLiteral("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"))) {
            m_db.rollback();
            return readError(iso, "a trace");
        }
    }
    auto trace = readTrace(m_db, traceId);
    m_db.commit(); // ends the snapshot; a read transaction has nothing to write
    return trace;
}

Result<QByteArray> StoreReader::rawPayload(qint64 eventRowId)
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT raw FROM events WHERE id = ?"));
    q.addBindValue(eventRowId);
    if (!q.exec())
        return readError(q, "a payload");
    if (!q.next())
        return Error{QStringLiteral("no event %1 in the store").arg(eventRowId)};
    return q.value(0).toByteArray();
}

Result<StoreCounts> StoreReader::counts()
{
    QSqlQuery q(m_db);
    if (!q.exec(QStringLiteral(
            "SELECT (SELECT COUNT(*) FROM events), (SELECT COALESCE(SUM(duplicate_count), 0) FROM events), "
            "(SELECT COUNT(*) FROM documents), (SELECT COUNT(DISTINCT trace_id) FROM documents), "
            "(SELECT COUNT(*) FROM links), (SELECT COUNT(*) FROM quarantine)")) ||
        !q.next())
        return readError(q, "counts");
    return StoreCounts{q.value(0).toLongLong(), q.value(1).toLongLong(), q.value(2).toLongLong(),
                       q.value(3).toLongLong(), q.value(4).toLongLong(), q.value(5).toLongLong()};
}

Result<StoreCounts> StoreReader::summaryCounts()
{
    QSqlQuery q(m_db);
    if (!q.exec(QStringLiteral("SELECT (SELECT COUNT(*) FROM events), (SELECT COUNT(*) FROM documents), "
                               "(SELECT COUNT(DISTINCT trace_id) FROM documents), "
                               "(SELECT COUNT(*) FROM quarantine)")) ||
        !q.next())
        return readError(q, "counts");
    StoreCounts counts;
    counts.events = q.value(0).toLongLong();
    counts.documents = q.value(1).toLongLong();
    counts.traces = q.value(2).toLongLong();
    counts.quarantined = q.value(3).toLongLong();
    return counts;
}

Result<QList<QuarantineEntry>> StoreReader::quarantine(int limit)
{
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT id, origin, position, error, raw, received_ms FROM quarantine "
                             "ORDER BY id DESC LIMIT ?"));
    q.addBindValue(limit);
    if (!q.exec())
        return readError(q, "the quarantine");
    QList<QuarantineEntry> entries;
    while (q.next()) {
        entries.append({q.value(0).toLongLong(),
                        {q.value(1).toString(), q.value(2).toString(), q.value(3).toString(),
                         q.value(4).toByteArray(), q.value(5).toLongLong()}});
    }
    return entries;
}

Result<std::optional<QString>> StoreReader::checkpoint(const QString &connection)
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT position FROM checkpoints WHERE connection = ?"));
    q.addBindValue(connection);
    if (!q.exec())
        return readError(q, "a checkpoint");
    if (!q.next())
        return std::optional<QString>();
    return std::optional<QString>(q.value(0).toString());
}

Result<QList<SearchHit>> StoreReader::searchIdentifiers(const QString &prefix, int limit)
{
    const QString folded = foldIdentifier(prefix);
    QList<SearchHit> hits;
    if (folded.isEmpty())
        return hits;
    const PrefixRange range = prefixRange(folded);
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT i.value, i.scheme, d.kind, d.doc_key, d.trace_id FROM identifiers i "
                             "JOIN documents d ON d.id = i.document_id WHERE i.folded >= ? AND i.folded < ? "
                             "ORDER BY i.folded, d.id LIMIT ?"));
    q.addBindValue(range.lower);
    q.addBindValue(range.upper);
    q.addBindValue(limit);
    if (!q.exec())
        return readError(q, "identifiers");
    while (q.next()) {
        SearchHit hit;
        hit.matched = q.value(0).toString();
        hit.scheme = q.value(1).toString();
        hit.kind = documentKindFromName(q.value(2).toString()).value_or(DocumentKind::SalesOrder);
        hit.documentKey = q.value(3).toString();
        hit.traceId = q.value(4).toLongLong();
        hits.append(hit);
    }
    return hits;
}

Result<QList<SearchHit>> StoreReader::searchPartners(const QString &prefix, int maxPartners, int perPartner)
{
    const QString trimmed = prefix.trimmed();
    QList<SearchHit> hits;
    if (trimmed.isEmpty())
        return hits;
    const PrefixRange range = prefixRange(trimmed.toLower());
    // Distinct partners by skipping along the index: one short seek per partner, however many
    // events each has.
    const bool pg = dialectOf(m_db) == SqlDialect::PostgreSQL;
    // Case-insensitively along the partner index: NOCASE in SQLite, lower(partner) in PostgreSQL.
    const QString next = pg ? QStringLiteral("SELECT partner FROM events WHERE lower(partner) %1 lower(?) "
                                             "AND lower(partner) < lower(?) ORDER BY lower(partner) LIMIT 1")
                            : QStringLiteral("SELECT partner FROM events WHERE partner %1 ? COLLATE NOCASE "
                                             "AND partner < ? COLLATE NOCASE ORDER BY partner COLLATE NOCASE "
                                             "LIMIT 1");
    QSqlQuery first(m_db);
    first.prepare(next.arg(QLatin1String(">=")));
    QSqlQuery following(m_db);
    following.prepare(next.arg(QLatin1String(">")));
    QStringList partners;
    while (partners.size() < maxPartners) {
        QSqlQuery &names = partners.isEmpty() ? first : following;
        names.addBindValue(partners.isEmpty() ? range.lower : partners.back());
        names.addBindValue(range.upper);
        if (!names.exec())
            return readError(names, "partners");
        if (!names.next())
            break;
        partners.append(names.value(0).toString());
        names.finish();
    }

    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    q.prepare(
        pg ? QStringLiteral("SELECT d.trace_id, d.kind, d.doc_key, e.partner FROM events e "
                            "JOIN documents d ON d.id = e.document_id WHERE lower(e.partner) = lower(?) "
                            "ORDER BY lower(e.partner), e.id DESC LIMIT ?")
           : QStringLiteral("SELECT d.trace_id, d.kind, d.doc_key, e.partner FROM events e "
                            "JOIN documents d ON d.id = e.document_id WHERE e.partner = ? COLLATE NOCASE "
                            "ORDER BY e.partner COLLATE NOCASE, e.id DESC LIMIT ?"));
    for (const QString &partner : std::as_const(partners)) {
        q.addBindValue(partner);
        q.addBindValue(perPartner * 8);
        if (!q.exec())
            return readError(q, "partners' events");
        QList<qint64> seen;
        while (q.next() && seen.size() < perPartner) {
            const qint64 traceId = q.value(0).toLongLong();
            if (seen.contains(traceId))
                continue;
            seen.append(traceId);
            SearchHit hit;
            hit.traceId = traceId;
            hit.kind = documentKindFromName(q.value(1).toString()).value_or(DocumentKind::SalesOrder);
            hit.documentKey = q.value(2).toString();
            hit.matched = q.value(3).toString();
            hit.scheme = QStringLiteral("partner");
            hits.append(hit);
        }
    }
    return hits;
}

} // namespace sightline
