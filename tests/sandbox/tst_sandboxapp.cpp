// The sightline-sandbox executable: --help, bad flags, and a real start that prints its ports
// and serves with credentials taken from the environment.
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>
#include <QWebSocket>

class TestSandboxApp : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void helpListsFlags()
    {
        QProcess p;
        p.start(QStringLiteral(SIGHTLINE_SANDBOX_PATH), {QStringLiteral("--help")});
        QVERIFY(p.waitForFinished(30000));
        QCOMPARE(p.exitCode(), 0);
        const QString out = QString::fromUtf8(p.readAllStandardOutput());
        for (const char *flag : {"--port", "--feed-port", "--seed", "--speed", "--backfill-days", "--trouble",
                                 "--latency-ms", "--error-rate", "--hang-rate", "--feed-disconnect-after"})
            QVERIFY2(out.contains(QLatin1String(flag)), flag);
    }

    void badFlagsAreRefused()
    {
        QProcess p;
        p.start(QStringLiteral(SIGHTLINE_SANDBOX_PATH),
                {QStringLiteral("--error-rate"), QStringLiteral("2")});
        QVERIFY(p.waitForFinished(30000));
        QCOMPARE(p.exitCode(), 2);
        QVERIFY(QString::fromUtf8(p.readAllStandardError()).contains(u"--error-rate"));
    }

    void startsPrintsPortsAndServes()
    {
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("SIGHTLINE_SANDBOX_ERP_TOKEN"), QStringLiteral("from-env"));
        p.setProcessEnvironment(env);
        p.start(QStringLiteral(SIGHTLINE_SANDBOX_PATH),
                {QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--backfill-days"),
                 QStringLiteral("1"), QStringLiteral("--speed"), QStringLiteral("3600")});
        QVERIFY(p.waitForStarted(30000));
        QTRY_VERIFY_WITH_TIMEOUT(p.canReadLine(), 30000);
        const QString line = QString::fromUtf8(p.readLine());
        const QRegularExpression re(
            QStringLiteral(R"(api http://127\.0\.0\.1:(\d+) feed ws://127\.0\.0\.1:(\d+)/feed)"));
        const auto m = re.match(line);
        QVERIFY2(m.hasMatch(), qPrintable(line));
        const int http = m.captured(1).toInt();
        const int feed = m.captured(2).toInt();
        QVERIFY(http > 0 && feed > 0);

        QNetworkAccessManager net;
        const auto get = [&](const QByteArray &token) {
            QNetworkRequest req{
                QUrl(QStringLiteral("http://127.0.0.1:%1/erp/api/v1/sales-orders?limit=1").arg(http))};
            req.setRawHeader("Authorization", "Bearer " + token);
            QNetworkReply *reply = net.get(req);
            QSignalSpy done(reply, &QNetworkReply::finished);
            done.wait(20000);
            const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            reply->deleteLater();
            return status;
        };
        QCOMPARE(get("from-env"), 200);
        QCOMPARE(get("sandbox-erp-token"), 401);

        QWebSocket socket;
        QSignalSpy message(&socket, &QWebSocket::textMessageReceived);
        socket.open(QUrl(QStringLiteral("ws://127.0.0.1:%1/feed?after=0").arg(feed)));
        QVERIFY(message.wait(20000));
        const QJsonObject first =
            QJsonDocument::fromJson(message.first().first().toString().toUtf8()).object();
        QCOMPARE(first.value(QStringLiteral("sequence")).toInt(), 1);
        socket.close();
        p.terminate();
        QVERIFY(p.waitForFinished(30000));
    }
};

QTEST_GUILESS_MAIN(TestSandboxApp)
#include "tst_sandboxapp.moc"
