#include "models/audit/auditlog.h"

#include "models/store/schema.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>

namespace sightline {
namespace {

Error sqlError(const QSqlQuery &q, const char *what)
{
    return Error{QStringLiteral("audit log: %1 failed: %2").arg(QLatin1String(what), q.lastError().text())};
}

QVariant nullable(const QString &s)
{
    return s.isEmpty() ? QVariant(QMetaType::fromType<QString>()) : QVariant(s);
}

AuditEntry entryFrom(const QSqlQuery &q)
{
    AuditEntry e;
    e.seq = q.value(0).toLongLong();
    e.atMs = q.value(1).toLongLong();
    e.actor = q.value(2).toString();
    e.role = q.value(3).toString();
    e.action = q.value(4).toString();
    e.exceptionId = q.value(5).toLongLong();
    e.reason = q.value(6).toString();
    e.request = q.value(7).toString();
    e.response = q.value(8).toString();
    e.result = q.value(9).toString();
    e.before = q.value(10).toString();
    e.after = q.value(11).toString();
    e.prevHash = q.value(12).toString();
    e.hash = q.value(13).toString();
    return e;
}

const char kColumns[] = "seq, at_ms, actor, role, action, exception_id, reason, request, response, result, "
                        "before_state, after_state, prev_hash, hash";

} // namespace

QString auditHash(const AuditEntry &e)
{
    const QJsonArray fields{QString::number(e.seq),
                            QString::number(e.atMs),
                            e.actor,
                            e.role,
                            e.action,
                            QString::number(e.exceptionId),
                            e.reason,
                            e.request,
                            e.response,
                            e.result,
                            e.before,
                            e.after};
    QCryptographicHash h(QCryptographicHash::Sha256);
    h.addData(e.prevHash.toUtf8());
    h.addData(QByteArrayView("\n"));
    h.addData(QJsonDocument(fields).toJson(QJsonDocument::Compact));
    return QString::fromLatin1(h.result().toHex());
}

Status appendAudit(QSqlDatabase &db, AuditEntry e)
{
    // Several processes append to a shared store: one at a time, so that the chain never forks.
    if (Status s = lockSharedWrites(db); !s)
        return s;
    QSqlQuery last(db);
    last.setForwardOnly(true);
    if (!last.exec(QStringLiteral("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")))
        return sqlError(last, "reading the last entry");
    e.seq = 1;
    e.prevHash = QString::fromLatin1(kGenesisHash);
    if (last.next()) {
        e.seq = last.value(0).toLongLong() + 1;
        e.prevHash = last.value(1).toString();
    }
    last.finish();
    e.hash = auditHash(e);
    QSqlQuery q(db);
    q.prepare(QStringLiteral("INSERT INTO audit_log (%1) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                  .arg(QLatin1String(kColumns)));
    q.addBindValue(e.seq);
    q.addBindValue(e.atMs);
    q.addBindValue(e.actor);
    q.addBindValue(e.role);
    q.addBindValue(e.action);
    q.addBindValue(e.exceptionId ? QVariant(e.exceptionId) : QVariant(QMetaType::fromType<qint64>()));
    q.addBindValue(nullable(e.reason));
    q.addBindValue(nullable(e.request));
    q.addBindValue(nullable(e.response));
    q.addBindValue(e.result);
    q.addBindValue(nullable(e.before));
    q.addBindValue(nullable(e.after));
    q.addBindValue(e.prevHash);
    q.addBindValue(e.hash);
    if (!q.exec())
        return sqlError(q, "appending an entry");
    return {};
}

Result<QList<AuditEntry>> readAudit(QSqlDatabase &db, qint64 afterSeq, int limit, qint64 exceptionId)
{
    QSqlQuery q(db);
    q.setForwardOnly(true);
    QString sql = QStringLiteral("SELECT %1 FROM audit_log WHERE seq > ?").arg(QLatin1String(kColumns));
    if (exceptionId)
        sql += QStringLiteral(" AND exception_id = ?");
    sql += QStringLiteral(" ORDER BY seq");
    if (limit > 0)
        sql += QStringLiteral(" LIMIT ?");
    q.prepare(sql);
    q.addBindValue(afterSeq);
    if (exceptionId)
        q.addBindValue(exceptionId);
    if (limit > 0)
        q.addBindValue(limit);
    if (!q.exec())
        return sqlError(q, "reading entries");
    QList<AuditEntry> out;
    while (q.next())
        out.append(entryFrom(q));
    return out;
}

Result<AuditVerification> verifyAudit(QSqlDatabase &db)
{
    QSqlQuery q(db);
    q.setForwardOnly(true);
    if (!q.exec(QStringLiteral("SELECT %1 FROM audit_log ORDER BY seq").arg(QLatin1String(kColumns))))
        return sqlError(q, "reading entries");
    AuditVerification v;
    QString expectedPrev = QString::fromLatin1(kGenesisHash);
    qint64 expectedSeq = 1;
    while (q.next()) {
        const AuditEntry e = entryFrom(q);
        ++v.entries;
        QString problem;
        if (e.seq != expectedSeq)
            problem = QStringLiteral("entry %1 follows entry %2: entries are missing")
                          .arg(e.seq)
                          .arg(expectedSeq - 1);
        else if (e.prevHash != expectedPrev)
            problem = QStringLiteral("entry %1 does not link to the entry before it").arg(e.seq);
        else if (auditHash(e) != e.hash)
            problem = QStringLiteral("entry %1 was changed after it was written (its hash does not match)")
                          .arg(e.seq);
        if (!problem.isEmpty()) {
            v.brokenSeq = e.seq;
            v.problem = problem;
            return v;
        }
        expectedPrev = e.hash;
        ++expectedSeq;
    }
    return v;
}

QJsonObject auditEntryJson(const AuditEntry &e)
{
    auto jsonOrText = [](const QString &s) -> QJsonValue {
        if (s.isEmpty())
            return QJsonValue::Null;
        const QJsonDocument d = QJsonDocument::fromJson(s.toUtf8());
        if (d.isObject())
            return d.object();
        return s;
    };
    return {
        {QStringLiteral("seq"), e.seq},
        {QStringLiteral("at"), QDateTime::fromMSecsSinceEpoch(e.atMs, Qt::UTC).toString(Qt::ISODateWithMs)},
        {QStringLiteral("actor"), e.actor},
        {QStringLiteral("role"), e.role},
        {QStringLiteral("action"), e.action},
        {QStringLiteral("exception"), e.exceptionId ? QJsonValue(e.exceptionId) : QJsonValue()},
        {QStringLiteral("reason"), e.reason.isEmpty() ? QJsonValue() : QJsonValue(e.reason)},
        {QStringLiteral("request"), jsonOrText(e.request)},
        {QStringLiteral("response"), jsonOrText(e.response)},
        {QStringLiteral("result"), e.result},
        {QStringLiteral("before"), jsonOrText(e.before)},
        {QStringLiteral("after"), jsonOrText(e.after)},
        {QStringLiteral("prev_hash"), e.prevHash},
        {QStringLiteral("hash"), e.hash}};
}

QString auditEntryText(const AuditEntry &entry)
{
    return QString::fromUtf8(QJsonDocument(auditEntryJson(entry)).toJson(QJsonDocument::Indented));
}

} // namespace sightline
