#include "models/store/schema.h"

#include "models/domain/document.h"
#include "models/logging.h"

#include <QRegularExpression>
#include <QSqlError>
#include <QSqlQuery>
#include <functional>
#include <vector>

namespace sightline {
namespace {

// DDL is written once with a few placeholders that differ between dialects.
QString ddl(QString sql, SqlDialect dialect)
{
    const bool pg = dialect == SqlDialect::PostgreSQL;
    sql.replace(QStringLiteral("{ROWID}"),
                pg ? QStringLiteral("BIGSERIAL PRIMARY KEY") : QStringLiteral("INTEGER PRIMARY KEY"));
    sql.replace(QStringLiteral("{ID}"),
                pg ? QStringLiteral("BIGINT PRIMARY KEY") : QStringLiteral("INTEGER PRIMARY KEY"));
    sql.replace(QStringLiteral("{BLOB}"), pg ? QStringLiteral("BYTEA") : QStringLiteral("BLOB"));
    // A case-insensitive index over a column: SQLite's NOCASE collation, PostgreSQL's lower().
    static const QRegularExpression nocase(QStringLiteral("\\{NOCASE\\((\\w+)\\)\\}"));
    sql.replace(nocase, pg ? QStringLiteral("lower(\\1)") : QStringLiteral("\\1 COLLATE NOCASE"));
    return sql;
}

Status exec(QSqlDatabase &db, const QString &sql)
{
    QSqlQuery q(db);
    if (!q.exec(sql))
        return Error{QStringLiteral("%1 (in: %2)").arg(q.lastError().text(), sql.simplified().left(120))};
    return {};
}

struct Migration
{
    int version;
    const char *description;
    QStringList ddl;
    std::function<Status(QSqlDatabase &)> dataStep; // may be empty
};

// Version 2 finds identifiers case-insensitively: fill the folded form of every stored identifier.
Status foldExistingIdentifiers(QSqlDatabase &db)
{
    QSqlQuery read(db);
    read.setForwardOnly(true);
    if (!read.exec(QStringLiteral("SELECT value, document_id FROM identifiers")))
        return Error{read.lastError().text()};
    QList<std::pair<QString, qint64>> rows;
    while (read.next())
        rows.append({read.value(0).toString(), read.value(1).toLongLong()});
    read.finish(); // PostgreSQL: a forward-only result must be done with before the next statement
    QSqlQuery write(db);
    write.prepare(QStringLiteral("UPDATE identifiers SET folded = ? WHERE value = ? AND document_id = ?"));
    for (const auto &[value, documentId] : rows) {
        write.addBindValue(foldIdentifier(value));
        write.addBindValue(value);
        write.addBindValue(documentId);
        if (!write.exec())
            return Error{write.lastError().text()};
    }
    return {};
}

// The queue's sortable columns (models/exceptions/exceptionquery.cpp). The severity and status
// expressions must stay exactly as exceptionquery.cpp writes them.
const char *const kQueueSortKeys[][2] = {
    {"severity", "(CASE severity WHEN 'low' THEN 0 WHEN 'medium' THEN 1 WHEN 'high' THEN 2 WHEN 'critical' "
                 "THEN 3 ELSE 1 END)"},
    {"status", "(CASE status WHEN 'new' THEN 0 WHEN 'in_progress' THEN 1 WHEN 'resolved' THEN 2 ELSE 3 END)"},
    {"type", "type"},
    {"document", "document_key"},
    {"partner", "partner"},
    {"system", "system"},
    {"owner", "owner"},
    {"age", "first_seen_ms"},
    {"occurrences", "occurrences"},
    {"warehouse", "warehouse"},
    {"detail", "detail"},
};

// Version 9: one index per sortable queue column, (column, id, status), so that a page of the
// queue in any order is read from an index.
QStringList exceptionQueueIndexes()
{
    QStringList out;
    for (const auto &[name, column] : kQueueSortKeys)
        out.append(QStringLiteral("CREATE INDEX exceptions_sort_%1 ON exceptions (%2, id, status)")
                       .arg(QLatin1String(name), QLatin1String(column)));
    out.append(QStringLiteral("CREATE INDEX exceptions_by_rule ON exceptions (rule, status)"));
    return out;
}

// Version 10: the sort indexes also hold document_kind (a page of a role's documents walks the
// sort index alone), and one covering index holds every filter column, open items first, for the
// counts and the groups.
QStringList exceptionQueueIndexesWithDocuments()
{
    QStringList out;
    for (const auto &[name, column] : kQueueSortKeys) {
        out.append(QStringLiteral("DROP INDEX exceptions_sort_%1").arg(QLatin1String(name)));
        out.append(
            QStringLiteral("CREATE INDEX exceptions_sort_%1 ON exceptions (%2, id, status, document_kind)")
                .arg(QLatin1String(name), QLatin1String(column)));
    }
    out.append(QStringLiteral(
        "CREATE INDEX exceptions_filter ON exceptions (status, severity, document_kind, system, "
        "partner, warehouse, owner, rule, type, signature, first_seen_ms)"));
    return out;
}

// The planner picks those indexes once it has statistics (SQLite keeps none before ANALYZE).
Status analyzeExceptions(QSqlDatabase &db)
{
    QSqlQuery q(db);
    if (!q.exec(QStringLiteral("ANALYZE exceptions")))
        return Error{q.lastError().text()};
    return {};
}

const std::vector<Migration> &migrations()
{
    static const std::vector<Migration> all{
        {1,
         "documents, identifiers, links, events with raw payloads, quarantine",
         {
             QStringLiteral("CREATE TABLE documents (id {ID}, kind TEXT NOT NULL, "
                            "doc_key TEXT NOT NULL, trace_id BIGINT NOT NULL, first_seen_ms BIGINT NOT NULL, "
                            "UNIQUE (kind, doc_key))"),
             QStringLiteral("CREATE INDEX documents_by_trace ON documents (trace_id)"),
             QStringLiteral("CREATE TABLE identifiers (value TEXT NOT NULL, document_id BIGINT NOT NULL, "
                            "scheme TEXT NOT NULL, PRIMARY KEY (value, document_id))"),
             QStringLiteral("CREATE TABLE links (from_id BIGINT NOT NULL, to_id BIGINT NOT NULL, "
                            "relation TEXT NOT NULL, created_ms BIGINT NOT NULL, "
                            "PRIMARY KEY (from_id, to_id, relation))"),
             QStringLiteral("CREATE INDEX links_by_target ON links (to_id)"),
             QStringLiteral(
                 "CREATE TABLE events (id {ROWID}, source TEXT NOT NULL, event_id TEXT NOT NULL, "
                 "type TEXT NOT NULL, milestone TEXT, document_id BIGINT, system TEXT, status TEXT, "
                 "partner TEXT, warehouse TEXT, occurred_ms BIGINT NOT NULL, "
                 "received_ms BIGINT NOT NULL, occurred_estimated INTEGER NOT NULL DEFAULT 0, "
                 "duplicate_count INTEGER NOT NULL DEFAULT 0, raw_sha1 {BLOB}, raw {BLOB} NOT NULL, "
                 "UNIQUE (source, event_id))"),
             QStringLiteral("CREATE INDEX events_by_document ON events (document_id, occurred_ms)"),
             QStringLiteral(
                 "CREATE TABLE quarantine (id {ROWID}, origin TEXT NOT NULL, position TEXT NOT NULL, "
                 "error TEXT NOT NULL, raw {BLOB} NOT NULL, received_ms BIGINT NOT NULL)"),
         },
         {}},
        {2,
         "identifiers found case-insensitively; connector checkpoints committed with their events",
         {
             QStringLiteral("ALTER TABLE identifiers ADD COLUMN folded TEXT NOT NULL DEFAULT ''"),
             QStringLiteral("CREATE INDEX identifiers_by_folded ON identifiers (folded)"),
             QStringLiteral("CREATE TABLE checkpoints (connection TEXT PRIMARY KEY, position TEXT NOT NULL, "
                            "updated_ms BIGINT NOT NULL)"),
         },
         foldExistingIdentifiers},
        {3,
         "partners found by prefix for search anywhere",
         {
             QStringLiteral("CREATE INDEX events_by_partner ON events ({NOCASE(partner)})"),
         },
         {}},
        {4,
         "a trace's identifiers read by document",
         {
             QStringLiteral("CREATE INDEX identifiers_by_document ON identifiers (document_id)"),
         },
         {}},
        {5,
         "each connection's last known health, for status and a console started later",
         {
             QStringLiteral(
                 "CREATE TABLE connection_status (connection TEXT PRIMARY KEY, state TEXT NOT NULL, "
                 "last_error TEXT, last_success_ms BIGINT NOT NULL, lag_ms BIGINT NOT NULL, "
                 "requests BIGINT NOT NULL, errors BIGINT NOT NULL, retries BIGINT NOT NULL, "
                 "events BIGINT NOT NULL, quarantined BIGINT NOT NULL, updated_ms BIGINT NOT NULL)"),
         },
         {}},
        {6,
         "exceptions with their comments and history; the append-only, hash-chained audit log",
         {
             QStringLiteral(
                 "CREATE TABLE exceptions (id {ROWID}, condition_key TEXT NOT NULL UNIQUE, "
                 "rule TEXT NOT NULL, family TEXT NOT NULL, type TEXT NOT NULL, severity TEXT NOT NULL, "
                 "signature TEXT NOT NULL, title TEXT NOT NULL, detail TEXT NOT NULL, trace_id BIGINT, "
                 "document_kind TEXT, document_key TEXT, system TEXT, partner TEXT, warehouse TEXT, "
                 "event_row_id BIGINT, quarantine_id BIGINT, first_seen_ms BIGINT NOT NULL, "
                 "last_seen_ms BIGINT NOT NULL, occurrences INTEGER NOT NULL DEFAULT 1, owner TEXT, "
                 "status TEXT NOT NULL, status_reason TEXT, snoozed_until_ms BIGINT, "
                 "updated_ms BIGINT NOT NULL, replay_count INTEGER NOT NULL DEFAULT 0, "
                 "replay_key TEXT, replay_started_ms BIGINT)"),
             QStringLiteral("CREATE INDEX exceptions_by_trace ON exceptions (trace_id)"),
             QStringLiteral("CREATE INDEX exceptions_by_status ON exceptions (status, last_seen_ms)"),
             QStringLiteral("CREATE INDEX exceptions_by_signature ON exceptions (signature)"),
             QStringLiteral(
                 "CREATE INDEX exceptions_by_document ON exceptions (document_kind, document_key)"),
             QStringLiteral("CREATE TABLE exception_comments (id {ROWID}, exception_id BIGINT NOT NULL, "
                            "author TEXT NOT NULL, role TEXT NOT NULL, at_ms BIGINT NOT NULL, "
                            "body TEXT NOT NULL)"),
             QStringLiteral("CREATE INDEX comments_by_exception ON exception_comments (exception_id)"),
             QStringLiteral("CREATE TABLE exception_history (id {ROWID}, exception_id BIGINT NOT NULL, "
                            "at_ms BIGINT NOT NULL, actor TEXT NOT NULL, what TEXT NOT NULL, "
                            "from_status TEXT, to_status TEXT, detail TEXT)"),
             QStringLiteral("CREATE INDEX history_by_exception ON exception_history (exception_id)"),
             QStringLiteral(
                 "CREATE TABLE audit_log (seq {ID}, at_ms BIGINT NOT NULL, actor TEXT NOT NULL, "
                 "role TEXT NOT NULL, action TEXT NOT NULL, exception_id BIGINT, reason TEXT, "
                 "request TEXT, response TEXT, result TEXT NOT NULL, before_state TEXT, after_state TEXT, "
                 "prev_hash TEXT NOT NULL, hash TEXT NOT NULL)"),
         },
         {}},
        {7,
         "SLA measurements and their per-day buckets",
         {
             QStringLiteral(
                 "CREATE TABLE sla_measurements (policy TEXT NOT NULL, item_id BIGINT NOT NULL, "
                 "document_id BIGINT NOT NULL, trace_id BIGINT NOT NULL, partner TEXT NOT NULL, "
                 "warehouse TEXT NOT NULL, start_ms BIGINT NOT NULL, at_risk_ms BIGINT, due_ms BIGINT, "
                 "end_ms BIGINT, elapsed_ms BIGINT, state TEXT NOT NULL, PRIMARY KEY (policy, item_id))"),
             QStringLiteral("CREATE INDEX sla_by_start ON sla_measurements (policy, start_ms)"),
             QStringLiteral("CREATE INDEX sla_open_by_risk ON sla_measurements (state, at_risk_ms)"),
             QStringLiteral("CREATE INDEX sla_open_by_due ON sla_measurements (state, due_ms)"),
             QStringLiteral("CREATE TABLE sla_buckets (policy TEXT NOT NULL, day_ms BIGINT NOT NULL, "
                            "partner TEXT NOT NULL, warehouse TEXT NOT NULL, open_n BIGINT NOT NULL, "
                            "at_risk_n BIGINT NOT NULL, met_n BIGINT NOT NULL, breached_n BIGINT NOT NULL, "
                            "histogram {BLOB} NOT NULL, PRIMARY KEY (policy, day_ms, partner, warehouse))"),
             QStringLiteral("CREATE INDEX sla_buckets_by_day ON sla_buckets (day_ms)"),
         },
         {}},
        {8,
         "a trace's SLA measurements read by trace (the trace view draws their targets)",
         {
             QStringLiteral("CREATE INDEX sla_by_trace ON sla_measurements (trace_id)"),
         },
         {}},
        {9, "the exception queue filtered, sorted and paged in SQL", exceptionQueueIndexes(),
         analyzeExceptions},
        {10, "the exception queue's counts and a role's documents read from indexes",
         exceptionQueueIndexesWithDocuments(), analyzeExceptions},
        {11,
         "edit-and-resubmit drafts, the outbox of actions whose target is down, bulk jobs and their items",
         {
             QStringLiteral("CREATE TABLE resubmit_drafts (id {ROWID}, exception_id BIGINT NOT NULL, "
                            "version INTEGER NOT NULL, author TEXT NOT NULL, role TEXT NOT NULL, "
                            "at_ms BIGINT NOT NULL, body TEXT NOT NULL, reason TEXT, state TEXT NOT NULL, "
                            "UNIQUE (exception_id, version))"),
             QStringLiteral(
                 "CREATE TABLE action_outbox (id {ROWID}, exception_id BIGINT, action TEXT NOT NULL, "
                 "actor TEXT NOT NULL, role TEXT NOT NULL, connection TEXT NOT NULL, method TEXT NOT NULL, "
                 "path TEXT NOT NULL, body {BLOB}, idempotency_key TEXT NOT NULL UNIQUE, state TEXT NOT "
                 "NULL, "
                 "attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT, created_ms BIGINT NOT NULL, "
                 "updated_ms BIGINT NOT NULL, next_attempt_ms BIGINT NOT NULL)"),
             QStringLiteral("CREATE INDEX outbox_by_state ON action_outbox (state, next_attempt_ms)"),
             QStringLiteral("CREATE TABLE bulk_jobs (id {ROWID}, action TEXT NOT NULL, actor TEXT NOT NULL, "
                            "role TEXT NOT NULL, reason TEXT, selection TEXT, dry_run INTEGER NOT NULL, "
                            "rate_per_second INTEGER NOT NULL, state TEXT NOT NULL, total INTEGER NOT NULL, "
                            "created_ms BIGINT NOT NULL, updated_ms BIGINT NOT NULL)"),
             QStringLiteral(
                 "CREATE TABLE bulk_job_items (job_id BIGINT NOT NULL, seq INTEGER NOT NULL, "
                 "exception_id BIGINT NOT NULL, preview TEXT, idempotency_key TEXT, state TEXT NOT NULL, "
                 "http_status INTEGER, message TEXT, updated_ms BIGINT NOT NULL, PRIMARY KEY (job_id, seq))"),
             QStringLiteral("CREATE INDEX bulk_items_by_state ON bulk_job_items (job_id, state, seq)"),
         },
         {}},
        {12,
         "the exception queue's filter index seeks a role's documents",
         {
             QStringLiteral("DROP INDEX exceptions_filter"),
             QStringLiteral(
                 "CREATE INDEX exceptions_filter ON exceptions (status, document_kind, severity, system, "
                 "partner, warehouse, owner, rule, type, signature, first_seen_ms)"),
         },
         analyzeExceptions},
        {13,
         "team mode: exceptions carry a version (a change made on an older one is a conflict) and who "
         "changed them last; users' roles kept in the store",
         {
             QStringLiteral("ALTER TABLE exceptions ADD COLUMN version BIGINT NOT NULL DEFAULT 0"),
             QStringLiteral("ALTER TABLE exceptions ADD COLUMN updated_by TEXT"),
             QStringLiteral("CREATE TABLE user_roles (user_name TEXT PRIMARY KEY, role TEXT NOT NULL, "
                            "updated_by TEXT NOT NULL, updated_ms BIGINT NOT NULL)"),
         },
         {}},
        {14,
         "the exception queue's severity filter seeks open items by severity",
         {
             // The filter index leads with document_kind after status (a role's documents); a filter
             // on severity alone walked every open item of it. This twin leads with severity.
             QStringLiteral(
                 "CREATE INDEX exceptions_filter_severity ON exceptions (status, severity, document_kind, "
                 "system, partner, warehouse, owner, rule, type, signature, first_seen_ms)"),
         },
         analyzeExceptions},
        {15,
         "exception detection remembers what it has evaluated: a start evaluates only the traces with "
         "events since, and the time-based rules' next looks survive a restart",
         {
             QStringLiteral("CREATE TABLE exception_checks (trace_id BIGINT PRIMARY KEY, "
                            "evaluated_through BIGINT NOT NULL, next_check_ms BIGINT)"),
             QStringLiteral("CREATE INDEX exception_checks_due ON exception_checks (next_check_ms)"),
             QStringLiteral(
                 "CREATE TABLE exception_engine_state (name TEXT PRIMARY KEY, value TEXT NOT NULL)"),
         },
         {}},
    };
    return all;
}

Status applyMigration(QSqlDatabase &db, const Migration &m)
{
    if (!db.transaction())
        return Error{QStringLiteral("cannot begin a transaction: %1").arg(db.lastError().text())};
    auto fail = [&db, &m](const QString &why) -> Status {
        db.rollback();
        return Error{QStringLiteral("migration to schema version %1 failed: %2").arg(m.version).arg(why)};
    };
    for (const QString &sql : m.ddl) {
        if (Status s = exec(db, ddl(sql, dialectOf(db))); !s)
            return fail(s.error());
    }
    if (m.dataStep) {
        if (Status s = m.dataStep(db); !s)
            return fail(s.error());
    }
    QSqlQuery q(db);
    q.prepare(QStringLiteral("UPDATE schema_version SET version = ?"));
    q.addBindValue(m.version);
    if (!q.exec())
        return fail(q.lastError().text());
    if (!db.commit())
        return fail(db.lastError().text());
    qCInfo(lcStore) << "schema migrated to version" << m.version << "-" << m.description;
    return {};
}

// PostgreSQL advisory lock keys (any constant unique to Sightline).
constexpr qint64 kMigrationLock = 0x5167'6874'0001;
constexpr qint64 kSharedWriteLock = 0x5167'6874'0002;

Status migrateLocked(QSqlDatabase &db, int targetVersion);

} // namespace

Status lockSharedWrites(QSqlDatabase &db)
{
    if (dialectOf(db) != SqlDialect::PostgreSQL)
        return {};
    QSqlQuery q(db);
    if (!q.exec(QStringLiteral("SELECT pg_advisory_xact_lock(%1)").arg(kSharedWriteLock)))
        return Error{
            QStringLiteral("cannot lock the shared store for writing: %1").arg(q.lastError().text())};
    return {};
}

SqlDialect dialectOf(const QSqlDatabase &db)
{
    return db.driverName() == QLatin1String("QPSQL") ? SqlDialect::PostgreSQL : SqlDialect::SQLite;
}

int latestSchemaVersion()
{
    return migrations().back().version;
}

Result<int> schemaVersion(QSqlDatabase &db)
{
    QSqlQuery q(db);
    const bool pg = dialectOf(db) == SqlDialect::PostgreSQL;
    // In the connection's own schema (PostgreSQL: the first of the search path).
    if (!q.exec(pg ? QStringLiteral("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = "
                                    "current_schema() AND table_name = 'schema_version'")
                   : QStringLiteral("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND "
                                    "name = 'schema_version'")) ||
        !q.next())
        return Error{QStringLiteral("cannot read the schema version: %1").arg(q.lastError().text())};
    if (q.value(0).toInt() == 0)
        return 0;
    if (!q.exec(QStringLiteral("SELECT version FROM schema_version")) || !q.next())
        return Error{QStringLiteral("cannot read the schema version: %1").arg(q.lastError().text())};
    return q.value(0).toInt();
}

Status migrate(QSqlDatabase &db, int targetVersion)
{
    if (dialectOf(db) != SqlDialect::PostgreSQL)
        return migrateLocked(db, targetVersion);
    // Several processes may open a shared store at once: one migrates, the others wait and find it done.
    QSqlQuery lock(db);
    if (!lock.exec(QStringLiteral("SELECT pg_advisory_lock(%1)").arg(kMigrationLock)))
        return Error{QStringLiteral("cannot lock the store for migration: %1").arg(lock.lastError().text())};
    Status s = migrateLocked(db, targetVersion);
    lock.exec(QStringLiteral("SELECT pg_advisory_unlock(%1)").arg(kMigrationLock));
    return s;
}

namespace {

Status migrateLocked(QSqlDatabase &db, int targetVersion)
{
    auto current = schemaVersion(db);
    if (!current)
        return Error{current.error()};
    if (current.value() > latestSchemaVersion())
        return Error{QStringLiteral("the store is at schema version %1, newer than this Sightline (%2); "
                                    "use a newer Sightline")
                         .arg(current.value())
                         .arg(latestSchemaVersion())};
    if (current.value() == 0) {
        // Table and row together: a crash in between must not leave a version table without a version.
        if (!db.transaction())
            return Error{QStringLiteral("cannot begin a transaction: %1").arg(db.lastError().text())};
        for (const char *sql : {"CREATE TABLE schema_version (version INTEGER NOT NULL)",
                                "INSERT INTO schema_version (version) VALUES (0)"}) {
            if (Status s = exec(db, QString::fromLatin1(sql)); !s) {
                db.rollback();
                return s;
            }
        }
        if (!db.commit())
            return Error{QStringLiteral("cannot create the schema version: %1").arg(db.lastError().text())};
    }
    for (const Migration &m : migrations()) {
        if (m.version <= current.value() || m.version > targetVersion)
            continue;
        if (Status s = applyMigration(db, m); !s)
            return s;
    }
    return {};
}

} // namespace

} // namespace sightline
