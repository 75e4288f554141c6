#include "models/trace/tracecontext.h"

#include "models/domain/document.h"
#include "models/exceptions/exceptionitem.h"

#include <QSet>
#include <QSqlError>
#include <QSqlQuery>

namespace sightline {
namespace {

// An exception names the trace it was raised in and its document; a later link may have merged
// that trace into this one, so both are looked up.
Status loadExceptions(QSqlDatabase &db, Trace &trace)
{
    const QString open = exceptionStatusName(ExceptionStatus::New);
    const QString taken = exceptionStatusName(ExceptionStatus::InProgress);
    QSqlQuery byTrace(db);
    byTrace.prepare(QStringLiteral("SELECT id, title, severity, status FROM exceptions "
                                   "WHERE trace_id = ? AND status IN (?, ?) ORDER BY id"));
    QSqlQuery byDocument(db);
    byDocument.prepare(QStringLiteral("SELECT id, title, severity, status FROM exceptions "
                                      "WHERE document_kind = ? AND document_key = ? AND status IN (?, ?) "
                                      "ORDER BY id"));
    QSet<qint64> seen;
    auto collect = [&](QSqlQuery &q) -> Status {
        if (!q.exec())
            return Error{QStringLiteral("reading the trace's exceptions: %1").arg(q.lastError().text())};
        while (q.next()) {
            const qint64 id = q.value(0).toLongLong();
            if (!seen.contains(id)) {
                seen.insert(id);
                trace.exceptions.append(
                    {id, q.value(1).toString(), q.value(2).toString(), q.value(3).toString()});
            }
        }
        return {};
    };
    byTrace.addBindValue(trace.id);
    byTrace.addBindValue(open);
    byTrace.addBindValue(taken);
    if (Status s = collect(byTrace); !s)
        return s;
    for (const TraceDocument &d : std::as_const(trace.documents)) {
        byDocument.addBindValue(documentKindName(d.ref.kind));
        byDocument.addBindValue(d.ref.key);
        byDocument.addBindValue(open);
        byDocument.addBindValue(taken);
        if (Status s = collect(byDocument); !s)
            return s;
    }
    return {};
}

std::optional<qint64> optionalMs(const QVariant &v)
{
    return v.isNull() ? std::nullopt : std::optional<qint64>(v.toLongLong());
}

Status loadSlaTargets(QSqlDatabase &db, Trace &trace)
{
    QSqlQuery q(db);
    q.setForwardOnly(true);
    q.prepare(
        QStringLiteral("SELECT policy, document_id, start_ms, due_ms, end_ms, state FROM sla_measurements "
                       "WHERE trace_id = ? ORDER BY start_ms"));
    q.addBindValue(trace.id);
    if (!q.exec())
        return Error{QStringLiteral("reading the trace's SLA targets: %1").arg(q.lastError().text())};
    while (q.next()) {
        trace.slaTargets.append({q.value(0).toString(), q.value(1).toLongLong(), q.value(2).toLongLong(),
                                 optionalMs(q.value(3)), optionalMs(q.value(4)), q.value(5).toString()});
    }
    return {};
}

} // namespace

Status loadTraceContext(QSqlDatabase &db, Trace &trace)
{
    if (trace.id == 0)
        return {};
    if (Status s = loadExceptions(db, trace); !s)
        return s;
    return loadSlaTargets(db, trace);
}

} // namespace sightline
