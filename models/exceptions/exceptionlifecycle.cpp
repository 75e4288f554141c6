#include "models/exceptions/exceptionlifecycle.h"

#include "models/exceptions/exceptionrepository.h"

#include <QSet>

namespace sightline {
namespace {

using exceptiondb::Change;

constexpr char kConditionCleared[] = "condition cleared";

Change engineChange(const QString &action, qint64 nowMs, const QString &detail = {})
{
    Change c;
    c.actor = Actor::engine();
    c.action = action;
    c.atMs = nowMs;
    c.historyDetail = detail;
    return c;
}

// The descriptive fields a new evaluation may refresh.
void refresh(ExceptionItem &row, const ExceptionItem &f)
{
    row.type = f.type;
    row.severity = f.severity;
    row.signature = f.signature;
    row.title = f.title;
    row.detail = f.detail;
    row.traceId = f.traceId ? f.traceId : row.traceId;
    row.system = f.system;
    row.partner = f.partner;
    row.warehouse = f.warehouse;
    row.rule = f.rule;
    row.family = f.family;
}

Status applyFinding(QSqlDatabase &db, const ExceptionItem &f, qint64 nowMs)
{
    auto existing = exceptiondb::findByConditionKey(db, f.conditionKey);
    if (!existing)
        return Error{existing.error()};
    if (!existing->has_value()) {
        ExceptionItem row = f;
        row.status = ExceptionStatus::New;
        row.firstSeenMs = f.firstSeenMs ? f.firstSeenMs : nowMs;
        row.lastSeenMs = row.firstSeenMs;
        row.updatedMs = nowMs;
        return exceptiondb::record(db, ExceptionItem{}, row,
                                   engineChange(QStringLiteral("detected"), nowMs, f.detail));
    }
    const ExceptionItem before = *existing.value();
    ExceptionItem row = before;
    const bool newEvidence = before.eventRowId != f.eventRowId || before.detail != f.detail;
    refresh(row, f);
    row.eventRowId = f.eventRowId;
    // A resolved exception reopens when its condition comes back after clearing, or with new
    // evidence; a person's resolution of the same evidence stands.
    const bool cleared = before.statusReason == QLatin1String(kConditionCleared);
    if (before.status == ExceptionStatus::Resolved && (cleared || newEvidence)) {
        row.status = ExceptionStatus::New;
        row.statusReason.clear();
        row.owner.clear();
        row.occurrences = before.occurrences + 1;
        row.lastSeenMs = nowMs;
        row.updatedMs = nowMs;
        return exceptiondb::record(db, before, row, engineChange(QStringLiteral("reopen"), nowMs, f.detail));
    }
    if (!newEvidence || before.status == ExceptionStatus::Resolved)
        return {};
    row.occurrences = before.occurrences + 1;
    row.lastSeenMs = nowMs;
    row.updatedMs = nowMs;
    return exceptiondb::record(db, before, row, engineChange(QStringLiteral("recurred"), nowMs, f.detail));
}

} // namespace

Status reconcileFindings(QSqlDatabase &db, qint64 traceId, const QList<ExceptionItem> &findings, qint64 nowMs)
{
    QSet<QString> found;
    for (const ExceptionItem &f : findings) {
        found.insert(f.conditionKey);
        if (Status s = applyFinding(db, f, nowMs); !s)
            return s;
    }
    if (traceId == 0)
        return {};
    auto open = exceptiondb::openOfTrace(db, traceId);
    if (!open)
        return Error{open.error()};
    for (const ExceptionItem &before : std::as_const(open.value())) {
        if (found.contains(before.conditionKey))
            continue;
        ExceptionItem row = before;
        row.status = ExceptionStatus::Resolved;
        row.traceId = traceId;
        row.statusReason = QString::fromLatin1(kConditionCleared);
        row.updatedMs = nowMs;
        Change c =
            engineChange(QStringLiteral("auto_resolve"), nowMs, QStringLiteral("the condition cleared"));
        c.reason = row.statusReason;
        if (Status s = exceptiondb::record(db, before, row, c); !s)
            return s;
    }
    return {};
}

} // namespace sightline
