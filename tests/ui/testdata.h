#pragma once

// Builders for the console's tests: CloudEvents as the profile describes them, and Trace values.
#include "models/domain/timestamp.h"
#include "models/domain/trace.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace testdata {

struct EventSpec
{
    QString id;
    QString system;
    QString milestone;
    QString time; // RFC 3339
    QString kind;
    QString key;
    QString status;
    QString partner;
    QString links;       // JSON array text, or empty
    QString identifiers; // JSON object text, or empty
};

inline QByteArray cloudEvent(const EventSpec &e)
{
    QString document = QStringLiteral("{\"kind\":\"%1\",\"key\":\"%2\"").arg(e.kind, e.key);
    if (!e.identifiers.isEmpty())
        document += QStringLiteral(",\"identifiers\":") + e.identifiers;
    document += QStringLiteral("}");
    QString data = QStringLiteral("{\"document\":%1,\"system\":\"%2\",\"status\":\"%3\",\"partner\":\"%4\"")
                       .arg(document, e.system, e.status, e.partner);
    if (!e.links.isEmpty())
        data += QStringLiteral(",\"links\":") + e.links;
    data += QStringLiteral(",\"quantity\":12}");
    return QStringLiteral("{\"specversion\":\"1.0\",\"id\":\"%1\",\"source\":\"test/%2\",\"type\":\"%3\","
                          "\"time\":\"%4\",\"datacontenttype\":\"application/json\",\"data\":%5}")
        .arg(e.id, e.system, e.milestone, e.time, data)
        .toUtf8();
}

inline QByteArray jsonLines(const QList<EventSpec> &events)
{
    QByteArray out;
    for (const EventSpec &e : events)
        out += cloudEvent(e).append('\n');
    return out;
}

// A sales order SO-<n> for partner, released, picked, packed and shipped; events listed out of
// occurrence order on purpose.
inline QList<EventSpec> salesOrder(int n, const QString &partner,
                                   const QString &day = QStringLiteral("2026-11-18"))
{
    const QString so = QStringLiteral("SO-%1").arg(n);
    const QString rel = QStringLiteral("REL-%1").arg(n);
    const QString sh = QStringLiteral("SH-%1").arg(n);
    auto id = [n](int step) {
        return QStringLiteral("SO-%1-%2").arg(n).arg(step);
    };
    auto at = [&day](const char *time) {
        return QStringLiteral("%1T%2Z").arg(day, QLatin1String(time));
    };
    auto link = [](const char *kind, const QString &key, const char *relation) {
        return QStringLiteral("[{\"kind\":\"%1\",\"key\":\"%2\",\"relation\":\"%3\"}]")
            .arg(QLatin1String(kind), key, QLatin1String(relation));
    };
    return {
        {id(4), QStringLiteral("wms"), QStringLiteral("shipment.dispatched"), at("14:00:00"),
         QStringLiteral("shipment"), sh, QStringLiteral("shipped"), partner, link("release", rel, "ships"),
         QStringLiteral("{\"tracking\":\"1Z%1\"}").arg(n)},
        {id(1), QStringLiteral("erp"), QStringLiteral("order.created"), at("08:00:00"),
         QStringLiteral("sales_order"), so, QStringLiteral("entered"), partner,
         link("sales_order_line", QStringLiteral("%1/1").arg(so), "has_line"),
         QStringLiteral("{\"customer_po\":\"CPO-%1\"}").arg(n)},
        {id(2), QStringLiteral("erp"), QStringLiteral("order.released"), at("09:00:00"),
         QStringLiteral("sales_order"), so, QStringLiteral("released"), partner,
         link("release", rel, "released_as"), QString()},
        {id(3), QStringLiteral("wms"), QStringLiteral("pick.confirmed"), at("11:00:00"),
         QStringLiteral("release"), rel, QStringLiteral("picked"), partner, QString(), QString()},
    };
}

// Trace values for pure tests.
inline qint64 ms(const char *rfc3339)
{
    return sightline::parseRfc3339(rfc3339).value_or(0);
}

inline sightline::TraceEvent traceEvent(qint64 rowId, qint64 documentId, const QString &system,
                                        const QString &milestone, qint64 occurredMs,
                                        const QString &status = {})
{
    sightline::TraceEvent e;
    e.rowId = rowId;
    e.documentId = documentId;
    e.system = system;
    e.milestone = milestone;
    e.type = milestone;
    e.status = status;
    e.occurredMs = occurredMs;
    e.receivedMs = occurredMs + 30000;
    e.source = QStringLiteral("test/%1").arg(system);
    e.eventId = QString::number(rowId);
    return e;
}

inline sightline::TraceDocument document(qint64 id, sightline::DocumentKind kind, const QString &key)
{
    sightline::TraceDocument d;
    d.id = id;
    d.ref = {kind, key};
    return d;
}

} // namespace testdata
