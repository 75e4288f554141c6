#include "models/exceptions/exceptionquery.h"

#include "models/exceptions/exceptionrepository.h"

#include <QSqlError>
#include <QSqlQuery>

namespace sightline::exceptionqueue {
namespace {

// Severity and status in their own order, not the alphabet's. Written exactly as the expression
// indexes of schema versions 9, 10 and 12 are (models/store/schema.cpp), so that the planner can use them.
const char kSeverityRank[] = "(CASE severity WHEN 'low' THEN 0 WHEN 'medium' THEN 1 WHEN 'high' THEN 2 WHEN "
                             "'critical' THEN 3 ELSE 1 END)";
const char kStatusRank[] =
    "(CASE status WHEN 'new' THEN 0 WHEN 'in_progress' THEN 1 WHEN 'resolved' THEN 2 ELSE 3 END)";

Error sqlError(const QSqlQuery &q, const char *what)
{
    return Error{
        QStringLiteral("exception queue: %1 failed: %2").arg(QLatin1String(what), q.lastError().text())};
}

QString marks(const QStringList &values, QVariantList *binds)
{
    QStringList out;
    for (const QString &v : values) {
        out.append(QStringLiteral("?"));
        binds->append(v);
    }
    return out.join(u',');
}

// The column (or expression) a sort key orders by, and whether ascending on the key is ascending
// on the column (age grows as first_seen_ms shrinks).
std::pair<QString, bool> sortExpression(ExceptionSortKey key)
{
    switch (key) {
    case ExceptionSortKey::Severity:
        return {QString::fromLatin1(kSeverityRank), true};
    case ExceptionSortKey::Type:
        return {QStringLiteral("type"), true};
    case ExceptionSortKey::Document:
        return {QStringLiteral("document_key"), true};
    case ExceptionSortKey::Partner:
        return {QStringLiteral("partner"), true};
    case ExceptionSortKey::System:
        return {QStringLiteral("system"), true};
    case ExceptionSortKey::Status:
        return {QString::fromLatin1(kStatusRank), true};
    case ExceptionSortKey::Owner:
        return {QStringLiteral("owner"), true};
    case ExceptionSortKey::Age:
        return {QStringLiteral("first_seen_ms"), false};
    case ExceptionSortKey::Occurrences:
        return {QStringLiteral("occurrences"), true};
    case ExceptionSortKey::Detail:
        return {QStringLiteral("detail"), true};
    }
    return {QStringLiteral("first_seen_ms"), false};
}

bool columnAscending(const ExceptionSort &sort)
{
    const bool keyAscending = sort.order == Qt::AscendingOrder;
    return sortExpression(sort.key).second ? keyAscending : !keyAscending;
}

void bindAll(QSqlQuery &q, const QVariantList &binds)
{
    for (const QVariant &v : binds)
        q.addBindValue(v);
}

} // namespace

Where where(const ExceptionFilter &f, qint64 nowMs)
{
    Where w;
    QStringList clauses;
    if (!f.statuses.isEmpty())
        clauses.append(QStringLiteral("status IN (%1)").arg(marks(f.statuses, &w.binds)));
    if (!f.severities.isEmpty())
        clauses.append(QStringLiteral("severity IN (%1)").arg(marks(f.severities, &w.binds)));
    if (!f.type.isEmpty()) {
        clauses.append(QStringLiteral("(rule = ? OR type = ?)"));
        w.binds << f.type << f.type;
    }
    const std::pair<const char *, QString> exact[] = {
        {"system = ?", f.system}, {"partner = ?", f.partner}, {"warehouse = ?", f.warehouse},
        {"owner = ?", f.owner},   {"family = ?", f.family},   {"signature = ?", f.signature}};
    for (const auto &[clause, value] : exact) {
        if (value.isEmpty())
            continue;
        clauses.append(QLatin1String(clause));
        w.binds.append(value);
    }
    if (!f.documentKinds.isEmpty())
        clauses.append(QStringLiteral("document_kind IN (%1)").arg(marks(f.documentKinds, &w.binds)));
    if (f.traceId) {
        clauses.append(QStringLiteral("trace_id = ?"));
        w.binds.append(f.traceId);
    }
    if (f.minAgeMs > 0) {
        clauses.append(QStringLiteral("first_seen_ms <= ?"));
        w.binds.append(nowMs - f.minAgeMs);
    }
    w.sql = clauses.isEmpty() ? QStringLiteral("1 = 1") : clauses.join(QStringLiteral(" AND "));
    return w;
}

QString orderBy(const ExceptionSort &sort)
{
    const bool asc = columnAscending(sort);
    return QStringLiteral("%1 %2, id %3")
        .arg(sortExpression(sort.key).first,
             asc ? QStringLiteral("ASC NULLS FIRST") : QStringLiteral("DESC NULLS LAST"),
             asc ? QStringLiteral("ASC") : QStringLiteral("DESC"));
}

Result<int> count(QSqlDatabase &db, const ExceptionFilter &filter, qint64 nowMs)
{
    const Where w = where(filter, nowMs);
    QSqlQuery q(db);
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT COUNT(*) FROM exceptions WHERE ") + w.sql);
    bindAll(q, w.binds);
    if (!q.exec() || !q.next())
        return sqlError(q, "counting");
    return q.value(0).toInt();
}

Result<QList<ExceptionItem>> page(QSqlDatabase &db, const ExceptionQuery &query, int offset, int limit,
                                  qint64 nowMs)
{
    // The ids of the page first, from the sort index alone; then only those rows are read.
    const Where w = where(query.filter, nowMs);
    const QString order = orderBy(query.sort);
    QSqlQuery q(db);
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT %1 FROM exceptions WHERE id IN (SELECT id FROM exceptions WHERE %2 "
                             "ORDER BY %3 LIMIT ? OFFSET ?) ORDER BY %3")
                  .arg(exceptiondb::columns(), w.sql, order));
    bindAll(q, w.binds);
    q.addBindValue(limit);
    q.addBindValue(offset);
    if (!q.exec())
        return sqlError(q, "reading a page");
    QList<ExceptionItem> rows;
    while (q.next())
        rows.append(exceptiondb::itemFrom(q));
    return rows;
}

Result<QList<ExceptionGroup>> groups(QSqlDatabase &db, const ExceptionFilter &filter, qint64 nowMs, int limit)
{
    ExceptionFilter all = filter;
    all.signature.clear();
    const Where w = where(all, nowMs);
    QSqlQuery q(db);
    q.setForwardOnly(true);
    // Grouped by an expression, not the column: the planner then reads the covering filter
    // index (schema 12) and groups in memory instead of visiting every row in signature order.
    q.prepare(QStringLiteral("SELECT signature || '', MIN(type), COUNT(*), MIN(first_seen_ms), MAX(%1) "
                             "FROM exceptions WHERE %2 GROUP BY signature || '' ORDER BY COUNT(*) DESC, 1 "
                             "LIMIT ?")
                  .arg(QLatin1String(kSeverityRank), w.sql));
    bindAll(q, w.binds);
    q.addBindValue(limit);
    if (!q.exec())
        return sqlError(q, "grouping");
    QList<ExceptionGroup> out;
    while (q.next()) {
        const QString signature = q.value(0).toString();
        const QString type = q.value(1).toString();
        const QString cause = signature.section(u'|', 1);
        out.append({signature, type, cause.isEmpty() ? type : QString(type + QStringLiteral(": ") + cause),
                    q.value(2).toInt(), q.value(3).toLongLong(),
                    ExceptionSeverity(std::clamp(q.value(4).toInt(), 0, 3))});
    }
    return out;
}

Result<int> positionOf(QSqlDatabase &db, const ExceptionQuery &query, qint64 exceptionId, qint64 nowMs)
{
    const Where w = where(query.filter, nowMs);
    const QString expr = sortExpression(query.sort.key).first;
    QSqlQuery q(db);
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT %1 FROM exceptions WHERE id = ? AND %2").arg(expr, w.sql));
    q.addBindValue(exceptionId);
    bindAll(q, w.binds);
    if (!q.exec())
        return sqlError(q, "finding an exception");
    if (!q.next())
        return -1;
    const QVariant value = q.value(0);
    const bool asc = columnAscending(query.sort);
    // The rows before it in the order of orderBy(): NULL is the smallest value, id breaks ties.
    QString before;
    QVariantList binds;
    if (value.isNull()) {
        before =
            asc ? QStringLiteral("(%1 IS NULL AND id < ?)") : QStringLiteral("(%1 IS NOT NULL OR id > ?)");
        binds << exceptionId;
    } else if (asc) {
        before = QStringLiteral("(%1 IS NULL OR %1 < ? OR (%1 = ? AND id < ?))");
        binds << value << value << exceptionId;
    } else {
        before = QStringLiteral("(%1 > ? OR (%1 = ? AND id > ?))");
        binds << value << value << exceptionId;
    }
    QSqlQuery c(db);
    c.setForwardOnly(true);
    c.prepare(QStringLiteral("SELECT COUNT(*) FROM exceptions WHERE %1 AND %2").arg(w.sql, before.arg(expr)));
    bindAll(c, w.binds);
    bindAll(c, binds);
    if (!c.exec() || !c.next())
        return sqlError(c, "placing an exception");
    return c.value(0).toInt();
}

StoreWrite analyzeWrite()
{
    return [](QSqlDatabase &db) -> Status {
        QSqlQuery q(db);
        if (!q.exec(QStringLiteral("ANALYZE exceptions")))
            return sqlError(q, "refreshing statistics");
        return {};
    };
}

} // namespace sightline::exceptionqueue
