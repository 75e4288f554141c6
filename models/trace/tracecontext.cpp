#include "models/trace/tracecontext.h"

#include "models/exceptions/exceptionitem.h"
#include "models/exceptions/exceptionrepository.h"

#include <QSqlError>
#include <QSqlQuery>

namespace sightline {
namespace {

// Found through the trace's documents (exceptiondb::openOfTrace): a trace that a later link
// merged into this one keeps its exceptions. One query, whatever the number of documents.
Status loadExceptions(QSqlDatabase &db, Trace &trace)
{
    auto open = exceptiondb::openOfTrace(db, trace.id);
    if (!open)
        return Error{open.error()};
    for (const ExceptionItem &e : open.value())
        trace.exceptions.append(
            {e.id, e.title, exceptionSeverityName(e.severity), exceptionStatusName(e.status)});
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
