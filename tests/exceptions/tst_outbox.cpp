// The outbox (SPEC.md §4, offline) against the sandbox over real HTTP: a replay whose target is
// down (faulted to 503 for every attempt; then a port where nothing listens) is kept in the
// outbox, visible as pending, refused a second start while it waits, and sent by the outbox's
// worker thread once the target is back, with the same idempotency key: the sandbox applies it
// once. An entry whose exception was closed meanwhile is re-validated and not sent.

#include "models/actions/actionservice.h"
#include "models/actions/outbox.h"
#include "models/audit/auditlog.h"
#include "sandboxexceptions.h"
#include "sandboxreplaysender.h"

#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace sightline;
using namespace sightline::test;

namespace {
const qint64 kNow = at("2026-11-20T09:00:00Z");

// Quick retries, so that "unavailable after every retry" comes in well under a second.
HttpRunner::Settings quick()
{
    HttpRunner::Settings s;
    s.retry.base = std::chrono::milliseconds(5);
    s.retry.cap = std::chrono::milliseconds(20);
    s.retry.maxAttempts = 2;
    s.breakerOpenFor = std::chrono::milliseconds(50);
    return s;
}

ConnectionProfile erpAt(quint16 port)
{
    ConnectionProfile p = sandboxErp(port);
    p.timeout = std::chrono::seconds(2);
    return p;
}
} // namespace

class TestOutbox : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<Store> m_store;
    std::unique_ptr<StoreProbe> m_probe;

    QString outboxState(const QString &key)
    {
        QSqlQuery q(m_probe->db());
        q.prepare(QStringLiteral("SELECT state FROM action_outbox WHERE idempotency_key = ?"));
        q.addBindValue(key);
        return q.exec() && q.next() ? q.value(0).toString() : QString();
    }
    int writesWithKey(quint16 port, const QString &key, int *applied = nullptr)
    {
        int n = 0;
        for (const QJsonValue &v : sandboxWrites(port)) {
            const QJsonObject w = v.toObject();
            if (w.value(QStringLiteral("key")).toString() != key)
                continue;
            ++n;
            if (applied && w.value(QStringLiteral("status")).toInt() == 200 &&
                !w.value(QStringLiteral("replayed")).toBool())
                ++*applied;
        }
        return n;
    }

private Q_SLOTS:
    void init()
    {
        QVERIFY(m_dir.isValid());
        static int n = 0;
        auto store = Store::open(m_dir.filePath(QStringLiteral("outbox-%1.db").arg(++n)));
        QVERIFY(store);
        m_store = std::move(store.value());
        m_probe = std::make_unique<StoreProbe>(m_store->path());
    }
    void cleanup()
    {
        m_probe.reset();
        m_store.reset();
    }

    void aReplayQueuedWhileTheTargetFailsIsSentOnceItIsBack()
    {
        sandbox::SandboxServer server(failingSandboxOptions());
        QVERIFY(server.start().ok());
        QVERIFY(storeAndDetect(server, *m_store, kNow));
        const auto pos = deadLettered(*m_probe, QStringLiteral("purchase_order"));
        QVERIFY(pos.size() >= 2);
        const quint16 port = server.httpPort();
        QVERIFY(sandboxPost(port, QStringLiteral("/admin/faults"), {{QStringLiteral("error_rate"), 1.0}}));

        OwnWritePathSender sender({erpAt(port)}, quick());
        ActionService service(m_store.get(), {QStringLiteral("ann"), Role::Buyer}, &sender,
                              [] { return kNow; });
        auto out = service.performAndWait({ActionKind::Replay, pos.at(0).id});
        QVERIFY(out.ok());
        QVERIFY2(out->done && out->queued, qPrintable(out->message));
        QVERIFY2(out->message.contains(QStringLiteral("outbox")), qPrintable(out->message));
        const QString key = out->replay->idempotencyKey;
        QCOMPARE(outboxState(key), QStringLiteral("pending"));
        QCOMPARE(writesWithKey(port, key), 0); // every attempt met the fault, none reached the API
        // While it waits, another start on the same item is refused, even after the in-flight time.
        service.setInFlightTimeout(0);
        auto second = service.performAndWait({ActionKind::Replay, pos.at(0).id});
        QVERIFY(second.ok() && !second->done);
        QVERIFY2(second->message.contains(QStringLiteral("waits in the outbox")),
                 qPrintable(second->message));

        // The outbox on its own thread looks while the target is still down: it stays pending.
        ActionOutboxThread outbox(
            m_store.get(), m_store->path(),
            [port] { return std::make_unique<OwnWritePathSender>(QList{erpAt(port)}, quick()); },
            std::chrono::milliseconds(100));
        QSignalSpy finished(outbox.outbox(), &ActionOutbox::entryFinished);
        QSignalSpy pending(outbox.outbox(), &ActionOutbox::pendingChanged);
        QVERIFY(pending.wait(10000));
        QCOMPARE(pending.last().at(0).toInt(), 1);
        QTest::qWait(300);
        QCOMPARE(outboxState(key), QStringLiteral("pending"));
        QCOMPARE(writesWithKey(port, key), 0);

        // The target is back: the outbox sends it, once.
        QVERIFY(sandboxPost(port, QStringLiteral("/admin/faults"), {{QStringLiteral("error_rate"), 0.0}}));
        outbox.drainNow(); // a health change; the timer would do it too
        QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty(), 20000);
        QCOMPARE(finished.first().at(1).toString(), key);
        QCOMPARE(finished.first().at(2).toString(), QStringLiteral("sent"));
        QTest::qWait(300); // more ticks: nothing more is sent
        int applied = 0;
        QCOMPARE(writesWithKey(port, key, &applied), 1);
        QCOMPARE(applied, 1);
        QCOMPARE(outboxState(key), QStringLiteral("sent"));
        const ExceptionItem after = m_probe->load(pos.at(0).id);
        QVERIFY(after.replayKey.isEmpty());
        const QList<AuditEntry> entries = readAudit(m_probe->db(), 0, 0, pos.at(0).id).value();
        QStringList actions;
        for (const AuditEntry &e : entries)
            actions.append(e.action);
        QVERIFY2(actions.contains(QStringLiteral("replay_queued")), qPrintable(actions.join(u',')));
        QVERIFY(actions.contains(QStringLiteral("replay_from_outbox")));
        QCOMPARE(entries.constLast().result, QStringLiteral("applied"));
        QVERIFY(verifyAudit(m_probe->db())->ok());
    }

    void connectionRefusedThenTheSandboxStartsAgain()
    {
        sandbox::SandboxOptions o = failingSandboxOptions();
        quint16 port = 0;
        qint64 id = 0;
        {
            sandbox::SandboxServer first(o);
            QVERIFY(first.start().ok());
            port = first.httpPort();
            QVERIFY(storeAndDetect(first, *m_store, kNow));
            const auto pos = deadLettered(*m_probe, QStringLiteral("purchase_order"));
            QVERIFY(!pos.isEmpty());
            id = pos.front().id;
        } // the sandbox is gone: connection refused
        OwnWritePathSender sender({erpAt(port)}, quick());
        ActionService service(m_store.get(), {QStringLiteral("ann"), Role::Buyer}, &sender,
                              [] { return kNow; });
        auto out = service.performAndWait({ActionKind::Replay, id});
        QVERIFY2(out.ok() && out->queued, qPrintable(out.ok() ? out->message : out.error()));
        const QString key = out->replay->idempotencyKey;
        // The same sandbox (same seed) comes back on the same port.
        o.httpPort = port;
        sandbox::SandboxServer again(o);
        QVERIFY(again.start().ok());
        ActionOutboxThread outbox(
            m_store.get(), m_store->path(),
            [port] { return std::make_unique<OwnWritePathSender>(QList{erpAt(port)}, quick()); },
            std::chrono::milliseconds(100));
        QSignalSpy finished(outbox.outbox(), &ActionOutbox::entryFinished);
        QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty(), 20000);
        QTest::qWait(300);
        int applied = 0;
        QCOMPARE(writesWithKey(port, key, &applied), 1);
        QCOMPARE(applied, 1);
    }

    // A connection whose health turns connected sends its waiting entries at once, however long
    // their backoff said to wait; another connection coming back does not.
    void aConnectionBackSendsItsEntriesWithoutWaitingForTheBackoff()
    {
        sandbox::SandboxServer server(failingSandboxOptions());
        QVERIFY(server.start().ok());
        QVERIFY(storeAndDetect(server, *m_store, kNow));
        const auto pos = deadLettered(*m_probe, QStringLiteral("purchase_order"));
        QVERIFY(!pos.isEmpty());
        const quint16 port = server.httpPort();
        QVERIFY(sandboxPost(port, QStringLiteral("/admin/faults"), {{QStringLiteral("error_rate"), 1.0}}));
        OwnWritePathSender sender({erpAt(port)}, quick());
        ActionService service(m_store.get(), {QStringLiteral("ann"), Role::Buyer}, &sender);
        auto out = service.performAndWait({ActionKind::Replay, pos.front().id});
        QVERIFY(out.ok() && out->queued);
        const QString key = out->replay->idempotencyKey;
        // An hour between looks: the first look meets the fault and puts the next one hours away.
        ActionOutboxThread outbox(
            m_store.get(), m_store->path(),
            [port] { return std::make_unique<OwnWritePathSender>(QList{erpAt(port)}, quick()); },
            std::chrono::hours(1));
        QSignalSpy finished(outbox.outbox(), &ActionOutbox::entryFinished);
        QSignalSpy pending(outbox.outbox(), &ActionOutbox::pendingChanged);
        QTRY_VERIFY_WITH_TIMEOUT(pending.size() >= 2, 20000); // looked, tried, waits again
        QCOMPARE(pending.last().at(0).toInt(), 1);
        QCOMPARE(outboxState(key), QStringLiteral("pending"));
        QVERIFY(sandboxPost(port, QStringLiteral("/admin/faults"), {{QStringLiteral("error_rate"), 0.0}}));
        outbox.drainNow();                            // a look finds nothing due: the backoff holds it
        outbox.connectionBack(QStringLiteral("wms")); // not its connection
        QTest::qWait(500);
        QVERIFY(finished.isEmpty());
        QCOMPARE(writesWithKey(port, key), 0);
        outbox.connectionBack(QStringLiteral("erp"));
        QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty(), 20000);
        QCOMPARE(finished.first().at(2).toString(), QStringLiteral("sent"));
        int applied = 0;
        QCOMPARE(writesWithKey(port, key, &applied), 1);
        QCOMPARE(applied, 1);
        QTRY_COMPARE_WITH_TIMEOUT(pending.last().at(0).toInt(), 0, 10000);
    }

    void anEntryWhoseExceptionClosedIsNotSent()
    {
        sandbox::SandboxServer server(failingSandboxOptions());
        QVERIFY(server.start().ok());
        QVERIFY(storeAndDetect(server, *m_store, kNow));
        const auto pos = deadLettered(*m_probe, QStringLiteral("purchase_order"));
        QVERIFY(!pos.isEmpty());
        const quint16 port = server.httpPort();
        QVERIFY(sandboxPost(port, QStringLiteral("/admin/faults"), {{QStringLiteral("error_rate"), 1.0}}));
        OwnWritePathSender sender({erpAt(port)}, quick());
        ActionService service(m_store.get(), {QStringLiteral("ann"), Role::Buyer}, &sender,
                              [] { return kNow; });
        auto out = service.performAndWait({ActionKind::Replay, pos.front().id});
        QVERIFY(out.ok() && out->queued);
        ActionRequest resolve{ActionKind::Resolve, pos.front().id};
        resolve.reason = QStringLiteral("the supplier re-sent it themselves");
        QVERIFY(service.performAndWait(resolve)->done);
        QVERIFY(sandboxPost(port, QStringLiteral("/admin/faults"), {{QStringLiteral("error_rate"), 0.0}}));
        ActionOutboxThread outbox(
            m_store.get(), m_store->path(),
            [port] { return std::make_unique<OwnWritePathSender>(QList{erpAt(port)}, quick()); },
            std::chrono::milliseconds(100));
        QSignalSpy finished(outbox.outbox(), &ActionOutbox::entryFinished);
        QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty(), 20000);
        QCOMPARE(finished.first().at(2).toString(), QStringLiteral("cancelled"));
        QCOMPARE(writesWithKey(port, out->replay->idempotencyKey), 0);
    }
};

QTEST_GUILESS_MAIN(TestOutbox)
#include "tst_outbox.moc"
