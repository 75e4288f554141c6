// The write path against the sandbox's write endpoints over real HTTP: a key applies once, refusals
// come back with the target's reason and are not retried, 5xx and lost answers are retried with
// the same key, and a wrong credential is "authentication failed".
#include "connectors/http/connectionclient.h"
#include "connectors/write/writeservice.h"
#include "sandboxfixture.h"

#include <QJsonArray>
#include <QSignalSpy>
#include <QTest>

using namespace sightline;
using namespace sandboxfixture;

namespace {

HttpRunner::Settings quickRetries(int maxAttempts = 6)
{
    HttpRunner::Settings s;
    s.retry.base = std::chrono::milliseconds(20);
    s.retry.cap = std::chrono::milliseconds(200);
    s.retry.maxAttempts = maxAttempts;
    s.breakerThreshold = 100;
    return s;
}

// Runs one action and waits for its reply.
WriteReply run(WriteService &service, const WriteAction &action, quint64 jobId = 1)
{
    QSignalSpy spy(&service, &WriteService::finished);
    service.submit(jobId, action);
    [&] {
        QTRY_VERIFY_WITH_TIMEOUT(spy.size() == 1, 30000);
    }();
    if (spy.isEmpty())
        return {};
    [&] {
        QCOMPARE(spy.first().at(0).toULongLong(), jobId);
    }();
    return spy.first().at(1).value<WriteReply>();
}

WriteAction action(const QString &path, const QByteArray &body, const QString &key)
{
    return WriteAction{QStringLiteral("erp"), "POST", path, body, key};
}

// Open purchase orders (created, sent or acknowledged): their lines accept corrections.
QStringList openPurchaseOrders(const sandbox::SandboxServer &server)
{
    QStringList ids;
    const auto page = server.scenario().records().page(sandbox::collection::PurchaseOrders, 500, {},
                                                       std::numeric_limits<qint64>::min());
    for (const QJsonObject &po : page->items) {
        const QString status = po.value(QStringLiteral("status")).toString();
        if (status == u"created" || status == u"sent" || status == u"acknowledged")
            ids.append(po.value(QStringLiteral("id")).toString());
    }
    return ids;
}

QList<QJsonObject> writesWithKey(const sandbox::SandboxServer &server, const QString &key)
{
    QList<QJsonObject> out;
    for (const QJsonValue &w : inspect(server).value(QStringLiteral("writes")).toArray())
        if (w.toObject().value(QStringLiteral("key")).toString() == key)
            out.append(w.toObject());
    return out;
}

} // namespace

class TestWriteService : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init()
    {
        m_server = std::make_unique<sandbox::SandboxServer>(calmOptions(7, 5));
        QVERIFY(m_server->start().ok());
        m_openPos = openPurchaseOrders(*m_server);
        QVERIFY(m_openPos.size() >= 4);
    }

    void cleanup() { m_server.reset(); }

    void sameKeyTwiceAppliesOnce()
    {
        WriteService service({erpProfile(*m_server)}, quickRetries());
        const QString path = QStringLiteral("purchase-orders/%1/lines/1/correct").arg(m_openPos.at(0));
        const WriteAction correct = action(path, R"({"quantity": 321})", QStringLiteral("fix-1"));
        const WriteReply first = run(service, correct, 7);
        QVERIFY2(first.ok(), qPrintable(first.error));
        QCOMPARE(first.status, 200);
        QCOMPARE(first.attempts, 1);
        QVERIFY(!first.replayed);
        QVERIFY(first.error.isEmpty());
        const WriteReply again = run(service, correct, 8);
        QVERIFY(again.ok());
        QVERIFY(again.replayed);
        QCOMPARE(again.body, first.body);

        const QList<QJsonObject> writes = writesWithKey(*m_server, QStringLiteral("fix-1"));
        QCOMPARE(writes.size(), 2);
        QVERIFY(!writes.at(0).value(QStringLiteral("replayed")).toBool());
        QVERIFY(writes.at(1).value(QStringLiteral("replayed")).toBool());
    }

    void refusalsCarryTheTargetsReasonAndAreNotRetried()
    {
        WriteService service({erpProfile(*m_server)}, quickRetries());
        const QString po = m_openPos.at(1);
        QVERIFY(run(service, action(QStringLiteral("purchase-orders/%1/lines/1/cancel").arg(po), {},
                                    QStringLiteral("cancel-1")))
                    .ok());
        const WriteReply conflict =
            run(service, action(QStringLiteral("purchase-orders/%1/lines/1/correct").arg(po),
                                R"({"quantity": 5})", QStringLiteral("fix-2")));
        QCOMPARE(conflict.outcome, WriteReply::Outcome::Rejected);
        QCOMPARE(conflict.status, 409);
        QCOMPARE(conflict.attempts, 1);
        QVERIFY2(conflict.error.contains(u"cancelled"), qPrintable(conflict.error));
        QVERIFY(conflict.error.contains(u"erp"));

        // The same key with another body: 422, with the target's words.
        const WriteReply reused =
            run(service, action(QStringLiteral("purchase-orders/%1/lines/1/cancel").arg(po),
                                R"({"why": "again"})", QStringLiteral("cancel-1")));
        QCOMPARE(reused.outcome, WriteReply::Outcome::Rejected);
        QCOMPARE(reused.status, 422);
        QCOMPARE(reused.attempts, 1);
        QVERIFY2(reused.error.contains(u"Idempotency-Key"), qPrintable(reused.error));

        // Neither an unknown connection nor an action without a key reaches the network.
        const int before = inspect(*m_server).value(QStringLiteral("http_requests")).toInt();
        WriteAction unknown = action(QStringLiteral("messages/M-1/resubmit"), {}, QStringLiteral("k"));
        unknown.connection = QStringLiteral("mainframe");
        const WriteReply noConnection = run(service, unknown);
        QCOMPARE(noConnection.outcome, WriteReply::Outcome::Rejected);
        QVERIFY(noConnection.error.contains(u"mainframe"));
        const WriteReply noKey = run(service, action(QStringLiteral("messages/M-1/resubmit"), {}, {}));
        QCOMPARE(noKey.outcome, WriteReply::Outcome::Rejected);
        QVERIFY(noKey.error.contains(u"Idempotency-Key"));
        QCOMPARE(inspect(*m_server).value(QStringLiteral("http_requests")).toInt(), before + 1); // inspect
    }

    void serverErrorsAreRetriedUntilApplied()
    {
        setFaults(*m_server, R"({"error_rate": 0.5})");
        WriteService service({erpProfile(*m_server)}, quickRetries(12));
        int attempts = 0;
        for (int i = 0; i < 6; ++i) {
            const QString key = QStringLiteral("retry-%1").arg(i);
            const WriteReply r = run(service,
                                     action(QStringLiteral("purchase-orders/%1/lines/1/correct")
                                                .arg(m_openPos.at(i % m_openPos.size())),
                                            R"({"quantity": 42})", key),
                                     quint64(100 + i));
            QVERIFY2(r.ok(), qPrintable(r.error));
            attempts += r.attempts;
            QCOMPARE(writesWithKey(*m_server, key).size(), 1); // 503s never reach the write
        }
        QVERIFY2(attempts > 6, "half of all calls fail: some writes needed more than one attempt");

        // Always failing: gives up after the policy's attempts, as "unavailable", with the reason.
        setFaults(*m_server, R"({"error_rate": 1.0})");
        WriteService impatient({erpProfile(*m_server)}, quickRetries(3));
        const WriteReply down =
            run(impatient, action(QStringLiteral("messages/M-1/resubmit"), {}, QStringLiteral("down-1")));
        QCOMPARE(down.outcome, WriteReply::Outcome::Unavailable);
        QCOMPARE(down.attempts, 3);
        QCOMPARE(down.status, 503);
        QVERIFY2(down.error.contains(u"503") && down.error.contains(u"3 attempts"), qPrintable(down.error));
    }

    void lostAnswerIsRetriedWithTheSameKey()
    {
        // The sandbox applies the write, then answers after the client's 1 s timeout.
        setFaults(*m_server, R"({"latency_ms": 1500})");
        ConnectionProfile erp = erpProfile(*m_server);
        erp.timeout = std::chrono::seconds(1);
        HttpRunner::Settings settings = quickRetries(50);
        settings.retry.base = std::chrono::milliseconds(200);
        WriteService service({erp}, settings);
        QSignalSpy spy(&service, &WriteService::finished);
        const QString po = m_openPos.at(2);
        service.submit(5, action(QStringLiteral("purchase-orders/%1/lines/1/correct").arg(po),
                                 R"({"quantity": 9})", QStringLiteral("slow-1")));
        QTRY_VERIFY_WITH_TIMEOUT(!writesWithKey(*m_server, QStringLiteral("slow-1")).isEmpty(), 20000);
        setFaults(*m_server, R"({"latency_ms": 0})");
        QTRY_COMPARE_WITH_TIMEOUT(spy.size(), 1, 30000);
        const WriteReply reply = spy.first().at(1).value<WriteReply>();
        QVERIFY2(reply.ok(), qPrintable(reply.error));
        QVERIFY(reply.attempts >= 2);
        QVERIFY(reply.replayed);
        const QList<QJsonObject> writes = writesWithKey(*m_server, QStringLiteral("slow-1"));
        QVERIFY(writes.size() >= 2);
        int applied = 0;
        for (const QJsonObject &w : writes)
            applied += w.value(QStringLiteral("replayed")).toBool() ? 0 : 1;
        QCOMPARE(applied, 1);
    }

    void wrongCredentialIsAuthenticationFailed()
    {
        const QByteArray wrong = "wrong-token-5f1c9a";
        WriteService service({erpProfile(*m_server, wrong)}, quickRetries());
        const WriteReply r =
            run(service, action(QStringLiteral("purchase-orders/%1/lines/1/cancel").arg(m_openPos.at(3)), {},
                                QStringLiteral("auth-1")));
        QCOMPARE(r.outcome, WriteReply::Outcome::AuthenticationFailed);
        QCOMPARE(r.status, 401);
        QCOMPARE(r.attempts, 1);
        QVERIFY2(r.error.contains(u"authentication failed"), qPrintable(r.error));
        QVERIFY(!r.error.contains(QString::fromLatin1(wrong)));

        // A credential that cannot be read never reaches the network.
        ConnectionProfile unset = erpProfile(*m_server);
        unset.auth.secret = SecretRef::parse(QStringLiteral("env:TST_SANDBOX_NOT_SET")).value();
        qunsetenv("TST_SANDBOX_NOT_SET");
        WriteService unreadable({unset}, quickRetries());
        const WriteReply none =
            run(unreadable, action(QStringLiteral("messages/M-1/resubmit"), {}, QStringLiteral("auth-2")));
        QCOMPARE(none.outcome, WriteReply::Outcome::AuthenticationFailed);
        QCOMPARE(none.attempts, 0);
        QVERIFY2(none.error.contains(u"TST_SANDBOX_NOT_SET"), qPrintable(none.error));
    }

    void retryAfterAndBackoffBoundEachWait()
    {
        // Every answer is 429 with Retry-After: 1: no retry comes sooner than the server asked.
        setFaults(*m_server, R"({"rate_limit_rate": 1.0, "retry_after_seconds": 1})");
        ConnectionClient client(erpProfile(*m_server), quickRetries(3));
        QSignalSpy retries(&client, &ConnectionClient::retrying);
        QSignalSpy done(&client, &ConnectionClient::finished);
        HttpRequest request;
        request.url = QUrl(QStringLiteral("sales-orders"));
        client.send(11, request);
        QVERIFY(done.wait(20000));
        QCOMPARE(retries.size(), 2);
        for (const QList<QVariant> &r : retries) {
            QCOMPARE(r.at(0).toULongLong(), 11u);
            QVERIFY2(r.at(2).toLongLong() >= 1000, "Retry-After is a floor");
            QVERIFY(r.at(3).toString().contains(u"429"));
        }
        const HttpResult result = done.first().at(1).value<HttpResult>();
        QCOMPARE(result.status, 429);
        QCOMPARE(result.attempts, 3);

        // 503 without Retry-After: full jitter under the exponential ceiling (20, 40, 80 ms...).
        setFaults(*m_server, R"({"rate_limit_rate": 0, "error_rate": 1.0})");
        ConnectionClient backoff(erpProfile(*m_server), quickRetries(5));
        QSignalSpy waits(&backoff, &ConnectionClient::retrying);
        QSignalSpy finished(&backoff, &ConnectionClient::finished);
        backoff.send(12, request);
        QVERIFY(finished.wait(20000));
        QCOMPARE(waits.size(), 4);
        const RetryPolicy policy(quickRetries().retry);
        for (int i = 0; i < waits.size(); ++i)
            QVERIFY(waits.at(i).at(2).toLongLong() <= policy.ceilingFor(i).count());
    }

    void apiKeyConnectionWrites()
    {
        WriteService service({wmsProfile(*m_server), portalProfile(*m_server)}, quickRetries());
        const QList<QJsonObject> receipts =
            m_server->scenario()
                .records()
                .page(sandbox::collection::Receipts, 10, {}, std::numeric_limits<qint64>::min())
                ->items;
        QVERIFY(!receipts.isEmpty());
        WriteAction adjust{QStringLiteral("wms"), "POST",
                           QStringLiteral("receipts/%1/lines/1/adjust")
                               .arg(receipts.first().value(QStringLiteral("id")).toString()),
                           R"({"quantity": 1})", QStringLiteral("wms-1")};
        const WriteReply r = run(service, adjust);
        QVERIFY2(r.status == 200 || r.status == 409, qPrintable(r.error)); // the API key was accepted
        QCOMPARE(writesWithKey(*m_server, QStringLiteral("wms-1")).size(), 1);
    }

private:
    std::unique_ptr<sandbox::SandboxServer> m_server;
    QStringList m_openPos;
};

QTEST_GUILESS_MAIN(TestWriteService)
#include "tst_writeservice.moc"
