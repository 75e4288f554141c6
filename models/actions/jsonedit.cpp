#include "models/actions/jsonedit.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace sightline {
namespace {

QString typeName(const QJsonValue &v)
{
    switch (v.type()) {
    case QJsonValue::Null:
        return QStringLiteral("null");
    case QJsonValue::Bool:
        return QStringLiteral("true or false");
    case QJsonValue::Double:
        return QStringLiteral("a number");
    case QJsonValue::String:
        return QStringLiteral("a string");
    case QJsonValue::Array:
        return QStringLiteral("a list");
    case QJsonValue::Object:
        return QStringLiteral("an object");
    case QJsonValue::Undefined:
        break;
    }
    return QStringLiteral("nothing");
}

QString escapeSegment(QString key)
{
    key.replace(u'~', QStringLiteral("~0"));
    key.replace(u'/', QStringLiteral("~1"));
    return key;
}

// Walks original and edited together; shape and type problems go to problems, leaf differences to changes.
void compare(const QJsonValue &a, const QJsonValue &b, const QString &path, QList<EditProblem> &problems,
             QList<FieldChange> &changes)
{
    const QString shown = path.isEmpty() ? QStringLiteral("/") : path;
    if (a.type() != b.type()) {
        problems.append({shown, 0, 0,
                         QStringLiteral("%1 was %2 and is now %3: a field keeps its type")
                             .arg(shown, typeName(a), typeName(b))});
        return;
    }
    if (a.isObject()) {
        const QJsonObject oa = a.toObject();
        const QJsonObject ob = b.toObject();
        for (auto it = oa.begin(); it != oa.end(); ++it) {
            const QString child = path + u'/' + escapeSegment(it.key());
            if (!ob.contains(it.key()))
                problems.append(
                    {child, 0, 0, QStringLiteral("%1 was removed: fields cannot be removed").arg(child)});
            else
                compare(it.value(), ob.value(it.key()), child, problems, changes);
        }
        for (auto it = ob.begin(); it != ob.end(); ++it) {
            if (!oa.contains(it.key())) {
                const QString child = path + u'/' + escapeSegment(it.key());
                problems.append(
                    {child, 0, 0, QStringLiteral("%1 was added: fields cannot be added").arg(child)});
            }
        }
        return;
    }
    if (a.isArray()) {
        const QJsonArray la = a.toArray();
        const QJsonArray lb = b.toArray();
        if (la.size() != lb.size()) {
            problems.append({shown, 0, 0,
                             QStringLiteral("%1 had %2 entries and has %3: a list keeps its length")
                                 .arg(shown)
                                 .arg(la.size())
                                 .arg(lb.size())});
            return;
        }
        for (qsizetype i = 0; i < la.size(); ++i)
            compare(la.at(i), lb.at(i), path + u'/' + QString::number(i), problems, changes);
        return;
    }
    if (a != b)
        changes.append({shown, jsonText(a), jsonText(b), true});
}

} // namespace

QString jsonText(const QJsonValue &value)
{
    if (value.isObject())
        return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
    if (value.isArray())
        return QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact));
    const QByteArray wrapped = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(wrapped.mid(1, wrapped.size() - 2));
}

std::pair<int, int> lineColumnAt(const QByteArray &text, qsizetype offset)
{
    offset = qBound<qsizetype>(0, offset, text.size());
    int line = 1;
    int column = 1;
    for (qsizetype i = 0; i < offset; ++i) {
        const char c = text.at(i);
        if (c == '\n') {
            ++line;
            column = 1;
        } else if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) {
            ++column; // count characters, not UTF-8 continuation bytes
        }
    }
    return {line, column};
}

QByteArray canonicalJson(const QByteArray &text)
{
    const QJsonDocument doc = QJsonDocument::fromJson(text);
    return doc.isNull() ? text.trimmed() : doc.toJson(QJsonDocument::Compact);
}

QList<FieldChange> diffJson(const QJsonValue &before, const QJsonValue &after, const QString &path)
{
    QList<EditProblem> problems;
    QList<FieldChange> changes;
    compare(before, after, path, problems, changes);
    // A change of shape or type is a difference too: shown whole.
    for (const EditProblem &p : problems)
        changes.append({p.path, QString(), p.message, false});
    return changes;
}

EditCheck checkEdit(const QByteArray &original, const QByteArray &edited, const EditRules &rules,
                    const QString &documentKind)
{
    EditCheck out;
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(edited, &error);
    if (error.error != QJsonParseError::NoError) {
        const auto [line, column] = lineColumnAt(edited, error.offset);
        out.problems.append(
            {QString(), line, column,
             QStringLiteral("line %1, column %2: %3").arg(line).arg(column).arg(error.errorString())});
        return out;
    }
    out.parsed = true;
    const QJsonDocument kept = QJsonDocument::fromJson(original);
    const QJsonValue a = kept.isArray() ? QJsonValue(kept.array()) : QJsonValue(kept.object());
    const QJsonValue b = doc.isArray() ? QJsonValue(doc.array()) : QJsonValue(doc.object());
    compare(a, b, QString(), out.problems, out.changes);
    for (FieldChange &c : out.changes) {
        c.editable = rules.isEditable(documentKind, c.path);
        if (!c.editable)
            out.problems.append(
                {c.path, 0, 0,
                 QStringLiteral("%1 is locked: only %2 may change")
                     .arg(c.path, rules.editablePatterns(documentKind).isEmpty()
                                      ? QStringLiteral("no field of a %1 message").arg(documentKind)
                                      : rules.editablePatterns(documentKind).join(QStringLiteral(", ")))});
    }
    return out;
}

QString changesJson(const QList<FieldChange> &changes)
{
    QJsonArray out;
    for (const FieldChange &c : changes)
        out.append(QJsonObject{{QStringLiteral("path"), c.path},
                               {QStringLiteral("before"), c.before},
                               {QStringLiteral("after"), c.after}});
    return QString::fromUtf8(QJsonDocument(out).toJson(QJsonDocument::Compact));
}

} // namespace sightline
