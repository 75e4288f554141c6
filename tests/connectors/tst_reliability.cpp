#include "connectors/feed/sequencetracker.h"
#include "connectors/profile/secretref.h"
#include "connectors/reliability/retrypolicy.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace sightline;
using namespace std::chrono_literals;

class TestReliability : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void classifiesInLayers_data()
    {
        QTest::addColumn<int>("error");
        QTest::addColumn<int>("status");
        QTest::addColumn<int>("outcome");
        QTest::newRow("200") << int(QNetworkReply::NoError) << 200 << int(AttemptOutcome::Success);
        QTest::newRow("timeout") << int(QNetworkReply::OperationCanceledError) << 0
                                 << int(AttemptOutcome::RetryLater);
        QTest::newRow("refused") << int(QNetworkReply::ConnectionRefusedError) << 0
                                 << int(AttemptOutcome::RetryLater);
        QTest::newRow("dropped") << int(QNetworkReply::RemoteHostClosedError) << 0
                                 << int(AttemptOutcome::RetryLater);
        QTest::newRow("tls") << int(QNetworkReply::SslHandshakeFailedError) << 0
                             << int(AttemptOutcome::Rejected);
        QTest::newRow("500") << int(QNetworkReply::InternalServerError) << 500
                             << int(AttemptOutcome::RetryLater);
        QTest::newRow("503") << int(QNetworkReply::ServiceUnavailableError) << 503
                             << int(AttemptOutcome::RetryLater);
        QTest::newRow("429") << int(QNetworkReply::UnknownContentError) << 429
                             << int(AttemptOutcome::RetryLater);
        QTest::newRow("401") << int(QNetworkReply::AuthenticationRequiredError) << 401
                             << int(AttemptOutcome::AuthenticationFailed);
        QTest::newRow("403") << int(QNetworkReply::ContentAccessDenied) << 403
                             << int(AttemptOutcome::AuthenticationFailed);
        QTest::newRow("409") << int(QNetworkReply::ContentConflictError) << 409
                             << int(AttemptOutcome::Rejected);
        QTest::newRow("422") << int(QNetworkReply::UnknownContentError) << 422
                             << int(AttemptOutcome::Rejected);
    }

    void classifiesInLayers()
    {
        QFETCH(int, error);
        QFETCH(int, status);
        QFETCH(int, outcome);
        QCOMPARE(int(classifyAttempt(QNetworkReply::NetworkError(error), status)), outcome);
    }

    void readsRetryAfter()
    {
        const QDateTime now(QDate(2026, 11, 22), QTime(8, 0), Qt::UTC);
        QCOMPARE(parseRetryAfter("7", now), std::optional(7000ms));
        QCOMPARE(parseRetryAfter(" 0 ", now), std::optional(0ms));
        QCOMPARE(parseRetryAfter("Sun, 22 Nov 2026 08:00:30 GMT", now), std::optional(30000ms));
        QCOMPARE(parseRetryAfter("Sun, 22 Nov 2026 07:00:00 GMT", now), std::optional(0ms));
        QVERIFY(!parseRetryAfter("", now));
        QVERIFY(!parseRetryAfter("soon", now));
        QVERIFY(!parseRetryAfter("-5", now));
    }

    void backoffGrowsWithJitterUnderACap()
    {
        RetryPolicy policy({100ms, 2000ms, 8}, 42);
        QCOMPARE(policy.ceilingFor(0), 100ms);
        QCOMPARE(policy.ceilingFor(3), 800ms);
        QCOMPARE(policy.ceilingFor(10), 2000ms);
        QSet<qint64> seen;
        for (int i = 0; i < 200; ++i) {
            const auto d = policy.delayFor(4);
            QVERIFY(d >= 0ms && d <= 1600ms);
            seen.insert(d.count());
        }
        QVERIFY2(seen.size() > 50, "jitter spreads the delays");
        for (int i = 0; i < 50; ++i)
            QVERIFY(policy.delayFor(0, 5000ms) >= 5000ms); // Retry-After is a floor
    }

    void circuitOpensThenProbesHalfOpen()
    {
        CircuitBreaker breaker(3, 1000ms);
        QVERIFY(breaker.allowRequest(0));
        breaker.recordFailure(0);
        breaker.recordFailure(10);
        QCOMPARE(breaker.state(), CircuitBreaker::State::Closed);
        breaker.recordFailure(20);
        QCOMPARE(breaker.state(), CircuitBreaker::State::Open);
        QVERIFY(!breaker.allowRequest(500));
        QVERIFY(breaker.allowRequest(1020)); // the probe
        QCOMPARE(breaker.state(), CircuitBreaker::State::HalfOpen);
        QVERIFY(!breaker.allowRequest(1021)); // only one probe at a time
        breaker.recordFailure(1030);
        QCOMPARE(breaker.state(), CircuitBreaker::State::Open);
        QVERIFY(!breaker.allowRequest(1500));
        QVERIFY(breaker.allowRequest(2030));
        breaker.recordSuccess();
        QCOMPARE(breaker.state(), CircuitBreaker::State::Closed);
        QVERIFY(breaker.allowRequest(2031));
    }

    void secretsComeFromEnvAndOwnerOnlyFiles()
    {
        qputenv("SIGHTLINE_TEST_TOKEN", "s3cr3t-env");
        auto env = SecretRef::parse(QStringLiteral("env:SIGHTLINE_TEST_TOKEN"));
        QVERIFY(env.ok());
        QCOMPARE(env->resolve().value().reveal(), QByteArray("s3cr3t-env"));
        QCOMPARE(env->describe(), QStringLiteral("env:SIGHTLINE_TEST_TOKEN"));

        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("token"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("s3cr3t-file\n");
        f.close();
        QVERIFY(f.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner));
        auto file = SecretRef::parse(QStringLiteral("file:") + path);
        QCOMPARE(file->resolve().value().reveal(), QByteArray("s3cr3t-file"));

        QVERIFY(f.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadOther));
        const auto refused = file->resolve();
        QVERIFY(!refused.ok());
        QVERIFY(refused.error().contains(QStringLiteral("chmod 600")));
        QVERIFY(!refused.error().contains(QStringLiteral("s3cr3t")));
    }

    void badReferencesAreRefusedWithoutEchoingThem()
    {
        for (const char *ref : {"s3cr3t-inline", "vault:x", "env:"}) {
            const auto r = SecretRef::parse(QString::fromLatin1(ref));
            QVERIFY(!r.ok());
            QVERIFY(!r.error().contains(QStringLiteral("s3cr3t")));
        }
        qunsetenv("SIGHTLINE_TEST_UNSET");
        QVERIFY(!SecretRef::parse(QStringLiteral("env:SIGHTLINE_TEST_UNSET"))->resolve().ok());
        const auto keychain = SecretRef::parse(QStringLiteral("keychain:erp"))->resolve();
        QVERIFY(!keychain.ok());
        QVERIFY(keychain.error().contains(QStringLiteral("env:NAME")));
    }

    void checkpointWaitsForGaps()
    {
        SequenceTracker t(10);
        QCOMPARE(t.receive(11), SequenceTracker::Arrival::New);
        QCOMPARE(t.contiguous(), 11);
        QCOMPARE(t.receive(13), SequenceTracker::Arrival::New); // 12 is late
        QCOMPARE(t.contiguous(), 11);
        QVERIFY(t.hasGap());
        QCOMPARE(t.highest(), 13);
        QCOMPARE(t.receive(13), SequenceTracker::Arrival::Repeat);
        QCOMPARE(t.receive(12), SequenceTracker::Arrival::New);
        QCOMPARE(t.contiguous(), 13);
        QVERIFY(!t.hasGap());
        QCOMPARE(t.receive(5), SequenceTracker::Arrival::Repeat);
    }

    void unreadableMessagesFillGapsOnlyWhenSettled()
    {
        SequenceTracker t(0);
        t.receive(1);
        t.receiveUnreadable(); // was 2, but nobody can tell
        t.receive(3);
        QCOMPARE(t.contiguous(), 1); // 2 might still be reordered: wait
        t.settleGaps();
        QCOMPARE(t.contiguous(), 3);
        // A reconnect resends everything after the checkpoint: what was ahead is forgotten.
        t.receive(5);
        t.restartFromContiguous();
        QVERIFY(!t.hasGap());
        QCOMPARE(t.receive(5), SequenceTracker::Arrival::New);
    }
};

QTEST_GUILESS_MAIN(TestReliability)
#include "tst_reliability.moc"
