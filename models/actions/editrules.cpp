#include "models/actions/editrules.h"

#include "models/resourcepaths.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStandardPaths>

namespace sightline {

QStringList guardedPaths()
{
    return {QStringLiteral("/specversion"),
            QStringLiteral("/id"),
            QStringLiteral("/source"),
            QStringLiteral("/type"),
            QStringLiteral("/subject"),
            QStringLiteral("/data/message_id"),
            QStringLiteral("/data/document"),
            QStringLiteral("/data/links"),
            QStringLiteral("/data/destination"),
            QStringLiteral("/data/endpoint"),
            QStringLiteral("/data/dead_letter_id")};
}

bool pointerMatches(const QString &pattern, const QString &pointer)
{
    const QStringList p = pattern.split(u'/');
    const QStringList v = pointer.split(u'/');
    if (p.size() != v.size())
        return false;
    for (qsizetype i = 0; i < p.size(); ++i) {
        if (p.at(i) != u"*" && p.at(i) != v.at(i))
            return false;
    }
    return true;
}

EditRules EditRules::defaults()
{
    EditRules r;
    r.editableByKind.insert(QStringLiteral("purchase_order"),
                            {QStringLiteral("/data/payload/lines/*/quantity"),
                             QStringLiteral("/data/payload/lines/*/promised_date"),
                             QStringLiteral("/data/payload/lines/*/unit_price"),
                             QStringLiteral("/data/payload/ship_to")});
    r.editableByKind.insert(QStringLiteral("release"), {QStringLiteral("/data/payload/lines/*/quantity"),
                                                        QStringLiteral("/data/payload/warehouse")});
    return r;
}

Result<EditRules> EditRules::fromJson(const QByteArray &json, EditRules base)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
    if (!doc.isObject())
        return Error{
            QStringLiteral("not a JSON object (%1 at offset %2)").arg(error.errorString()).arg(error.offset)};
    const QJsonValue messages = doc.object().value(QStringLiteral("messages"));
    if (!messages.isUndefined() && !messages.isObject())
        return Error{QStringLiteral("\"messages\" must be an object of document kinds")};
    const QJsonObject byKind = messages.toObject();
    for (auto it = byKind.begin(); it != byKind.end(); ++it) {
        if (!it.value().isArray())
            return Error{QStringLiteral("\"messages\".\"%1\" must be a list of JSON pointers").arg(it.key())};
        QStringList patterns;
        for (const QJsonValue &v : it.value().toArray()) {
            const QString p = v.toString();
            if (!p.startsWith(u'/'))
                return Error{QStringLiteral("\"%1\" in \"%2\" is not a JSON pointer").arg(p, it.key())};
            patterns.append(p);
        }
        base.editableByKind.insert(it.key(), patterns);
    }
    return base;
}

Result<EditRules> EditRules::load(const QString &userFile)
{
    EditRules r = defaults();
    for (const QString &path : {resourcePath(QStringLiteral("edit-rules.json")), userFile}) {
        QFile f(path);
        if (path.isEmpty() || !f.exists())
            continue;
        if (!f.open(QIODevice::ReadOnly))
            return Error{QStringLiteral("cannot read the edit rules %1: %2").arg(path, f.errorString())};
        auto loaded = fromJson(f.readAll(), r);
        if (!loaded)
            return Error{QStringLiteral("%1: %2").arg(path, loaded.error())};
        r = loaded.value();
    }
    return r;
}

QString EditRules::defaultUserFile()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation) +
           QStringLiteral("/edit-rules.json");
}

bool EditRules::isEditable(const QString &documentKind, const QString &pointer) const
{
    for (const QString &g : guardedPaths()) {
        if (pointer == g || pointer.startsWith(g + u'/'))
            return false;
    }
    for (const QString &p : editableByKind.value(documentKind)) {
        if (pointerMatches(p, pointer))
            return true;
    }
    return false;
}

} // namespace sightline
