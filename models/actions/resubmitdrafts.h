#pragma once

#include "models/result.h"

#include <QByteArray>
#include <QList>
#include <QSqlDatabase>
#include <QString>

namespace sightline {

// One version of an edited message (SPEC.md §4: every draft is kept as a version). The kept
// original is never touched; each save, dry run and send adds a version.
struct ResubmitDraft
{
    qint64 id = 0;
    qint64 exceptionId = 0;
    int version = 0;
    QString author;
    QString role;
    qint64 atMs = 0;
    QByteArray body;
    QString reason;
    QString state; // "draft", "dry_run", "sent"
};

namespace draftdb {

// Appends a version (the next number for the exception); run inside the writer's transaction.
Result<ResubmitDraft> append(QSqlDatabase &db, ResubmitDraft draft);
// Every version of an exception's edits, oldest first.
Result<QList<ResubmitDraft>> list(QSqlDatabase &db, qint64 exceptionId);

} // namespace draftdb
} // namespace sightline
