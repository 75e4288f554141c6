// The replay cases against the sandbox over real HTTP: exactly once when the answer is
// lost to a timeout (the sandbox applied the call, its answer came too late; the retry with the
// same Idempotency-Key is answered from its record, and the attempt waits in the outbox until the
// sandbox is quick again), when the sandbox hangs, and after a real crash between sending and
// recording (a child process SIGKILLed the moment the answer arrives; the retry uses the same key
// and the sandbox returns the first result). "Twice at once" is in tst_actions.

#include "models/actions/actionservice.h"
#include "models/actions/outbox.h"
#include "sandboxexceptions.h"
#include "sandboxreplaysender.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace sightline;
using namespace sightline::test;

namespace {
const qint64 kNow = at("2026-11-20T09:00:00Z");

HttpRunner::Settings quick()
{
    HttpRunner::Settings s;
    s.retry.base = std::chrono::milliseconds(5);
    s.retry.cap = std::chrono::milliseconds(20);
    s.retry.maxAttempts = 2;
    s.breakerOpenFor = std::chrono::milliseconds(50);
    return s;
}

ConnectionProfile erp(quint16 port, int timeoutSeconds)
{
    ConnectionProfile p = sandboxErp(port);
    p.timeout = std::chrono::seconds(timeoutSeconds);
    return p;
}

struct KeyCounts
{
    int requests = 0;
    int applied = 0;
};

KeyCounts countKey(quint16 port, const QString &key)
{
    KeyCounts c;
    for (const QJsonValue &v : sandboxWrites(port)) {
        const QJsonObject w = v.toObject();
        if (w.value(QStringLiteral("key")).toString() != key)
            continue;
        ++c.requests;
        if (w.value(QStringLiteral("status")).toInt() == 200 && !w.value(QStringLiteral("replayed")).toBool())
            ++c.applied;
    }
    return c;
}
} // namespace

class TestReplayCases : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<sandbox::SandboxServer> m_server;
    std::unique_ptr<Store> m_store;
    std::unique_ptr<StoreProbe> m_probe;
    QList<ExceptionItem> m_pos;

    void waitOutOfTheOutbox(const QString &key, int timeoutMs)
    {
        const quint16 port = m_server->httpPort();
        ActionOutboxThread outbox(
            m_store.get(), m_store->path(),
            [port] { return std::make_unique<OwnWritePathSender>(QList{erp(port, 5)}, quick()); },
            std::chrono::milliseconds(100));
        QSignalSpy finished(outbox.outbox(), &ActionOutbox::entryFinished);
        QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty(), timeoutMs);
        QCOMPARE(finished.first().at(1).toString(), key);
        QCOMPARE(finished.first().at(2).toString(), QStringLiteral("sent"));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_server = std::make_unique<sandbox::SandboxServer>(failingSandboxOptions());
        QVERIFY(m_server->start().ok());
        auto store = Store::open(m_dir.filePath(QStringLiteral("cases.db")));
        QVERIFY(store);
        m_store = std::move(store.value());
        m_probe = std::make_unique<StoreProbe>(m_store->path());
        QVERIFY(storeAndDetect(*m_server, *m_store, kNow));
        m_pos = deadLettered(*m_probe, QStringLiteral("purchase_order"));
        QVERIFY(m_pos.size() >= 3);
    }
    void cleanupTestCase()
    {
        m_probe.reset();
        m_store.reset();
        m_server.reset();
    }
    void cleanup()
    {
        QVERIFY(sandboxPost(m_server->httpPort(), QStringLiteral("/admin/faults"),
                            {{QStringLiteral("latency_ms"), 0}, {QStringLiteral("hang_rate"), 0.0}}));
    }

    void exactlyOnceAfterATimeout()
    {
        const quint16 port = m_server->httpPort();
        // Every answer comes after the client gave up: the first call is applied, its retry (same key)
        // is answered from the sandbox's record, and the attempt waits in the outbox.
        QVERIFY(sandboxPost(port, QStringLiteral("/admin/faults"), {{QStringLiteral("latency_ms"), 2500}}));
        OwnWritePathSender sender({erp(port, 1)}, quick());
        ActionService service(m_store.get(), {QStringLiteral("ann"), Role::Buyer}, &sender,
                              [] { return kNow; });
        auto out = service.performAndWait({ActionKind::Replay, m_pos.at(0).id});
        QVERIFY(out.ok());
        QVERIFY2(out->queued, qPrintable(out->message));
        const QString key = out->replay->idempotencyKey;
        QTRY_COMPARE_WITH_TIMEOUT(countKey(port, key).requests, 2, 10000);
        QCOMPARE(countKey(port, key).applied, 1);
        QVERIFY(sandboxPost(port, QStringLiteral("/admin/faults"), {{QStringLiteral("latency_ms"), 0}}));
        waitOutOfTheOutbox(key, 20000);
        const KeyCounts c = countKey(port, key);
        QCOMPARE(c.requests, 3);
        QCOMPARE(c.applied, 1);
        QVERIFY(m_probe->load(m_pos.at(0).id).replayKey.isEmpty());
    }

    void exactlyOnceWhenTheSandboxHangs()
    {
        const quint16 port = m_server->httpPort();
        QVERIFY(sandboxPost(port, QStringLiteral("/admin/faults"), {{QStringLiteral("hang_rate"), 1.0}}));
        OwnWritePathSender sender({erp(port, 1)}, quick());
        ActionService service(m_store.get(), {QStringLiteral("ann"), Role::Buyer}, &sender,
                              [] { return kNow; });
        auto out = service.performAndWait({ActionKind::Replay, m_pos.at(1).id});
        QVERIFY(out.ok() && out->queued);
        const QString key = out->replay->idempotencyKey;
        QCOMPARE(countKey(port, key).requests, 0); // a hung request never reached the API
        QVERIFY(sandboxPost(port, QStringLiteral("/admin/faults"), {{QStringLiteral("hang_rate"), 0.0}}));
        waitOutOfTheOutbox(key, 20000);
        const KeyCounts c = countKey(port, key);
        QCOMPARE(c.requests, 1);
        QCOMPARE(c.applied, 1);
    }

    void exactlyOnceAfterACrashBetweenSendingAndRecording()
    {
        const quint16 port = m_server->httpPort();
        const ExceptionItem target = m_pos.at(2);
        QProcess child;
        child.setProgram(QStringLiteral(SIGHTLINE_REPLAYCHILD_PATH));
        child.setArguments({m_store->path(), QString::number(port), QString::number(target.id)});
        child.setProcessChannelMode(QProcess::ForwardedChannels);
        child.start();
        QVERIFY(child.waitForStarted());
        // The sandbox answers while this process serves its HTTP; the child dies on the answer.
        QTRY_VERIFY_WITH_TIMEOUT(child.state() == QProcess::NotRunning, 30000);
        QCOMPARE(child.exitStatus(), QProcess::CrashExit);
        // The call was applied; the store only knows it started (still marked in flight).
        const ExceptionItem crashed = m_probe->load(target.id);
        QVERIFY(!crashed.replayKey.isEmpty());
        QCOMPARE(countKey(port, crashed.replayKey).applied, 1);
        // After a restart: refused while in flight; once that is taken as lost, the retry sends
        // the same key and the sandbox returns the first result.
        SandboxReplaySender sender(port);
        ActionService restarted(m_store.get(), {QStringLiteral("ann"), Role::Buyer}, &sender);
        QVERIFY(!restarted.performAndWait({ActionKind::Replay, target.id})->done);
        restarted.setInFlightTimeout(0);
        auto retried = restarted.performAndWait({ActionKind::Replay, target.id});
        QVERIFY(retried.ok());
        QVERIFY2(retried->done, qPrintable(retried->message));
        QCOMPARE(retried->replay->idempotencyKey, crashed.replayKey);
        QVERIFY(retried->response->replayedByTarget);
        const KeyCounts c = countKey(port, crashed.replayKey);
        QCOMPARE(c.requests, 2);
        QCOMPARE(c.applied, 1);
    }
};

QTEST_GUILESS_MAIN(TestReplayCases)
#include "tst_replaycases.moc"
