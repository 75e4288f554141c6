#include "models/exceptions/exceptionrepository.h"

#include "models/audit/auditlog.h"
#include "models/exceptions/exceptionquery.h"
#include "models/store/schema.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlError>
#include <QSqlQuery>

namespace sightline::exceptiondb {
namespace {

Error sqlError(const QSqlQuery &q, const char *what)
{
    return Error{QStringLiteral("exceptions: %1 failed: %2").arg(QLatin1String(what), q.lastError().text())};
}

QVariant orNull(const QString &s)
{
    return s.isEmpty() ? QVariant(QMetaType::fromType<QString>()) : QVariant(s);
}

QVariant orNull(qint64 v)
{
    return v ? QVariant(v) : QVariant(QMetaType::fromType<qint64>());
}

const char kColumns[] =
    "id, condition_key, rule, family, type, severity, signature, title, detail, trace_id, document_kind, "
    "document_key, system, partner, warehouse, event_row_id, quarantine_id, first_seen_ms, last_seen_ms, "
    "occurrences, owner, status, status_reason, snoozed_until_ms, updated_ms, replay_count, replay_key, "
    "replay_started_ms, version, updated_by";
// The columns a change writes: all but id and the two it sets itself (version, updated_by).
const char kChangedColumns[] =
    "condition_key, rule, family, type, severity, signature, title, detail, trace_id, document_kind, "
    "document_key, system, partner, warehouse, event_row_id, quarantine_id, first_seen_ms, last_seen_ms, "
    "occurrences, owner, status, status_reason, snoozed_until_ms, updated_ms, replay_count, replay_key, "
    "replay_started_ms";

} // namespace

QString columns()
{
    return QString::fromLatin1(kColumns);
}

ExceptionItem itemFrom(const QSqlQuery &q)
{
    ExceptionItem e;
    int i = 0;
    e.id = q.value(i++).toLongLong();
    e.conditionKey = q.value(i++).toString();
    e.rule = q.value(i++).toString();
    e.family = q.value(i++).toString();
    e.type = q.value(i++).toString();
    e.severity = exceptionSeverityFromName(q.value(i++).toString(), ExceptionSeverity::Medium);
    e.signature = q.value(i++).toString();
    e.title = q.value(i++).toString();
    e.detail = q.value(i++).toString();
    e.traceId = q.value(i++).toLongLong();
    e.documentKind = q.value(i++).toString();
    e.documentKey = q.value(i++).toString();
    e.system = q.value(i++).toString();
    e.partner = q.value(i++).toString();
    e.warehouse = q.value(i++).toString();
    e.eventRowId = q.value(i++).toLongLong();
    e.quarantineId = q.value(i++).toLongLong();
    e.firstSeenMs = q.value(i++).toLongLong();
    e.lastSeenMs = q.value(i++).toLongLong();
    e.occurrences = q.value(i++).toInt();
    e.owner = q.value(i++).toString();
    e.status = exceptionStatusFromName(q.value(i++).toString()).value_or(ExceptionStatus::New);
    e.statusReason = q.value(i++).toString();
    e.snoozedUntilMs = q.value(i++).toLongLong();
    e.updatedMs = q.value(i++).toLongLong();
    e.replayCount = q.value(i++).toInt();
    e.replayKey = q.value(i++).toString();
    e.replayStartedMs = q.value(i++).toLongLong();
    e.version = q.value(i++).toLongLong();
    e.updatedBy = q.value(i++).toString();
    return e;
}

namespace {

Result<QList<ExceptionItem>> select(QSqlQuery &q)
{
    if (!q.exec())
        return sqlError(q, "reading exceptions");
    QList<ExceptionItem> out;
    while (q.next())
        out.append(itemFrom(q));
    return out;
}

// The mutable and descriptive columns, bound in this order after the SET/VALUES clause.
void bindItem(QSqlQuery &q, const ExceptionItem &e)
{
    q.addBindValue(e.conditionKey);
    q.addBindValue(e.rule);
    q.addBindValue(e.family);
    q.addBindValue(e.type);
    q.addBindValue(exceptionSeverityName(e.severity));
    q.addBindValue(e.signature);
    q.addBindValue(e.title);
    q.addBindValue(e.detail);
    q.addBindValue(orNull(e.traceId));
    q.addBindValue(orNull(e.documentKind));
    q.addBindValue(orNull(e.documentKey));
    q.addBindValue(orNull(e.system));
    q.addBindValue(orNull(e.partner));
    q.addBindValue(orNull(e.warehouse));
    q.addBindValue(orNull(e.eventRowId));
    q.addBindValue(orNull(e.quarantineId));
    q.addBindValue(e.firstSeenMs);
    q.addBindValue(e.lastSeenMs);
    q.addBindValue(e.occurrences);
    q.addBindValue(orNull(e.owner));
    q.addBindValue(exceptionStatusName(e.status));
    q.addBindValue(orNull(e.statusReason));
    q.addBindValue(orNull(e.snoozedUntilMs));
    q.addBindValue(e.updatedMs);
    q.addBindValue(e.replayCount);
    q.addBindValue(orNull(e.replayKey));
    q.addBindValue(orNull(e.replayStartedMs));
}

} // namespace

Result<QList<ExceptionItem>> list(QSqlDatabase &db, const ExceptionFilter &f, qint64 nowMs)
{
    exceptionqueue::Where w = exceptionqueue::where(f, nowMs);
    QString sql = QStringLiteral("SELECT %1 FROM exceptions WHERE %2 ORDER BY first_seen_ms, id")
                      .arg(QLatin1String(kColumns), w.sql);
    if (f.limit > 0) {
        sql += QStringLiteral(" LIMIT ?");
        w.binds.append(f.limit);
    }
    QSqlQuery q(db);
    q.setForwardOnly(true);
    q.prepare(sql);
    for (const QVariant &v : std::as_const(w.binds))
        q.addBindValue(v);
    return select(q);
}

Result<std::optional<ExceptionItem>> loadRow(QSqlDatabase &db, qint64 id, bool withDetail, bool forUpdate);

Result<std::optional<ExceptionItem>> load(QSqlDatabase &db, qint64 id, bool withDetail)
{
    return loadRow(db, id, withDetail, false);
}

Result<std::optional<ExceptionItem>> loadForChange(QSqlDatabase &db, qint64 id)
{
    return loadRow(db, id, false, true);
}

Result<std::optional<ExceptionItem>> loadRow(QSqlDatabase &db, qint64 id, bool withDetail, bool forUpdate)
{
    QSqlQuery q(db);
    q.setForwardOnly(true);
    // PostgreSQL: the row stays locked until the transaction ends, so that another process's change
    // of the same exception waits and then sees this one (SQLite has one writer at a time anyway).
    const bool lock = forUpdate && dialectOf(db) == SqlDialect::PostgreSQL;
    q.prepare(QStringLiteral("SELECT %1 FROM exceptions WHERE id = ?%2")
                  .arg(QLatin1String(kColumns), lock ? QStringLiteral(" FOR UPDATE") : QString()));
    q.addBindValue(id);
    auto rows = select(q);
    if (!rows)
        return Error{rows.error()};
    if (rows->isEmpty())
        return std::optional<ExceptionItem>();
    ExceptionItem item = rows->constFirst();
    if (!withDetail)
        return std::optional<ExceptionItem>(item);
    q.prepare(QStringLiteral("SELECT id, author, role, at_ms, body FROM exception_comments "
                             "WHERE exception_id = ? ORDER BY at_ms, id"));
    q.addBindValue(id);
    if (!q.exec())
        return sqlError(q, "reading comments");
    while (q.next())
        item.comments.append({q.value(0).toLongLong(), q.value(1).toString(), q.value(2).toString(),
                              q.value(3).toLongLong(), q.value(4).toString()});
    q.prepare(QStringLiteral("SELECT id, at_ms, actor, what, from_status, to_status, detail FROM "
                             "exception_history WHERE exception_id = ? ORDER BY at_ms, id"));
    q.addBindValue(id);
    if (!q.exec())
        return sqlError(q, "reading history");
    while (q.next())
        item.history.append({q.value(0).toLongLong(), q.value(1).toLongLong(), q.value(2).toString(),
                             q.value(3).toString(), q.value(4).toString(), q.value(5).toString(),
                             q.value(6).toString()});
    if (item.traceId) {
        q.prepare(QStringLiteral("SELECT kind, doc_key FROM documents WHERE trace_id = ? ORDER BY id"));
        q.addBindValue(item.traceId);
        if (!q.exec())
            return sqlError(q, "reading the trace's documents");
        while (q.next())
            item.traceDocuments.append({q.value(0).toString(), q.value(1).toString()});
    }
    return std::optional<ExceptionItem>(item);
}

Result<std::optional<ExceptionItem>> findByConditionKey(QSqlDatabase &db, const QString &key)
{
    QSqlQuery q(db);
    q.setForwardOnly(true);
    q.prepare(
        QStringLiteral("SELECT %1 FROM exceptions WHERE condition_key = ?").arg(QLatin1String(kColumns)));
    q.addBindValue(key);
    auto rows = select(q);
    if (!rows)
        return Error{rows.error()};
    return rows->isEmpty() ? std::optional<ExceptionItem>()
                           : std::optional<ExceptionItem>(rows->constFirst());
}

Result<QList<ExceptionItem>> openOfTrace(QSqlDatabase &db, qint64 traceId)
{
    QSqlQuery q(db);
    q.setForwardOnly(true);
    // By the trace's documents: a trace that merged into another keeps its exceptions.
    QStringList columns;
    for (const QString &c : QString::fromLatin1(kColumns).split(QStringLiteral(", ")))
        columns.append(QStringLiteral("e.") + c);
    q.prepare(QStringLiteral("SELECT %1 FROM documents d JOIN exceptions e ON e.document_kind = d.kind AND "
                             "e.document_key = d.doc_key WHERE d.trace_id = ? AND e.status IN ('new', "
                             "'in_progress') AND e.quarantine_id IS NULL")
                  .arg(columns.join(QStringLiteral(", "))));
    q.addBindValue(traceId);
    return select(q);
}

Result<qint64> lastQuarantineId(QSqlDatabase &db)
{
    QSqlQuery q(db);
    if (!q.exec(QStringLiteral("SELECT COALESCE(MAX(id), 0) FROM quarantine")) || !q.next())
        return sqlError(q, "reading the quarantine");
    return q.value(0).toLongLong();
}

Result<qint64> insert(QSqlDatabase &db, const ExceptionItem &item)
{
    QSqlQuery q(db);
    q.prepare(QStringLiteral(
                  "INSERT INTO exceptions (%1, version, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                  "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?)")
                  .arg(QLatin1String(kChangedColumns)));
    bindItem(q, item);
    q.addBindValue(orNull(item.updatedBy));
    if (!q.exec())
        return sqlError(q, "adding an exception");
    QSqlQuery id(db);
    id.prepare(QStringLiteral("SELECT id FROM exceptions WHERE condition_key = ?"));
    id.addBindValue(item.conditionKey);
    if (!id.exec() || !id.next())
        return sqlError(id, "reading a new exception's id");
    return id.value(0).toLongLong();
}

Status update(QSqlDatabase &db, const ExceptionItem &item)
{
    QStringList sets;
    for (const QString &c : QString::fromLatin1(kChangedColumns).split(QStringLiteral(", ")))
        sets.append(c + QStringLiteral(" = ?"));
    QSqlQuery q(db);
    q.prepare(QStringLiteral("UPDATE exceptions SET %1, version = version + 1, updated_by = ? "
                             "WHERE id = ? AND version = ?")
                  .arg(sets.join(QStringLiteral(", "))));
    bindItem(q, item);
    q.addBindValue(orNull(item.updatedBy));
    q.addBindValue(item.id);
    q.addBindValue(item.version);
    if (!q.exec())
        return sqlError(q, "changing an exception");
    if (q.numRowsAffected() == 0) {
        // Changed meanwhile by another process (its version moved on): never overwrite that.
        auto now = load(db, item.id, false);
        const ExceptionItem current = now && now->has_value() ? *now.value() : ExceptionItem{};
        return Error{conflictMessage(current)};
    }
    return {};
}

QString conflictMessage(const ExceptionItem &current)
{
    return QStringLiteral("exception %1 was changed by %2 at %3; reload")
        .arg(current.id)
        .arg(current.updatedBy.isEmpty() ? QStringLiteral("someone else") : current.updatedBy,
             QDateTime::fromMSecsSinceEpoch(current.updatedMs, Qt::UTC)
                 .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss 'UTC'")));
}

Status notifyChange(QSqlDatabase &db, const ExceptionItem &item, const QString &action)
{
    if (dialectOf(db) != SqlDialect::PostgreSQL)
        return {};
    QSqlQuery q(db);
    // Delivered to every listening console when this transaction commits, and only then.
    q.prepare(QStringLiteral("SELECT pg_notify(?, ?)"));
    QSqlQuery schema(db);
    if (!schema.exec(QStringLiteral("SELECT current_schema()")) || !schema.next())
        return sqlError(schema, "naming the change channel");
    q.addBindValue(exceptionChannel(schema.value(0).toString()));
    q.addBindValue(QString::fromUtf8(QJsonDocument(QJsonObject{{QStringLiteral("id"), item.id},
                                                               {QStringLiteral("version"), item.version},
                                                               {QStringLiteral("by"), item.updatedBy},
                                                               {QStringLiteral("action"), action}})
                                         .toJson(QJsonDocument::Compact)));
    if (!q.exec())
        return sqlError(q, "announcing a change");
    return {};
}

QString exceptionChannel(const QString &schema)
{
    return QStringLiteral("sl:") + schema;
}

Status addHistory(QSqlDatabase &db, qint64 exceptionId, const ExceptionHistoryEntry &h)
{
    QSqlQuery q(db);
    q.prepare(QStringLiteral("INSERT INTO exception_history (exception_id, at_ms, actor, what, from_status, "
                             "to_status, detail) VALUES (?, ?, ?, ?, ?, ?, ?)"));
    q.addBindValue(exceptionId);
    q.addBindValue(h.atMs);
    q.addBindValue(h.actor);
    q.addBindValue(h.what);
    q.addBindValue(orNull(h.fromStatus));
    q.addBindValue(orNull(h.toStatus));
    q.addBindValue(orNull(h.detail));
    if (!q.exec())
        return sqlError(q, "adding history");
    return {};
}

Status addComment(QSqlDatabase &db, qint64 exceptionId, const ExceptionComment &c)
{
    QSqlQuery q(db);
    q.prepare(QStringLiteral(
        "INSERT INTO exception_comments (exception_id, author, role, at_ms, body) VALUES (?, ?, ?, ?, ?)"));
    q.addBindValue(exceptionId);
    q.addBindValue(c.author);
    q.addBindValue(c.role);
    q.addBindValue(c.atMs);
    q.addBindValue(c.body);
    if (!q.exec())
        return sqlError(q, "adding a comment");
    return {};
}

QString stateJson(const ExceptionItem &e)
{
    QJsonObject o{{QStringLiteral("status"), exceptionStatusName(e.status)},
                  {QStringLiteral("owner"), e.owner},
                  {QStringLiteral("occurrences"), e.occurrences},
                  {QStringLiteral("replays"), e.replayCount}};
    if (!e.statusReason.isEmpty())
        o.insert(QStringLiteral("reason"), e.statusReason);
    if (e.snoozedUntilMs)
        o.insert(QStringLiteral("snoozed_until_ms"), e.snoozedUntilMs);
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

Status record(QSqlDatabase &db, const ExceptionItem &before, const ExceptionItem &after, const Change &c)
{
    ExceptionItem row = after;
    row.updatedBy = c.actor.name;
    row.version = before.version; // the version the change was decided on
    qint64 id = after.id;
    if (id == 0) {
        auto inserted = insert(db, row);
        if (!inserted)
            return Error{inserted.error()};
        id = inserted.value();
    } else if (Status s = update(db, row); !s) {
        return s;
    }
    row.id = id;
    row.version = before.version + 1;
    if (Status s = notifyChange(db, row, c.action); !s)
        return s;
    const bool created = before.id == 0;
    ExceptionHistoryEntry h;
    h.atMs = c.atMs;
    h.actor = c.actor.name;
    h.what = c.action;
    h.fromStatus = created ? QString() : exceptionStatusName(before.status);
    h.toStatus = exceptionStatusName(after.status);
    h.detail = c.historyDetail.isEmpty() ? c.reason : c.historyDetail;
    if (Status s = addHistory(db, id, h); !s)
        return s;
    AuditEntry a;
    a.atMs = c.atMs;
    a.actor = c.actor.name;
    a.role = c.actor.role;
    a.action = c.action;
    a.exceptionId = id;
    a.reason = c.reason;
    a.request = c.request;
    a.response = c.response;
    a.result = c.result;
    a.before = created ? QString() : stateJson(before);
    a.after = stateJson(after);
    return appendAudit(db, a);
}

} // namespace sightline::exceptiondb
