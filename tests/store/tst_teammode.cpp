// Team mode on a shared store: a change made through one connection reaches a listener on another
// (its own thread) through LISTEN/NOTIFY, and the latency is printed; two people changing the same
// exception get a conflict ("changed by X at T; reload"), never a lost update; roles come from the
// store and only an administrator changes them. Runs on SQLite too, where what needs PostgreSQL
// is skipped with the reason.

#include "models/actions/actionservice.h"
#include "models/actions/userroles.h"
#include "models/exceptions/exceptionchangelistener.h"
#include "models/exceptions/exceptionrepository.h"
#include "models/store/connection.h"
#include "models/store/store.h"
#include "tests/store/teststorelocation.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>
#include <algorithm>

using namespace sightline;

namespace {

const qint64 t0 = 1'790'000'000'000;

// An open exception, as the detection engine would have raised it.
qint64 raiseException(Store &store, const QString &key)
{
    auto id = std::make_shared<qint64>(0);
    IngestBatch batch;
    batch.writes.push_back([key, id](QSqlDatabase &db) -> Status {
        ExceptionItem e;
        e.conditionKey = key;
        e.rule = QStringLiteral("message_failed");
        e.family = QStringLiteral("technical");
        e.type = QStringLiteral("message_failed");
        e.signature = key;
        e.title = QStringLiteral("Message %1 failed").arg(key);
        e.detail = QStringLiteral("HTTP 503");
        e.documentKind = QStringLiteral("purchase_order");
        e.documentKey = key;
        e.firstSeenMs = e.lastSeenMs = e.updatedMs = t0;
        exceptiondb::Change c;
        c.actor = Actor::engine();
        c.action = QStringLiteral("detected");
        c.atMs = t0;
        if (Status s = exceptiondb::record(db, {}, e, c); !s)
            return s;
        auto row = exceptiondb::findByConditionKey(db, key);
        if (!row || !row->has_value())
            return Error{QStringLiteral("not found")};
        *id = row->value().id;
        return {};
    });
    const auto r = store.ingestAndWait(std::move(batch));
    return r ? *id : 0;
}

Status setRole(Store &store, const QString &by, const QString &user, Role role, QString *refusal = nullptr)
{
    auto why = std::make_shared<QString>();
    IngestBatch batch;
    batch.writes.push_back(userroles::setRole(by, user, role, t0, why));
    const auto r = store.ingestAndWait(std::move(batch));
    if (!r)
        return Error{r.error()};
    if (refusal)
        *refusal = *why;
    return why->isEmpty() ? Status{} : Status{Error{*why}};
}

class Probe
{
public:
    explicit Probe(const QString &location) : m_name(uniqueConnectionName(u"teamprobe"))
    {
        m_db = openStoreConnection(location, m_name, true).value();
    }
    ~Probe()
    {
        m_db = QSqlDatabase();
        closeConnection(m_name);
    }
    ExceptionItem load(qint64 id) { return exceptiondb::load(m_db, id, true).value().value(); }

private:
    QString m_name;
    QSqlDatabase m_db;
};

} // namespace

class TestTeamMode : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        SIGHTLINE_SKIP_WITHOUT_POSTGRES();
        QLoggingCategory::setFilterRules(QStringLiteral("sightline.*.info=false"));
        QVERIFY(m_dir.isValid());
    }

    void init()
    {
        static int n = 0;
        m_location = test::storeLocation(m_dir, QStringLiteral("team-%1.db").arg(++n));
        auto store = Store::open(m_location);
        QVERIFY2(store, store ? "" : qPrintable(store.error()));
        m_store = std::move(store.value());
        if (m_store->isShared()) {
            // The store's roles: the first administrator, then the team.
            QVERIFY(setRole(*m_store, QStringLiteral("root"), QStringLiteral("root"), Role::Admin).ok());
            for (const char *user : {"ann", "bob"})
                QVERIFY(
                    setRole(*m_store, QStringLiteral("root"), QString::fromLatin1(user), Role::Buyer).ok());
        }
    }

    void cleanup() { m_store.reset(); }

    void changesReachAnotherConnectionWithinASecond()
    {
        if (!m_store->isShared())
            QSKIP("LISTEN/NOTIFY is PostgreSQL's: on SQLite one console owns the store");
        ExceptionChangeListener listener(m_location);
        QSignalSpy listening(&listener, &ExceptionChangeListener::listening);
        QSignalSpy failed(&listener, &ExceptionChangeListener::listenFailed);
        listener.start();
        QVERIFY(listening.wait(10000) || !listening.isEmpty());
        QVERIFY(failed.isEmpty());

        QList<qint64> latencies;
        Probe probe(m_location);
        for (int round = 0; round < 20; ++round) {
            const qint64 id = raiseException(*m_store, QStringLiteral("PO-LIVE-%1").arg(round));
            QVERIFY(id > 0);
            const bool take = round % 2 == 0;
            const QString user = take ? QStringLiteral("ann") : QStringLiteral("bob");
            ActionService service(m_store.get(), {user, Role::Buyer});
            std::optional<ExceptionChange> seen;
            QElapsedTimer clock;
            auto connection = connect(&listener, &ExceptionChangeListener::exceptionsChanged, this,
                                      [&](const QList<ExceptionChange> &changes) {
                                          for (const ExceptionChange &c : changes) {
                                              if (c.id == id && c.by == user && !seen) {
                                                  seen = c;
                                                  latencies.append(clock.elapsed());
                                              }
                                          }
                                      });
            ActionRequest request{take ? ActionKind::Take : ActionKind::Comment, id};
            request.text = QStringLiteral("on it, round %1").arg(round);
            clock.start();
            bool acted = false;
            service.perform(request, [&acted](Result<ActionOutcome> r) { acted = r && r->done; });
            QTRY_VERIFY_WITH_TIMEOUT(seen.has_value(), 10000); // generous; the figure is printed below
            disconnect(connection);
            QTRY_VERIFY(acted);
            QCOMPARE(seen->action, take ? QStringLiteral("take") : QStringLiteral("comment"));
            // What the notice announced is there for the other connection to read.
            const ExceptionItem now = probe.load(id);
            QCOMPARE(now.version, seen->version);
            if (take)
                QCOMPARE(now.owner, user);
            else
                QCOMPARE(now.comments.value(0).body, request.text);
        }
        std::sort(latencies.begin(), latencies.end());
        qInfo("take/comment -> notification on another connection, %d rounds: min %lld ms, median %lld ms, "
              "max %lld ms",
              int(latencies.size()), latencies.first(), latencies.at(latencies.size() / 2), latencies.last());
    }

    void conflictingChangesAreRefusedNeverLost()
    {
        const qint64 id = raiseException(*m_store, QStringLiteral("PO-CONFLICT"));
        QVERIFY(id > 0);
        Probe probe(m_location);
        const ExceptionItem seenByBoth = probe.load(id);
        QCOMPARE(seenByBoth.version, 1);

        ActionService bob(m_store.get(), {QStringLiteral("bob"), Role::Buyer});
        ActionRequest take{ActionKind::Take, id};
        take.expectedVersion = seenByBoth.version;
        const auto taken = bob.performAndWait(take);
        QVERIFY(taken && taken->done);
        // The outcome carries the exception as it now stands: Bob's next action is decided on it.
        QCOMPARE(taken->item.version, seenByBoth.version + 1);
        QCOMPARE(taken->item.version, probe.load(id).version);
        QCOMPARE(taken->item.updatedBy, QStringLiteral("bob"));

        // Ann decided on the version before Bob's change: refused, and told why and what to do.
        ActionService ann(m_store.get(), {QStringLiteral("ann"), Role::Buyer});
        ActionRequest assign{ActionKind::Assign, id};
        assign.assignee = QStringLiteral("carol");
        assign.expectedVersion = seenByBoth.version;
        const auto refused = ann.performAndWait(assign);
        QVERIFY(refused);
        QVERIFY(!refused->done);
        QVERIFY2(refused->message.contains(QStringLiteral("changed by bob at")),
                 qPrintable(refused->message));
        QVERIFY2(refused->message.endsWith(QStringLiteral("reload")), qPrintable(refused->message));
        ExceptionItem now = probe.load(id);
        QCOMPARE(now.owner, QStringLiteral("bob")); // not lost
        QCOMPARE(now.version, seenByBoth.version + 1);
        QCOMPARE(now.updatedBy, QStringLiteral("bob"));

        // A write made on a stale row (another process's change came first) is refused by the
        // database itself, whatever the caller checked before.
        ExceptionItem stale = seenByBoth;
        stale.owner = QStringLiteral("mallory");
        IngestBatch batch;
        batch.writes.push_back([stale](QSqlDatabase &db) { return exceptiondb::update(db, stale); });
        const auto written = m_store->ingestAndWait(std::move(batch));
        QVERIFY(!written);
        QVERIFY2(written.error().contains(QStringLiteral("changed by bob")), qPrintable(written.error()));
        QCOMPARE(probe.load(id).owner, QStringLiteral("bob"));

        // After reloading, Ann's change goes through.
        assign.expectedVersion = now.version;
        const auto again = ann.performAndWait(assign);
        QVERIFY(again && again->done);
        QCOMPARE(probe.load(id).owner, QStringLiteral("carol"));
        ActionRequest comment{ActionKind::Comment, id};
        comment.text = QStringLiteral("told carol");
        comment.expectedVersion = again->item.version; // from the outcome, not a reload
        const auto commented = ann.performAndWait(comment);
        QVERIFY2(commented && commented->done, commented ? qPrintable(commented->message) : "");
        QCOMPARE(commented->item.version, probe.load(id).version);
    }

    void rolesComeFromTheStoreAndOnlyAnAdminChangesThem()
    {
        if (!m_store->isShared())
            QSKIP("roles come from the store in team mode (PostgreSQL); an SQLite store uses the roles file");
        QString why;
        // Bob is a buyer in the store: he may not make himself an administrator.
        QVERIFY(!setRole(*m_store, QStringLiteral("bob"), QStringLiteral("bob"), Role::Admin, &why).ok());
        QVERIFY2(why.contains(QStringLiteral("only an administrator")), qPrintable(why));
        QVERIFY(
            setRole(*m_store, QStringLiteral("root"), QStringLiteral("wes"), Role::WarehouseSupervisor).ok());
        auto name = uniqueConnectionName(u"roles");
        {
            auto db = openStoreConnection(m_location, name, true);
            QVERIFY(db);
            const auto roles = userroles::list(db.value());
            QVERIFY(roles);
            QCOMPARE(roles->size(), 4);
            QCOMPARE(userroles::resolve(db.value(), {QStringLiteral("wes"), Role::Admin})->role,
                     Role::WarehouseSupervisor);
            QCOMPARE(userroles::resolve(db.value(), {QStringLiteral("stranger"), Role::Admin})->role,
                     Role::CustomerService);
        }
        closeConnection(name);

        // A console that claims more than the store says is held to the store's role.
        const qint64 id = raiseException(*m_store, QStringLiteral("PO-ROLES"));
        ActionService pretender(m_store.get(), {QStringLiteral("stranger"), Role::Admin});
        const auto taken = pretender.performAndWait({ActionKind::Take, id});
        QVERIFY(taken && !taken->done);
        QVERIFY2(taken->message.contains(QStringLiteral("Customer service")), qPrintable(taken->message));
    }

private:
    QTemporaryDir m_dir;
    QString m_location;
    std::unique_ptr<Store> m_store;
};

QTEST_GUILESS_MAIN(TestTeamMode)
#include "tst_teammode.moc"
