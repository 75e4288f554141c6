#pragma once

#include "models/exceptions/exceptionitem.h"
#include "models/result.h"

#include <QSqlDatabase>
#include <QSqlQuery>
#include <optional>

namespace sightline {

// Who changed an exception: a person with their role, or the detection engine.
struct Actor
{
    QString name;
    QString role;

    static Actor engine() { return {QStringLiteral("sightline"), QStringLiteral("system")}; }
};

// SQL over the exception tables. Reads run on any connection; writes must run inside the writer's
// transaction (a StoreWrite in IngestBatch::writes). Bound parameters only.
namespace exceptiondb {

// The exceptions table's columns in the order itemFrom reads them ("id, condition_key, ...").
QString columns();
// One row of a query that selected columns().
ExceptionItem itemFrom(const QSqlQuery &q);

Result<QList<ExceptionItem>> list(QSqlDatabase &db, const ExceptionFilter &filter, qint64 nowMs);
// One exception; with its comments and history when withDetail.
Result<std::optional<ExceptionItem>> load(QSqlDatabase &db, qint64 id, bool withDetail);
// One exception, to be changed in this (writer's) transaction: on PostgreSQL its row is locked
// (SELECT ... FOR UPDATE) until the transaction ends, so that a check made on it holds.
Result<std::optional<ExceptionItem>> loadForChange(QSqlDatabase &db, qint64 id);
Result<std::optional<ExceptionItem>> findByConditionKey(QSqlDatabase &db, const QString &key);
// Open exceptions of a trace raised by the rules over traces (not quarantined input).
Result<QList<ExceptionItem>> openOfTrace(QSqlDatabase &db, qint64 traceId);
Result<qint64> lastQuarantineId(QSqlDatabase &db);

Result<qint64> insert(QSqlDatabase &db, const ExceptionItem &item);
// Changes the row if it is still at item.version (and adds one to it); else a conflict error.
Status update(QSqlDatabase &db, const ExceptionItem &item);
// "exception N was changed by X at T; reload".
QString conflictMessage(const ExceptionItem &current);
// The PostgreSQL notification channel of the exceptions of a schema; every change is announced
// on it, in its transaction, with {"id", "version", "by", "action"} (no-op on SQLite).
QString exceptionChannel(const QString &schema);
Status notifyChange(QSqlDatabase &db, const ExceptionItem &item, const QString &action);
Status addHistory(QSqlDatabase &db, qint64 exceptionId, const ExceptionHistoryEntry &entry);
Status addComment(QSqlDatabase &db, qint64 exceptionId, const ExceptionComment &comment);

// The fields an action changes, as compact JSON for the audit log's before and after.
QString stateJson(const ExceptionItem &item);

// Records a change made to an exception: the row, a history entry and an audit entry, together.
struct Change
{
    Actor actor;
    QString action; // "detected", "take", "assign", "resolve", "auto_resolve", "reopen", "replay"...
    QString reason;
    QString request;
    QString response;
    QString result = QStringLiteral("ok");
    QString historyDetail;
    qint64 atMs = 0;
};
Status record(QSqlDatabase &db, const ExceptionItem &before, const ExceptionItem &after,
              const Change &change);

} // namespace exceptiondb
} // namespace sightline
