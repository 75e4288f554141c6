#include "models/actions/resubmitdrafts.h"

#include <QSqlError>
#include <QSqlQuery>

namespace sightline::draftdb {

Result<ResubmitDraft> append(QSqlDatabase &db, ResubmitDraft draft)
{
    QSqlQuery last(db);
    last.prepare(QStringLiteral("SELECT MAX(version) FROM resubmit_drafts WHERE exception_id = ?"));
    last.addBindValue(draft.exceptionId);
    if (!last.exec())
        return Error{QStringLiteral("reading draft versions: %1").arg(last.lastError().text())};
    draft.version = (last.next() && !last.value(0).isNull()) ? last.value(0).toInt() + 1 : 1;
    QSqlQuery q(db);
    q.prepare(QStringLiteral("INSERT INTO resubmit_drafts (exception_id, version, author, role, at_ms, body, "
                             "reason, state) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
    q.addBindValue(draft.exceptionId);
    q.addBindValue(draft.version);
    q.addBindValue(draft.author);
    q.addBindValue(draft.role);
    q.addBindValue(draft.atMs);
    q.addBindValue(QString::fromUtf8(draft.body));
    q.addBindValue(draft.reason);
    q.addBindValue(draft.state);
    if (!q.exec())
        return Error{QStringLiteral("saving a draft: %1").arg(q.lastError().text())};
    return draft;
}

Result<QList<ResubmitDraft>> list(QSqlDatabase &db, qint64 exceptionId)
{
    QSqlQuery q(db);
    q.setForwardOnly(true);
    q.prepare(
        QStringLiteral("SELECT id, version, author, role, at_ms, body, reason, state FROM resubmit_drafts "
                       "WHERE exception_id = ? ORDER BY version"));
    q.addBindValue(exceptionId);
    if (!q.exec())
        return Error{QStringLiteral("reading drafts: %1").arg(q.lastError().text())};
    QList<ResubmitDraft> out;
    while (q.next()) {
        ResubmitDraft d;
        d.id = q.value(0).toLongLong();
        d.exceptionId = exceptionId;
        d.version = q.value(1).toInt();
        d.author = q.value(2).toString();
        d.role = q.value(3).toString();
        d.atMs = q.value(4).toLongLong();
        d.body = q.value(5).toString().toUtf8();
        d.reason = q.value(6).toString();
        d.state = q.value(7).toString();
        out.append(d);
    }
    return out;
}

} // namespace sightline::draftdb
