// The sandbox over real HTTP (QNetworkAccessManager) and a real WebSocket on 127.0.0.1: auth,
// paging, updated_since, idempotent writes, feed resume, every fault mode, determinism, and the
// feed's events read cleanly by Sightline's CloudEvents reader.
#include "connectors/sandbox/sandboxserver.h"
#include "models/ingest/cloudevents.h"

#include <QEventLoop>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QSet>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QWebSocket>

using namespace sightline::sandbox;

namespace {
struct HttpResult
{
    int status = 0;
    QNetworkReply::NetworkError error = QNetworkReply::NoError;
    QByteArray body;
    QHash<QByteArray, QByteArray> headers;

    QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
};

SandboxOptions baseOptions(quint64 seed = 11)
{
    SandboxOptions o;
    o.speed = 0; // the clock moves only through POST /admin/clock
    o.heartbeatMs = 200;
    o.scenario.seed = seed;
    o.scenario.start = QDateTime(QDate(2026, 11, 20), QTime(8, 0), Qt::UTC);
    o.scenario.backfillDays = 4;
    o.scenario.trouble.setAll(0.15);
    return o;
}

// A feed connection that records every text message.
class FeedClient
{
public:
    explicit FeedClient(QWebSocket &socket) : m_socket(socket)
    {
        QObject::connect(&m_socket, &QWebSocket::textMessageReceived, &m_socket,
                         [this](const QString &text) { messages.append(text.toUtf8()); });
    }
    bool open(quint16 port, qint64 after)
    {
        messages.clear();
        QSignalSpy connected(&m_socket, &QWebSocket::connected);
        m_socket.open(QUrl(QStringLiteral("ws://127.0.0.1:%1/feed?after=%2").arg(port).arg(after)));
        return connected.wait(10000);
    }
    // Events (not heartbeats) received so far, as sequences.
    QList<qint64> sequences() const
    {
        QList<qint64> out;
        for (const QByteArray &m : messages) {
            const QJsonObject o = QJsonDocument::fromJson(m).object();
            if (o.contains(QStringLiteral("specversion")))
                out.append(o.value(QStringLiteral("sequence")).toInteger());
        }
        return out;
    }
    bool sawHeartbeat() const
    {
        for (const QByteArray &m : messages)
            if (QJsonDocument::fromJson(m).object().value(QStringLiteral("type")).toString() == u"heartbeat")
                return true;
        return false;
    }

    QList<QByteArray> messages;

private:
    QWebSocket &m_socket;
};
} // namespace

class TestSandbox : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<SandboxServer> m_server;
    QNetworkAccessManager m_net;

    QString url(const QString &path) const
    {
        return QStringLiteral("http://127.0.0.1:%1%2").arg(m_server->httpPort()).arg(path);
    }

    HttpResult request(const QByteArray &verb, const QString &path,
                       const QList<QPair<QByteArray, QByteArray>> &headers, const QByteArray &body = {},
                       int timeoutMs = 20000)
    {
        QNetworkRequest req{QUrl(url(path))};
        for (const auto &[k, v] : headers)
            req.setRawHeader(k, v);
        if (!body.isEmpty())
            req.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
        req.setTransferTimeout(timeoutMs);
        QNetworkReply *reply = m_net.sendCustomRequest(req, verb, body);
        QEventLoop loop;
        connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
        loop.exec();
        HttpResult r;
        r.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        r.error = reply->error();
        if (reply->isOpen())
            r.body = reply->readAll();
        for (const auto &pair : reply->rawHeaderPairs())
            r.headers.insert(pair.first.toLower(), pair.second);
        reply->deleteLater();
        return r;
    }

    static QList<QPair<QByteArray, QByteArray>> erpAuth()
    {
        return {{"Authorization", "Bearer sandbox-erp-token"}};
    }
    static QList<QPair<QByteArray, QByteArray>> wmsAuth() { return {{"X-Api-Key", "sandbox-wms-key"}}; }
    static QList<QPair<QByteArray, QByteArray>> portalAuth()
    {
        return {{"Authorization", "Basic " + QByteArrayLiteral("supplier:sandbox-portal").toBase64()}};
    }

    HttpResult post(const QString &path, const QByteArray &body, const QByteArray &key,
                    QList<QPair<QByteArray, QByteArray>> headers = erpAuth())
    {
        if (!key.isEmpty())
            headers.append({"Idempotency-Key", key});
        return request("POST", path, headers, body);
    }

    QJsonObject inspect() { return request("GET", QStringLiteral("/admin/inspect"), {}).json(); }

    void setFaults(const QJsonObject &faults)
    {
        const HttpResult r = request("POST", QStringLiteral("/admin/faults"), {},
                                     QJsonDocument(faults).toJson(QJsonDocument::Compact));
        QCOMPARE(r.status, 200);
    }

    // Every item of a list endpoint, paging by cursor.
    QList<QJsonObject> pageAll(const QString &path, const QList<QPair<QByteArray, QByteArray>> &auth,
                               int limit, const QString &extra = {})
    {
        QList<QJsonObject> all;
        QString cursor;
        for (int guard = 0; guard < 10000; ++guard) {
            QString p = path + QStringLiteral("?limit=%1").arg(limit) + extra;
            if (!cursor.isEmpty())
                p += QStringLiteral("&cursor=") + cursor;
            const HttpResult r = request("GET", p, auth);
            if (r.status != 200)
                qWarning() << "paging failed" << r.status << r.body;
            const QJsonObject page = r.json();
            for (const QJsonValue &v : page.value(QStringLiteral("items")).toArray())
                all.append(v.toObject());
            cursor = page.value(QStringLiteral("next_cursor")).toString();
            if (cursor.isEmpty())
                break;
        }
        return all;
    }

private Q_SLOTS:
    void init()
    {
        m_server = std::make_unique<SandboxServer>(baseOptions());
        const auto started = m_server->start();
        QVERIFY2(started.ok(), qPrintable(started.error()));
        QVERIFY(m_server->httpPort() != 0);
        QVERIFY(m_server->feedPort() != 0);
    }
    void cleanup() { m_server.reset(); }

    void wrongOrMissingCredentialsGet401()
    {
        struct Case
        {
            QString path;
            QList<QPair<QByteArray, QByteArray>> good, wrong;
        };
        const QList<Case> cases{
            {QStringLiteral("/erp/api/v1/sales-orders"), erpAuth(), {{"Authorization", "Bearer nope"}}},
            {QStringLiteral("/wms/api/v1/shipments"), wmsAuth(), {{"X-Api-Key", "nope"}}},
            {QStringLiteral("/portal/api/v1/acknowledgments"),
             portalAuth(),
             {{"Authorization", "Basic " + QByteArrayLiteral("supplier:wrong").toBase64()}}},
        };
        for (const Case &c : cases) {
            QCOMPARE(request("GET", c.path, {}).status, 401);
            const HttpResult wrong = request("GET", c.path, c.wrong);
            QCOMPARE(wrong.status, 401);
            QVERIFY(wrong.headers.contains("www-authenticate"));
            QCOMPARE(request("GET", c.path, c.good).status, 200);
        }
        // One API's credentials do not open another.
        QCOMPARE(request("GET", QStringLiteral("/wms/api/v1/shipments"), erpAuth()).status, 401);
        QCOMPARE(request("GET", QStringLiteral("/erp/api/v1/sales-orders"), portalAuth()).status, 401);
    }

    void pagingReturnsEveryRecordOnce()
    {
        const QJsonObject ids = inspect().value(QStringLiteral("identifiers")).toObject();
        struct Case
        {
            QString path, coll;
            QList<QPair<QByteArray, QByteArray>> auth;
        };
        const QList<Case> cases{
            {QStringLiteral("/erp/api/v1/sales-orders"), collection::SalesOrders, erpAuth()},
            {QStringLiteral("/erp/api/v1/messages"), collection::Messages, erpAuth()},
            {QStringLiteral("/wms/api/v1/shipments"), collection::Shipments, wmsAuth()},
            {QStringLiteral("/portal/api/v1/acknowledgments"), collection::Acknowledgments, portalAuth()}};
        for (const Case &c : cases) {
            const QList<QJsonObject> items = pageAll(c.path, c.auth, 7);
            QStringList got;
            for (const QJsonObject &item : items)
                got.append(item.value(QStringLiteral("id")).toString());
            QStringList expected;
            for (const QJsonValue &v : ids.value(c.coll).toArray())
                expected.append(v.toString());
            QVERIFY2(expected.size() > 7, qPrintable(c.coll));                    // more than one page
            QCOMPARE(QSet<QString>(got.cbegin(), got.cend()).size(), got.size()); // nothing twice
            got.sort();
            QCOMPARE(got, expected); // nothing missing
            // Each is reachable by its detail endpoint.
            const HttpResult detail = request("GET", c.path + u'/' + got.first(), c.auth);
            QCOMPARE(detail.status, 200);
            QCOMPARE(detail.json().value(QStringLiteral("id")).toString(), got.first());
        }
        QCOMPARE(request("GET", QStringLiteral("/erp/api/v1/sales-orders/SO-0"), erpAuth()).status, 404);
        QCOMPARE(request("GET", QStringLiteral("/erp/api/v1/sales-orders?limit=0"), erpAuth()).status, 400);
        QCOMPARE(request("GET", QStringLiteral("/erp/api/v1/sales-orders?cursor=zzz"), erpAuth()).status,
                 400);
    }

    void updatedSinceFilters()
    {
        const QList<QJsonObject> all = pageAll(QStringLiteral("/erp/api/v1/purchase-orders"), erpAuth(), 50);
        QVERIFY(all.size() > 10);
        QList<QDateTime> stamps;
        for (const QJsonObject &o : all)
            stamps.append(
                QDateTime::fromString(o.value(QStringLiteral("updated_at")).toString(), Qt::ISODateWithMs));
        std::sort(stamps.begin(), stamps.end());
        const QDateTime since = stamps.at(stamps.size() / 2);
        const qsizetype expected =
            std::count_if(stamps.cbegin(), stamps.cend(), [&](const QDateTime &t) { return t >= since; });
        const QString query = QStringLiteral("&updated_since=") +
                              QString::fromLatin1(QUrl::toPercentEncoding(since.toString(Qt::ISODateWithMs)));
        const QList<QJsonObject> recent =
            pageAll(QStringLiteral("/erp/api/v1/purchase-orders"), erpAuth(), 5, query);
        QCOMPARE(recent.size(), expected);
        for (const QJsonObject &o : recent)
            QVERIFY(QDateTime::fromString(o.value(QStringLiteral("updated_at")).toString(),
                                          Qt::ISODateWithMs) >= since);
        // A record changed later shows up in the next poll with updated_since.
        const HttpResult later =
            request("POST", QStringLiteral("/admin/clock"), {}, R"({"advance_minutes":600})");
        QCOMPARE(later.status, 200);
        const QString after =
            QStringLiteral("&updated_since=") + QString::fromLatin1(QUrl::toPercentEncoding(
                                                    stamps.last().addMSecs(1).toString(Qt::ISODateWithMs)));
        const QList<QJsonObject> changed =
            pageAll(QStringLiteral("/erp/api/v1/purchase-orders"), erpAuth(), 50, after);
        QVERIFY(!changed.isEmpty());
        QCOMPARE(
            request("GET", QStringLiteral("/erp/api/v1/purchase-orders?updated_since=yesterday"), erpAuth())
                .status,
            400);
    }

    void idempotentWritesApplyOnce()
    {
        // An open line of a PO not yet received.
        QString po;
        for (const QJsonObject &o : pageAll(QStringLiteral("/erp/api/v1/purchase-orders"), erpAuth(), 100)) {
            const QString status = o.value(QStringLiteral("status")).toString();
            if (status == u"created" || status == u"sent" || status == u"acknowledged") {
                po = o.value(QStringLiteral("id")).toString();
                break;
            }
        }
        QVERIFY(!po.isEmpty());
        const QString path = QStringLiteral("/erp/api/v1/purchase-orders/%1/lines/1/correct").arg(po);
        const QByteArray body = R"({"quantity": 777, "promised_date": "2026-12-24"})";
        const HttpResult first = post(path, body, "key-1");
        QCOMPARE(first.status, 200);
        const HttpResult again = post(path, R"({"promised_date":"2026-12-24","quantity":777})", "key-1");
        QCOMPARE(again.status, 200);
        QCOMPARE(again.body, first.body);
        QCOMPARE(again.headers.value("idempotent-replayed"), QByteArrayLiteral("true"));
        const HttpResult other = post(path, R"({"quantity": 778})", "key-1");
        QCOMPARE(other.status, 422);
        QCOMPARE(post(path, body, {}).status, 400);
        QCOMPARE(post(path, "{not json", "key-2").status, 400);

        const QJsonObject record =
            request("GET", QStringLiteral("/erp/api/v1/purchase-orders/") + po, erpAuth()).json();
        const QJsonObject line = record.value(QStringLiteral("lines")).toArray().first().toObject();
        QCOMPARE(line.value(QStringLiteral("quantity")).toDouble(), 777.0);
        QCOMPARE(line.value(QStringLiteral("promised_date")).toString(), QStringLiteral("2026-12-24"));

        // Conflicts: cancel the line, then correcting it or cancelling it again is 409 with a reason.
        QCOMPARE(
            post(QStringLiteral("/erp/api/v1/purchase-orders/%1/lines/1/cancel").arg(po), {}, "key-3").status,
            200);
        const HttpResult conflict = post(path, R"({"quantity": 5})", "key-4");
        QCOMPARE(conflict.status, 409);
        QVERIFY(conflict.json().value(QStringLiteral("message")).toString().contains(u"cancelled"));
        QCOMPARE(
            post(QStringLiteral("/erp/api/v1/purchase-orders/%1/lines/1/cancel").arg(po), {}, "key-5").status,
            409);

        // The inspection endpoint shows every write with its key, body and result.
        const QJsonArray writes = inspect().value(QStringLiteral("writes")).toArray();
        QCOMPARE(writes.size(), 8);
        QCOMPARE(writes.at(0).toObject().value(QStringLiteral("key")).toString(), QStringLiteral("key-1"));
        QCOMPARE(writes.at(0).toObject().value(QStringLiteral("status")).toInt(), 200);
        QCOMPARE(writes.at(0)
                     .toObject()
                     .value(QStringLiteral("body"))
                     .toObject()
                     .value(QStringLiteral("quantity"))
                     .toInt(),
                 777);
        QVERIFY(writes.at(1).toObject().value(QStringLiteral("replayed")).toBool());
        QCOMPARE(writes.at(2).toObject().value(QStringLiteral("status")).toInt(), 422);
    }

    void resubmitAndAdjustReceipt()
    {
        QString rejected;
        for (const QJsonObject &m : pageAll(QStringLiteral("/erp/api/v1/messages"), erpAuth(), 200))
            if (m.value(QStringLiteral("status")).toString() == u"rejected") {
                rejected = m.value(QStringLiteral("id")).toString();
                QVERIFY(!m.value(QStringLiteral("reason")).toString().isEmpty());
                QVERIFY(m.value(QStringLiteral("http_status")).toInt() >= 400);
                break;
            }
        QVERIFY(!rejected.isEmpty());
        const QString path = QStringLiteral("/erp/api/v1/messages/%1/resubmit").arg(rejected);
        const qsizetype eventsBefore = m_server->scenario().events().size();
        QCOMPARE(post(path, {}, "r-1").status, 200);
        QCOMPARE(m_server->scenario().events().size(), eventsBefore + 2); // replayed + delivered
        QCOMPARE(post(path, {}, "r-1").status, 200);                      // same key: applied once
        QCOMPARE(m_server->scenario().events().size(), eventsBefore + 2);
        QCOMPARE(post(path, {}, "r-2").status, 409); // already delivered
        const QList<QJsonObject> deadLetters =
            pageAll(QStringLiteral("/erp/api/v1/dead-letters"), erpAuth(), 100);
        QVERIFY(!deadLetters.isEmpty());
        QVERIFY(deadLetters.first().value(QStringLiteral("payload")).isObject());

        const QList<QJsonObject> receipts = pageAll(QStringLiteral("/wms/api/v1/receipts"), wmsAuth(), 100);
        QVERIFY(!receipts.isEmpty());
        const QString receipt = receipts.last().value(QStringLiteral("id")).toString();
        const HttpResult adjusted =
            post(QStringLiteral("/wms/api/v1/receipts/%1/lines/1/adjust").arg(receipt), R"({"quantity": 3})",
                 "w-1", wmsAuth());
        QVERIFY(adjusted.status == 200 || adjusted.status == 409);
        QCOMPARE(post(QStringLiteral("/wms/api/v1/receipts/%1/lines/1/adjust").arg(receipt),
                      R"({"quantity": 3})", "w-2", erpAuth())
                     .status,
                 401);
    }

    void feedResumesWithoutLossOrRepeats()
    {
        setFaults({{QStringLiteral("feed_disconnect_after"), 250}});
        QSet<qint64> received;
        qint64 last = 0;
        int connections = 0;
        bool advanced = false;
        const auto total = [this] {
            return m_server->scenario().events().size();
        };
        while (last < total() && connections < 200) {
            QWebSocket socket; // a new connection each time, as a client restarting would
            FeedClient client(socket);
            QSignalSpy closed(&socket, &QWebSocket::disconnected);
            QVERIFY(client.open(m_server->feedPort(), last));
            ++connections;
            QTRY_VERIFY_WITH_TIMEOUT(!closed.isEmpty() || client.sequences().size() + last >= total(), 20000);
            for (qint64 seq : client.sequences()) {
                QVERIFY2(!received.contains(seq), qPrintable(QStringLiteral("event %1 came twice").arg(seq)));
                QCOMPARE(seq, last + 1); // in order, nothing skipped
                received.insert(seq);
                last = seq;
            }
            if (!advanced && connections == 2) { // live events arrive while the client is away
                advanced = true;
                QCOMPARE(
                    request("POST", QStringLiteral("/admin/clock"), {}, R"({"advance_minutes":300})").status,
                    200);
            }
        }
        QVERIFY(connections > 2);
        QCOMPARE(received.size(), total());
        QVERIFY(inspect()
                    .value(QStringLiteral("feed"))
                    .toObject()
                    .value(QStringLiteral("disconnects_injected"))
                    .toInt() > 0);
    }

    void feedIngestsCleanlyAndBeats()
    {
        QWebSocket socket;
        FeedClient client(socket);
        QVERIFY(client.open(m_server->feedPort(), 0));
        const qsizetype total = m_server->scenario().events().size();
        QTRY_COMPARE_WITH_TIMEOUT(client.sequences().size(), total, 20000);
        QTRY_VERIFY_WITH_TIMEOUT(client.sawHeartbeat(), 10000);
        // New events are pushed live.
        QCOMPARE(request("POST", QStringLiteral("/admin/clock"), {}, R"({"advance_minutes":120})").status,
                 200);
        QVERIFY(m_server->scenario().events().size() > total);
        QTRY_COMPARE_WITH_TIMEOUT(client.sequences().size(), m_server->scenario().events().size(), 20000);

        const sightline::CloudEventReader reader(QStringLiteral("sandbox feed"));
        sightline::ParsedInput parsed;
        int position = 0;
        for (const QByteArray &m : client.messages) {
            if (QJsonDocument::fromJson(m).object().contains(QStringLiteral("specversion")))
                reader.readEvent(m, QStringLiteral("message %1").arg(++position), 0, parsed);
        }
        for (const auto &q : parsed.quarantined)
            qWarning() << q.position << q.error;
        QCOMPARE(parsed.quarantined.size(), 0);
        QCOMPARE(parsed.events.size(), m_server->scenario().events().size());

        // The same events through sightline-cli into a real store: a shipped order's trace holds
        // its release and shipment, linked by the events alone.
        QTemporaryDir dir;
        QFile file(dir.filePath(QStringLiteral("feed.jsonl")));
        QVERIFY(file.open(QIODevice::WriteOnly));
        for (const QByteArray &m : client.messages)
            if (QJsonDocument::fromJson(m).object().contains(QStringLiteral("specversion")))
                file.write(m + '\n');
        file.close();
        const QString db = dir.filePath(QStringLiteral("store.db"));
        QProcess ingest;
        ingest.start(QStringLiteral(SIGHTLINE_CLI_PATH),
                     {QStringLiteral("--db"), db, QStringLiteral("ingest"), file.fileName()});
        QVERIFY(ingest.waitForFinished(120000));
        QVERIFY2(ingest.exitCode() == 0, ingest.readAllStandardError().constData());
        QJsonObject shipped;
        for (const QString &id : m_server->scenario().records().ids(collection::SalesOrders)) {
            const QJsonObject *o = m_server->scenario().records().find(collection::SalesOrders, id);
            if (o->value(QStringLiteral("status")).toString() == u"shipped") {
                shipped = *o;
                break;
            }
        }
        QVERIFY(!shipped.isEmpty());
        QProcess trace;
        trace.start(QStringLiteral(SIGHTLINE_CLI_PATH),
                    {QStringLiteral("--db"), db, QStringLiteral("trace"),
                     shipped.value(QStringLiteral("customer_po")).toString(), QStringLiteral("--json")});
        QVERIFY(trace.waitForFinished(60000));
        const QByteArray traceJson = trace.readAllStandardOutput();
        QVERIFY2(trace.exitCode() == 0, trace.readAllStandardError().constData());
        for (const char *field : {"id", "release", "shipment"})
            QVERIFY2(traceJson.contains(shipped.value(QLatin1String(field)).toString().toUtf8()), field);
    }

    void feedFaults()
    {
        setFaults({{QStringLiteral("feed_duplicate_rate"), 1.0}});
        QWebSocket socket;
        FeedClient client(socket);
        QVERIFY(client.open(m_server->feedPort(), 100));
        const qsizetype expected = m_server->scenario().events().size() - 100;
        QTRY_COMPARE_WITH_TIMEOUT(client.sequences().size(), 2 * expected, 20000);
        const QList<qint64> doubled = client.sequences();
        QCOMPARE(QSet<qint64>(doubled.cbegin(), doubled.cend()).size(), expected);
        socket.close();

        setFaults({{QStringLiteral("feed_duplicate_rate"), 0.0}, {QStringLiteral("feed_reorder_rate"), 0.5}});
        QWebSocket socket2;
        FeedClient reordered(socket2);
        QVERIFY(reordered.open(m_server->feedPort(), 0));
        const qsizetype all = m_server->scenario().events().size();
        QTRY_COMPARE_WITH_TIMEOUT(reordered.sequences().size(), all, 20000);
        const QList<qint64> seqs = reordered.sequences();
        QVERIFY(!std::is_sorted(seqs.cbegin(), seqs.cend()));
        QCOMPARE(QSet<qint64>(seqs.cbegin(), seqs.cend()).size(), all);
        socket2.close();

        setFaults({{QStringLiteral("feed_reorder_rate"), 0.0}, {QStringLiteral("feed_malformed_rate"), 0.2}});
        QWebSocket socket3;
        FeedClient broken(socket3);
        QVERIFY(broken.open(m_server->feedPort(), 0));
        QTRY_COMPARE_WITH_TIMEOUT(broken.sequences().size(), all, 20000);
        const sightline::CloudEventReader reader(QStringLiteral("sandbox feed"));
        sightline::ParsedInput parsed;
        for (const QByteArray &m : broken.messages)
            if (!QJsonDocument::fromJson(m).object().contains(QStringLiteral("type")))
                reader.readEvent(m, QStringLiteral("message"), 0, parsed);
        QVERIFY(!parsed.quarantined.isEmpty()); // broken texts are quarantined by the reader
        QCOMPARE(parsed.events.size(), 0);
    }

    void httpFaults()
    {
        const QString path = QStringLiteral("/erp/api/v1/sales-orders?limit=3");
        setFaults({{QStringLiteral("error_rate"), 1.0}});
        QCOMPARE(request("GET", path, erpAuth()).status, 503);
        setFaults({{QStringLiteral("error_rate"), 0.0},
                   {QStringLiteral("rate_limit_rate"), 1.0},
                   {QStringLiteral("retry_after_seconds"), 7}});
        const HttpResult limited = request("GET", path, erpAuth());
        QCOMPARE(limited.status, 429);
        QCOMPARE(limited.headers.value("retry-after"), QByteArrayLiteral("7"));
        setFaults({{QStringLiteral("rate_limit_rate"), 0.0}, {QStringLiteral("malformed_rate"), 1.0}});
        const HttpResult malformed = request("GET", path, erpAuth());
        QCOMPARE(malformed.status, 200);
        QJsonParseError error;
        QJsonDocument::fromJson(malformed.body, &error);
        QVERIFY(error.error != QJsonParseError::NoError);
        setFaults({{QStringLiteral("malformed_rate"), 0.0}, {QStringLiteral("hang_rate"), 1.0}});
        const HttpResult hung = request("GET", path, erpAuth(), {}, 1500);
        QCOMPARE(hung.status, 0); // no answer at all: the client gave up
        QCOMPARE(hung.error, QNetworkReply::OperationCanceledError);
        QCOMPARE(inspect().value(QStringLiteral("hanging_requests")).toInt(), 1);
        setFaults({{QStringLiteral("hang_rate"), 0.0}, {QStringLiteral("latency_ms"), 60000}});
        QCOMPARE(request("GET", path, erpAuth(), {}, 1500).status,
                 0); // still waiting when the client gives up
        setFaults({{QStringLiteral("latency_ms"), 200}});
        QCOMPARE(request("GET", path, erpAuth()).status, 200); // delayed, then answered
        setFaults({{QStringLiteral("latency_ms"), 0}});
        QCOMPARE(request("GET", path, erpAuth()).status, 200);
        // Bad fault settings are refused and change nothing.
        QCOMPARE(request("POST", QStringLiteral("/admin/faults"), {}, R"({"error_rate": 3})").status, 400);
        QCOMPARE(request("POST", QStringLiteral("/admin/faults"), {}, R"({"gremlins": 1})").status, 400);
        QCOMPARE(m_server->faults().errorRate, 0.0);
    }

    void sameSeedSameScenarioOverHttp()
    {
        SandboxServer twin(baseOptions());
        QVERIFY(twin.start().ok());
        SandboxServer other(baseOptions(12));
        QVERIFY(other.start().ok());
        const QJsonObject mine = inspect();
        QCOMPARE(m_server->scenario().events().size(), twin.scenario().events().size());
        for (qsizetype i = 0; i < twin.scenario().events().size(); ++i)
            QCOMPARE(m_server->scenario().events().at(i).json, twin.scenario().events().at(i).json);
        QCOMPARE(mine.value(QStringLiteral("identifiers")),
                 twin.scenario().inspect().value(QStringLiteral("identifiers")));
        QVERIFY(mine.value(QStringLiteral("identifiers")) !=
                other.scenario().inspect().value(QStringLiteral("identifiers")));
        // The same detail through the twin's HTTP port is byte-identical.
        const QString id = mine.value(QStringLiteral("identifiers"))
                               .toObject()
                               .value(collection::SalesOrders)
                               .toArray()
                               .first()
                               .toString();
        const HttpResult a = request("GET", QStringLiteral("/erp/api/v1/sales-orders/") + id, erpAuth());
        QNetworkRequest req{QUrl(
            QStringLiteral("http://127.0.0.1:%1/erp/api/v1/sales-orders/%2").arg(twin.httpPort()).arg(id))};
        req.setRawHeader("Authorization", "Bearer sandbox-erp-token");
        QNetworkReply *reply = m_net.get(req);
        QSignalSpy done(reply, &QNetworkReply::finished);
        QVERIFY(done.wait(10000));
        QCOMPARE(reply->readAll(), a.body);
        reply->deleteLater();
    }
};

QTEST_GUILESS_MAIN(TestSandbox)
#include "tst_sandbox.moc"
