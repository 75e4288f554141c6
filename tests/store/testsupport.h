#pragma once

// Shared helpers for the store tests: build CloudEvents in Sightline's profile as JSON text.

#include <QByteArray>
#include <QFile>
#include <QString>
#include <QStringList>

namespace sightline::test {

// One event in Sightline's CloudEvents profile. Fields left empty are left out.
struct EventSpec
{
    QString id{};
    QString source = QStringLiteral("sandbox/erp");
    QString type = QStringLiteral("order.created");
    QString time = QStringLiteral("2026-11-20T08:15:00Z");
    QString kind = QStringLiteral("sales_order");
    QString key{};
    QStringList identifiers{}; // "scheme=value"
    QStringList links{};       // "kind/key"
    QString system = QStringLiteral("erp");
    QString status{};
};

inline QByteArray jsonString(const QString &s)
{
    QByteArray out("\"");
    for (const char c : s.toUtf8()) {
        if (c == '"' || c == '\\')
            out += '\\';
        out += c;
    }
    return out + '"';
}

inline QByteArray eventJson(const EventSpec &e)
{
    QByteArray doc = "{\"kind\":" + jsonString(e.kind) + ",\"key\":" + jsonString(e.key);
    if (!e.identifiers.isEmpty()) {
        doc += ",\"identifiers\":{";
        for (qsizetype i = 0; i < e.identifiers.size(); ++i) {
            const QStringList parts = e.identifiers.at(i).split(u'=');
            doc += (i ? "," : "") + jsonString(parts.value(0)) + ':' + jsonString(parts.value(1));
        }
        doc += '}';
    }
    doc += '}';
    QByteArray links = "[";
    for (qsizetype i = 0; i < e.links.size(); ++i) {
        const QStringList parts = e.links.at(i).split(u'/');
        links += QByteArray(i ? "," : "") + "{\"kind\":" + jsonString(parts.value(0)) +
                 ",\"key\":" + jsonString(parts.value(1)) + ",\"relation\":\"references\"}";
    }
    links += ']';
    QByteArray out = "{\"specversion\":\"1.0\",\"id\":" + jsonString(e.id) +
                     ",\"source\":" + jsonString(e.source) + ",\"type\":" + jsonString(e.type);
    if (!e.time.isEmpty())
        out += ",\"time\":" + jsonString(e.time);
    out += ",\"datacontenttype\":\"application/json\",\"data\":{\"document\":" + doc + ",\"links\":" + links +
           ",\"system\":" + jsonString(e.system);
    if (!e.status.isEmpty())
        out += ",\"status\":" + jsonString(e.status);
    return out + "}}";
}

inline bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(bytes) == bytes.size();
}

} // namespace sightline::test
