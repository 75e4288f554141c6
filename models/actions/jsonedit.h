#pragma once

#include "models/actions/editrules.h"

#include <QByteArray>
#include <QJsonValue>
#include <QList>
#include <QString>

namespace sightline {

// A problem with an edited message: a parse error (with its line and column), a change of shape
// or type against the original, or a change to a locked field.
struct EditProblem
{
    QString path; // JSON pointer, empty for a parse error
    int line = 0; // 1-based, 0 when unknown
    int column = 0;
    QString message;
};

// One field that differs: its JSON pointer and the value before and after, as compact JSON.
struct FieldChange
{
    QString path;
    QString before;
    QString after;
    bool editable = true;
};

// What an edit of a kept message amounts to, against the original and the edit rules.
struct EditCheck
{
    bool parsed = false;
    QList<EditProblem> problems;
    QList<FieldChange> changes;

    bool ok() const { return parsed && problems.isEmpty(); }
};

// Validates edited (the text a person typed) against original (the kept message): it must be
// JSON, keep the original's shape and value types, and change only fields the rules make
// editable for documentKind. Lists every difference, locked or not.
EditCheck checkEdit(const QByteArray &original, const QByteArray &edited, const EditRules &rules,
                    const QString &documentKind);

// The field-level differences of two JSON values, leaves only, in document order.
QList<FieldChange> diffJson(const QJsonValue &before, const QJsonValue &after, const QString &path = {});

// The changes as a JSON array of {path, before, after}, for the audit log.
QString changesJson(const QList<FieldChange> &changes);

// A JSON value as compact text ("12", "\"a\"", "{...}").
QString jsonText(const QJsonValue &value);

// The 1-based line and column of a byte offset in UTF-8 text.
std::pair<int, int> lineColumnAt(const QByteArray &text, qsizetype offset);

// The same JSON text, whitespace and key order aside: for idempotency keys and comparisons.
QByteArray canonicalJson(const QByteArray &text);

} // namespace sightline
