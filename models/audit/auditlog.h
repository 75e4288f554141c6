#pragma once

#include "models/result.h"

#include <QJsonObject>
#include <QList>
#include <QSqlDatabase>
#include <QString>

namespace sightline {

// One entry of the append-only audit log (SPEC.md §4): who, in which role, when, what, why, the
// request and response of any call made, the result, and the exception's state before and after.
struct AuditEntry
{
    qint64 seq = 0;
    qint64 atMs = 0;
    QString actor;
    QString role;
    QString action;
    qint64 exceptionId = 0;
    QString reason;
    QString request;
    QString response;
    QString result;
    QString before; // compact JSON of the exception's state, empty when none
    QString after;
    QString prevHash;
    QString hash; // SHA-256 over prevHash and every field above: the chain
};

// Appends an entry, chaining it to the last one. Run it inside the writer's transaction (a
// StoreWrite), so that the entry commits with the change it records.
Status appendAudit(QSqlDatabase &db, AuditEntry entry);

// The hash an entry should carry, given its fields and prevHash.
QString auditHash(const AuditEntry &entry);

// Entries in order; afterSeq and limit page through (limit 0: all).
Result<QList<AuditEntry>> readAudit(QSqlDatabase &db, qint64 afterSeq = 0, int limit = 0,
                                    qint64 exceptionId = 0);

struct AuditVerification
{
    qint64 entries = 0;
    qint64 brokenSeq = 0; // the first entry whose hash or link does not hold; 0 when the chain holds
    QString problem;
    bool ok() const { return brokenSeq == 0; }
};

// Recomputes the chain from the first entry: a changed, removed or inserted row breaks it.
Result<AuditVerification> verifyAudit(QSqlDatabase &db);

QJsonObject auditEntryJson(const AuditEntry &entry);
// The entry as indented JSON, for a person.
QString auditEntryText(const AuditEntry &entry);

inline constexpr char kGenesisHash[] = "0000000000000000000000000000000000000000000000000000000000000000";

} // namespace sightline
