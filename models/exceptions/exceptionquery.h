#pragma once

#include "models/exceptions/exceptionitem.h"
#include "models/result.h"
#include "models/store/ingestbatch.h"

#include <QSqlDatabase>
#include <QVariant>

namespace sightline {

// What the queue can be sorted by: the queue's columns, in their order.
enum class ExceptionSortKey {
    Severity,
    Type,
    Document,
    Partner,
    System,
    Status,
    Owner,
    Age,
    Occurrences,
    Detail
};

struct ExceptionSort
{
    ExceptionSortKey key = ExceptionSortKey::Age;
    Qt::SortOrder order = Qt::DescendingOrder; // age descending: the oldest first

    bool operator==(const ExceptionSort &) const = default;
};

// One question to the queue: which exceptions, in which order.
struct ExceptionQuery
{
    ExceptionFilter filter;
    ExceptionSort sort;
};

// Rows [offset, offset + rows.size()) of a query's answer.
struct ExceptionPage
{
    int offset = 0;
    QList<ExceptionItem> rows;
};

// Exceptions with one cause across many documents: a group per signature, with its count.
struct ExceptionGroup
{
    QString signature; // empty: every exception
    QString type;
    QString example; // what a person calls the group: "type: cause"
    int count = 0;
    qint64 oldestMs = 0;
    ExceptionSeverity severity = ExceptionSeverity::Low; // the highest in the group
};

// The queue's questions answered in SQL (filter, sort, page, group, count), on any read
// connection, with bound parameters only and SQL that runs on SQLite and PostgreSQL. The orders
// match the indexes of schema version 10: (sort column, id, status, document_kind).
namespace exceptionqueue {

// "status IN (?, ?) AND partner = ? ...": the filter as a WHERE clause (never empty) and its values.
struct Where
{
    QString sql;
    QVariantList binds;
};
Where where(const ExceptionFilter &filter, qint64 nowMs);
// "first_seen_ms ASC NULLS FIRST, id ASC": NULL sorts as the smallest value on both databases.
QString orderBy(const ExceptionSort &sort);

Result<int> count(QSqlDatabase &db, const ExceptionFilter &filter, qint64 nowMs);
Result<QList<ExceptionItem>> page(QSqlDatabase &db, const ExceptionQuery &query, int offset, int limit,
                                  qint64 nowMs);
// Groups by signature (the filter's own signature is ignored), largest first, at most `limit`.
Result<QList<ExceptionGroup>> groups(QSqlDatabase &db, const ExceptionFilter &filter, qint64 nowMs,
                                     int limit = 500);
// The row an exception has in the query's answer; -1 when the query does not show it.
Result<int> positionOf(QSqlDatabase &db, const ExceptionQuery &query, qint64 exceptionId, qint64 nowMs);

// Refreshes the database's statistics of the exception tables so that the planner picks the
// sort indexes (SQLite has none until ANALYZE runs). Queue it through the store's writer.
StoreWrite analyzeWrite();

} // namespace exceptionqueue
} // namespace sightline

Q_DECLARE_METATYPE(sightline::ExceptionQuery)
Q_DECLARE_METATYPE(sightline::ExceptionPage)
Q_DECLARE_METATYPE(sightline::ExceptionGroup)
