#pragma once

// A sandbox whose ERP messages fail and are dead-lettered, its events in a real store, and the
// exceptions detected on them: what the replay, resubmit, outbox and bulk suites act on. Also
// reads what the sandbox received (/admin/inspect) over real HTTP.

#include "connectors/sandbox/sandboxserver.h"
#include "exceptiontestsupport.h"
#include "models/exceptions/exceptionengine.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>

namespace sightline::test {

inline sandbox::SandboxOptions failingSandboxOptions(double failedDelivery = 0.5, int backfillDays = 2,
                                                     double purchaseOrdersPerHour = 1.5)
{
    sandbox::SandboxOptions o;
    o.speed = 0;
    o.scenario.seed = 7;
    o.scenario.start = QDateTime(QDate(2026, 11, 20), QTime(8, 0), Qt::UTC);
    o.scenario.backfillDays = backfillDays;
    o.scenario.purchaseOrdersPerHour = purchaseOrdersPerHour;
    o.scenario.trouble.setAll(0);
    (void)o.scenario.trouble.set(QStringLiteral("failed_delivery"), failedDelivery);
    return o;
}

// A sandbox whose suppliers change acknowledged lines and whose receipts fall outside tolerance:
// the exceptions that business corrections act on.
inline sandbox::SandboxOptions correctionSandboxOptions()
{
    sandbox::SandboxOptions o = failingSandboxOptions(0, 3, 3);
    (void)o.scenario.trouble.set(QStringLiteral("partial_ack"), 0.5);
    (void)o.scenario.trouble.set(QStringLiteral("receipt_tolerance"), 0.5);
    return o;
}

// Stores every event of the sandbox's scenario and runs detection over the store; false on a problem.
inline bool storeAndDetect(const sandbox::SandboxServer &server, Store &store, qint64 nowMs)
{
    const CloudEventReader reader(QStringLiteral("sandbox"));
    ParsedInput parsed;
    for (const auto &e : server.scenario().events())
        reader.readDocument(e.json, e.timeMs, parsed);
    IngestBatch batch;
    batch.events = parsed.events;
    if (!store.ingestAndWait(batch).ok())
        return false;
    ExceptionEngine engine(&store, ExceptionRules::defaults(), [nowMs] { return nowMs; });
    engine.start(false);
    QSignalSpy spy(&engine, &ExceptionEngine::passFinished);
    engine.scanAll();
    return !spy.isEmpty() || spy.wait(60000);
}

// Open dead-lettered messages about documents of this kind.
inline QList<ExceptionItem> deadLettered(StoreProbe &probe, const QString &documentKind)
{
    ExceptionFilter f;
    f.type = QStringLiteral("message_dead_lettered");
    f.statuses = {QStringLiteral("new")};
    f.documentKinds = {documentKind};
    return probe.all(f);
}

inline QJsonObject sandboxGet(quint16 port, const QString &path)
{
    QNetworkAccessManager nam;
    QNetworkReply *reply =
        nam.get(QNetworkRequest(QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(port).arg(path))));
    QSignalSpy done(reply, &QNetworkReply::finished);
    if (!done.wait(20000))
        return {};
    reply->deleteLater();
    return QJsonDocument::fromJson(reply->readAll()).object();
}

inline bool sandboxPost(quint16 port, const QString &path, const QJsonObject &body)
{
    QNetworkAccessManager nam;
    QNetworkRequest request(QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(port).arg(path)));
    request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
    QNetworkReply *reply = nam.post(request, QJsonDocument(body).toJson(QJsonDocument::Compact));
    QSignalSpy done(reply, &QNetworkReply::finished);
    if (!done.wait(20000))
        return false;
    reply->deleteLater();
    return reply->error() == QNetworkReply::NoError;
}

// Every write the sandbox received (key, method, path, body, status, result, replayed).
inline QJsonArray sandboxWrites(quint16 port)
{
    return sandboxGet(port, QStringLiteral("/admin/inspect")).value(QStringLiteral("writes")).toArray();
}

} // namespace sightline::test
