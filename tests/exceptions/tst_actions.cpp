// Actions on exceptions with roles, on real SQLite files and against the sandbox over real HTTP:
// the permission matrix enforced by the service itself (a customer-service user is refused a
// replay and a take, whatever a UI shows), the lifecycle (take, assign, comment, snooze, resolve
// and ignore with a reason), the audit log (every action and refusal, hash-chained, and a row
// changed by hand is found and named), and replay: the kept message sent byte-exact with an
// idempotency key, refused while in flight, applied once when pressed twice, after a lost answer
// (a crash between sending and recording) and with a loop-guard warning after 3 replays.

#include "connectors/sandbox/sandboxserver.h"
#include "exceptiontestsupport.h"
#include "models/actions/actionservice.h"
#include "models/audit/auditlog.h"
#include "models/exceptions/exceptionengine.h"
#include "sandboxreplaysender.h"
#include "tests/store/teststorelocation.h"

#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace sightline;
using namespace sightline::test;

namespace {
const qint64 t0 = at("2026-11-20T08:00:00Z");

Identity as(Role role, const QString &user = {})
{
    return {user.isEmpty() ? roleName(role) : user, role};
}

QJsonObject get(quint16 port, const QString &path)
{
    QNetworkAccessManager nam;
    QNetworkReply *reply =
        nam.get(QNetworkRequest(QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(port).arg(path))));
    QSignalSpy done(reply, &QNetworkReply::finished);
    if (!done.wait(10000))
        return {};
    reply->deleteLater();
    return QJsonDocument::fromJson(reply->readAll()).object();
}
} // namespace

class TestActions : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<Store> m_store;
    std::unique_ptr<StoreProbe> m_probe;

    void detect()
    {
        ExceptionEngine engine(m_store.get(), ExceptionRules::defaults(), [] { return t0 + 3600 * 1000; });
        engine.start(false);
        QSignalSpy spy(&engine, &ExceptionEngine::passFinished);
        engine.scanAll();
        if (spy.isEmpty())
            QVERIFY(spy.wait(10000));
    }

    // A failed message about a document of this kind; returns its exception's id.
    qint64 failedMessage(const QString &kind, const QString &key, const QString &messageId)
    {
        const QJsonObject msg{
            {QStringLiteral("message_id"), messageId},
            {QStringLiteral("destination"), QStringLiteral("portal")},
            {QStringLiteral("http_status"), 503},
            {QStringLiteral("reason"), QStringLiteral("HTTP 503 from portal after 3 attempts")}};
        if (!ingest(*m_store, {{messageId + u"-f",
                                QStringLiteral("erp"),
                                QStringLiteral("message.failed"),
                                kind,
                                key,
                                t0,
                                {},
                                msg}}))
            return 0;
        detect();
        const auto item = m_probe->byKey(QStringLiteral("message|") + messageId);
        return item ? item->id : 0;
    }

    Result<ActionOutcome> act(const Identity &who, ActionRequest request, ReplaySender *sender = nullptr)
    {
        ActionService service(m_store.get(), who, sender, [] { return t0 + 2 * 3600 * 1000; });
        return service.performAndWait(request);
    }

    QList<AuditEntry> audit() { return readAudit(m_probe->db()).value(); }

private Q_SLOTS:
    void initTestCase() { SIGHTLINE_SKIP_WITHOUT_POSTGRES(); }

    void init()
    {
        QVERIFY(m_dir.isValid());
        static int n = 0;
        auto store = Store::open(storeLocation(m_dir, QStringLiteral("actions-%1.db").arg(++n)));
        QVERIFY(store);
        m_store = std::move(store.value());
        if (m_store->isShared()) {
            // On a shared store roles come from the store: the ones the identities here claim, put
            // there directly (not through the service, whose audit entries would shift the counts).
            IngestBatch roles;
            roles.writes.push_back([](QSqlDatabase &db) -> Status {
                QSqlQuery q(db);
                q.prepare(QStringLiteral("INSERT INTO user_roles (user_name, role, updated_by, updated_ms) "
                                         "VALUES (?, ?, 'test', 0)"));
                QList<std::pair<QString, Role>> users{{QStringLiteral("ann"), Role::Buyer},
                                                      {QStringLiteral("bob"), Role::Buyer},
                                                      {QStringLiteral("carol"), Role::CustomerService}};
                for (Role r : {Role::CustomerService, Role::Buyer, Role::WarehouseSupervisor, Role::Manager,
                               Role::Admin})
                    users.append({roleName(r), r});
                for (const auto &[user, role] : users) {
                    q.addBindValue(user);
                    q.addBindValue(roleName(role));
                    if (!q.exec())
                        return Error{q.lastError().text()};
                }
                return {};
            });
            QVERIFY(m_store->ingestAndWait(std::move(roles)));
        }
        m_probe = std::make_unique<StoreProbe>(m_store->path());
    }

    void cleanup()
    {
        m_probe.reset();
        m_store.reset();
    }

    void permissionMatrixOfTheSpec()
    {
        QVERIFY(!roleMay(Role::CustomerService, Permission::CommentTakeAssign));
        QVERIFY(roleMay(Role::CustomerService, Permission::Export));
        QVERIFY(roleMay(Role::Buyer, Permission::ActOnPurchasing));
        QVERIFY(!roleMay(Role::Buyer, Permission::ActOnWarehouse));
        QVERIFY(roleMay(Role::WarehouseSupervisor, Permission::ActOnWarehouse));
        QVERIFY(!roleMay(Role::WarehouseSupervisor, Permission::ActOnPurchasing));
        QVERIFY(!roleMay(Role::Manager, Permission::ActOnPurchasing));
        QVERIFY(roleMay(Role::Manager, Permission::EditRules));
        QVERIFY(!roleMay(Role::Manager, Permission::Bulk));
        QVERIFY(roleMay(Role::Admin, Permission::ManageConnectors));
        QCOMPARE(permissionToActOn(QStringLiteral("asn")), Permission::ActOnPurchasing);
        QCOMPARE(permissionToActOn(QStringLiteral("receipt")), Permission::ActOnWarehouse);

        auto dir = RoleDirectory::fromJson(
            R"({"default_role": "customer_service", "users": {"ann": "buyer", "wes": "warehouse_supervisor"}})");
        QVERIFY(dir);
        QCOMPARE(dir->roleOf(QStringLiteral("ann")), Role::Buyer);
        QCOMPARE(dir->roleOf(QStringLiteral("someone")), Role::CustomerService);
        QVERIFY(!RoleDirectory::fromJson(R"({"users": {"ann": "superuser"}})"));
    }

    void customerServiceIsRefusedByTheServiceItself()
    {
        const qint64 id =
            failedMessage(QStringLiteral("purchase_order"), QStringLiteral("PO-1"), QStringLiteral("MSG-1"));
        QVERIFY(id > 0);
        const Identity cs = as(Role::CustomerService, QStringLiteral("carol"));
        // A UI would hide these; the service refuses them anyway, and says why.
        ActionService service(m_store.get(), cs);
        QVERIFY(service.allowedActions(m_probe->load(id)).isEmpty());
        for (ActionKind kind :
             {ActionKind::Replay, ActionKind::Take, ActionKind::Comment, ActionKind::Resolve}) {
            ActionRequest r{kind, id};
            r.reason = QStringLiteral("because");
            r.text = QStringLiteral("hello");
            auto out = act(cs, r);
            QVERIFY(out);
            QVERIFY2(!out->done, qPrintable(actionKindName(kind)));
            QVERIFY2(out->message.contains(QStringLiteral("Customer service")), qPrintable(out->message));
        }
        const ExceptionItem after = m_probe->load(id);
        QCOMPARE(after.status, ExceptionStatus::New);
        QVERIFY(after.owner.isEmpty());
        QVERIFY(after.comments.isEmpty());
        QCOMPARE(after.replayCount, 0);
        // Each refusal is in the audit log, with who and in which role.
        int refusals = 0;
        for (const AuditEntry &e : audit()) {
            if (e.result.startsWith(QStringLiteral("refused")) && e.actor == QStringLiteral("carol")) {
                QCOMPARE(e.role, QStringLiteral("customer_service"));
                ++refusals;
            }
        }
        QCOMPARE(refusals, 4);
    }

    void replayNeedsTheRoleOfTheDocumentsOwner()
    {
        const qint64 release =
            failedMessage(QStringLiteral("release"), QStringLiteral("REL-1"), QStringLiteral("MSG-2"));
        const qint64 order =
            failedMessage(QStringLiteral("purchase_order"), QStringLiteral("PO-2"), QStringLiteral("MSG-3"));
        ActionRequest dry{ActionKind::Replay, release};
        dry.dryRun = true;
        auto buyer = act(as(Role::Buyer), dry);
        QVERIFY(buyer && !buyer->done);
        auto supervisor = act(as(Role::WarehouseSupervisor), dry);
        QVERIFY2(supervisor && supervisor->done, qPrintable(supervisor->message));
        QVERIFY(supervisor->replay);
        QCOMPARE(supervisor->replay->path, QStringLiteral("messages/MSG-2/resubmit"));
        dry.exceptionId = order;
        QVERIFY(!act(as(Role::WarehouseSupervisor), dry)->done);
        QVERIFY(act(as(Role::Buyer), dry)->done);
        QVERIFY(!act(as(Role::Manager), dry)->done);
        QVERIFY(act(as(Role::Admin), dry)->done);
        // A dry run sends nothing and changes nothing.
        QCOMPARE(m_probe->load(order).replayCount, 0);
        // The UI's view of the same rules.
        ActionService buyerService(m_store.get(), as(Role::Buyer));
        QVERIFY(buyerService.allowedActions(m_probe->load(order)).contains(ActionKind::Replay));
        QVERIFY(!buyerService.allowedActions(m_probe->load(release)).contains(ActionKind::Replay));
        QVERIFY(buyerService.allowedActions(m_probe->load(release)).contains(ActionKind::Take));
    }

    void lifecycleTakeAssignCommentSnoozeResolveIgnore()
    {
        const qint64 a =
            failedMessage(QStringLiteral("purchase_order"), QStringLiteral("PO-1"), QStringLiteral("MSG-1"));
        const qint64 b =
            failedMessage(QStringLiteral("purchase_order"), QStringLiteral("PO-2"), QStringLiteral("MSG-2"));
        const Identity ann = as(Role::Buyer, QStringLiteral("ann"));
        const Identity bob = as(Role::Buyer, QStringLiteral("bob"));
        QVERIFY(act(ann, {ActionKind::Take, a})->done);
        ExceptionItem item = m_probe->load(a);
        QCOMPARE(item.status, ExceptionStatus::InProgress);
        QCOMPARE(item.owner, QStringLiteral("ann"));
        auto taken = act(bob, {ActionKind::Take, a});
        QVERIFY(!taken->done); // one owner: the second take is refused
        QVERIFY2(taken->message.contains(QStringLiteral("ann")), qPrintable(taken->message));
        ActionRequest assign{ActionKind::Assign, a};
        assign.assignee = QStringLiteral("bob");
        QVERIFY(act(ann, assign)->done);
        QCOMPARE(m_probe->load(a).owner, QStringLiteral("bob"));
        ActionRequest comment{ActionKind::Comment, a};
        comment.text = QStringLiteral("supplier portal was down, asked them to confirm");
        QVERIFY(act(bob, comment)->done);
        ActionRequest snooze{ActionKind::Snooze, a};
        snooze.snoozeUntilMs = t0 + 30 * 3600 * 1000;
        QVERIFY(act(bob, snooze)->done);
        ActionRequest resolve{ActionKind::Resolve, a};
        QVERIFY(!act(bob, resolve)->done); // a reason is required
        resolve.reason = QStringLiteral("resent by the supplier");
        QVERIFY(act(bob, resolve)->done);
        ActionRequest ignore{ActionKind::Ignore, b};
        ignore.reason = QStringLiteral("test order");
        QVERIFY(act(ann, ignore)->done);
        QVERIFY(!act(ann, ignore)->done); // ignored already

        item = m_probe->load(a);
        QCOMPARE(item.status, ExceptionStatus::Resolved);
        QCOMPARE(item.statusReason, QStringLiteral("resent by the supplier"));
        QCOMPARE(item.snoozedUntilMs, t0 + 30 * 3600 * 1000);
        QCOMPARE(item.comments.size(), 1);
        QCOMPARE(item.comments.front().author, QStringLiteral("bob"));
        QStringList whats;
        for (const ExceptionHistoryEntry &h : item.history)
            whats.append(h.what);
        QCOMPARE(whats, (QStringList{QStringLiteral("detected"), QStringLiteral("take"),
                                     QStringLiteral("assign"), QStringLiteral("comment"),
                                     QStringLiteral("snooze"), QStringLiteral("resolve")}));
        QCOMPARE(m_probe->load(b).status, ExceptionStatus::Ignored);
        // The audit entry of the resolve: who, role, reason, before and after.
        const QList<AuditEntry> entries = readAudit(m_probe->db(), 0, 0, a).value();
        const AuditEntry &last = entries.constLast();
        QCOMPARE(last.action, QStringLiteral("resolve"));
        QCOMPARE(last.actor, QStringLiteral("bob"));
        QCOMPARE(last.role, QStringLiteral("buyer"));
        QCOMPARE(last.reason, QStringLiteral("resent by the supplier"));
        QVERIFY(last.before.contains(QStringLiteral("\"status\":\"in_progress\"")));
        QVERIFY(last.after.contains(QStringLiteral("\"status\":\"resolved\"")));
        QVERIFY(verifyAudit(m_probe->db())->ok());

        // Closed is closed: the service sends nothing for a resolved or ignored exception, and the
        // queue offers neither replay nor resubmit for it.
        for (const qint64 closed : {a, b}) {
            auto replay = act(ann, {ActionKind::Replay, closed});
            QVERIFY(replay);
            QVERIFY(!replay->done);
            QVERIFY2(replay->message.contains(QStringLiteral("reopen it")), qPrintable(replay->message));
            ActionService buyerService(m_store.get(), ann);
            const QSet<ActionKind> offered = buyerService.allowedActions(m_probe->load(closed));
            QVERIFY(!offered.contains(ActionKind::Replay));
            QVERIFY(!offered.contains(ActionKind::Resubmit));
        }
        QVERIFY(readAudit(m_probe->db(), 0, 0, b)
                    .value()
                    .constLast()
                    .result.startsWith(QStringLiteral("refused: ")));
    }

    void auditVerifyNamesARowChangedByHand()
    {
        const qint64 id =
            failedMessage(QStringLiteral("purchase_order"), QStringLiteral("PO-1"), QStringLiteral("MSG-1"));
        ActionRequest comment{ActionKind::Comment, id};
        comment.text = QStringLiteral("looking");
        QVERIFY(act(as(Role::Buyer), comment)->done);
        QVERIFY(act(as(Role::Buyer), {ActionKind::Take, id})->done);
        auto before = verifyAudit(m_probe->db());
        QVERIFY(before->ok());
        QCOMPARE(before->entries, 3);
        QSqlQuery q(m_probe->db());
        QVERIFY(q.exec(QStringLiteral("UPDATE audit_log SET actor = 'mallory' WHERE seq = 2")));
        auto after = verifyAudit(m_probe->db());
        QVERIFY(!after->ok());
        QCOMPARE(after->brokenSeq, 2);
        QVERIFY2(after->problem.contains(QStringLiteral("entry 2")), qPrintable(after->problem));
        // Removing an entry breaks the chain too.
        QVERIFY(q.exec(QStringLiteral("UPDATE audit_log SET actor = 'buyer' WHERE seq = 2")));
        QVERIFY(verifyAudit(m_probe->db())->ok());
        QVERIFY(q.exec(QStringLiteral("DELETE FROM audit_log WHERE seq = 2")));
        QCOMPARE(verifyAudit(m_probe->db())->brokenSeq, 3);
    }

    void replayReachesTheSandboxOnceWhenPressedTwice()
    {
        sandbox::SandboxOptions o;
        o.speed = 0;
        o.scenario.seed = 7;
        o.scenario.start = QDateTime(QDate(2026, 11, 20), QTime(8, 0), Qt::UTC);
        o.scenario.backfillDays = 2;
        o.scenario.trouble.setAll(0);
        QVERIFY(o.scenario.trouble.set(QStringLiteral("failed_delivery"), 0.5).ok());
        sandbox::SandboxServer server(o);
        QVERIFY(server.start().ok());
        // The sandbox's feed into the store, then detection.
        const CloudEventReader reader(QStringLiteral("sandbox"));
        ParsedInput parsed;
        for (const auto &e : server.scenario().events())
            reader.readDocument(e.json, e.timeMs, parsed);
        IngestBatch batch;
        batch.events = parsed.events;
        QVERIFY(m_store->ingestAndWait(batch).ok());
        detect();
        ExceptionFilter dead;
        dead.type = QStringLiteral("message_dead_lettered");
        dead.statuses = {QStringLiteral("new")};
        dead.family = QStringLiteral("technical");
        const auto open = m_probe->all(dead);
        QVERIFY2(open.size() >= 3, qPrintable(QString::number(open.size())));
        // A purchasing message, so that a buyer may replay it.
        std::optional<ExceptionItem> target;
        for (const ExceptionItem &e : open) {
            if (e.documentKind == QStringLiteral("purchase_order") && !target)
                target = e;
        }
        QVERIFY(target);

        SandboxReplaySender sender(server.httpPort());
        ActionService service(m_store.get(), as(Role::Buyer, QStringLiteral("ann")), &sender);
        // Two presses at once: the second finds the first in flight and is refused.
        std::optional<Result<ActionOutcome>> first, second;
        service.perform({ActionKind::Replay, target->id},
                        [&](Result<ActionOutcome> r) { first = std::move(r); });
        service.perform({ActionKind::Replay, target->id},
                        [&](Result<ActionOutcome> r) { second = std::move(r); });
        QTRY_VERIFY_WITH_TIMEOUT(first && second, 10000);
        QVERIFY(first->ok() && second->ok());
        QVERIFY2(first->value().done, qPrintable(first->value().message));
        QVERIFY(!second->value().done);
        QVERIFY2(second->value().message.contains(QStringLiteral("in flight")),
                 qPrintable(second->value().message));
        QCOMPARE(first->value().response->httpStatus, 200);
        QVERIFY(!first->value().response->replayedByTarget);
        const QString key = first->value().replay->idempotencyKey;

        // Pressed again later: the same key, so the sandbox answers with the first result and writes nothing.
        auto again = service.performAndWait({ActionKind::Replay, target->id});
        QVERIFY(again.ok() && again->done);
        QCOMPARE(again->replay->idempotencyKey, key);
        QVERIFY(again->response->replayedByTarget);
        QCOMPARE(sender.sent, 2);

        // After a crash between sending and recording: the attempt stays marked in flight; once
        // that is taken as lost, a new attempt sends the same key and is applied once.
        sender.loseAnswers = true;
        ActionService crashing(m_store.get(), as(Role::Buyer, QStringLiteral("ann")), &sender);
        crashing.perform({ActionKind::Replay, target->id}, [](Result<ActionOutcome>) {});
        QTRY_COMPARE_WITH_TIMEOUT(sender.sent, 3, 10000);
        QTest::qWait(200); // the lost answer arrives and is dropped
        QVERIFY(!m_probe->load(target->id).replayKey.isEmpty());
        sender.loseAnswers = false;
        ActionService restarted(m_store.get(), as(Role::Buyer, QStringLiteral("ann")), &sender);
        auto refused = restarted.performAndWait({ActionKind::Replay, target->id});
        QVERIFY(!refused->done); // still in flight
        restarted.setInFlightTimeout(0);
        auto resent = restarted.performAndWait({ActionKind::Replay, target->id});
        QVERIFY2(resent->done, qPrintable(resent->message));
        QVERIFY(resent->response->replayedByTarget);
        QVERIFY2(resent->warning.contains(QStringLiteral("3 times")),
                 qPrintable(resent->warning)); // loop guard

        // The sandbox: four calls with the key, one applied.
        const QJsonObject inspect = get(server.httpPort(), QStringLiteral("/admin/inspect"));
        int withKey = 0, applied = 0;
        for (const QJsonValue &v : inspect.value(QStringLiteral("writes")).toArray()) {
            const QJsonObject w = v.toObject();
            if (w.value(QStringLiteral("key")).toString() != key)
                continue;
            ++withKey;
            QVERIFY(w.value(QStringLiteral("path")).toString().endsWith(QStringLiteral("/resubmit")));
            if (w.value(QStringLiteral("status")).toInt() == 200 &&
                !w.value(QStringLiteral("replayed")).toBool())
                ++applied;
        }
        QCOMPARE(withKey, 4);
        QCOMPARE(applied, 1);
        // The body the sandbox received is the kept message, byte-exact.
        QSqlQuery raw(m_probe->db());
        raw.prepare(QStringLiteral("SELECT raw FROM events WHERE id = ?"));
        raw.addBindValue(target->eventRowId);
        QVERIFY(raw.exec() && raw.next());
        QCOMPARE(first->value().replay->body, raw.value(0).toByteArray());
        // Every attempt is audited with its request and response, and the chain holds.
        int replays = 0;
        for (const AuditEntry &e : audit()) {
            if (e.action == QStringLiteral("replay") && !e.result.startsWith(QStringLiteral("refused"))) {
                ++replays;
                QVERIFY(e.request.contains(key));
                QVERIFY(e.response.startsWith(QStringLiteral("HTTP 200")));
            }
        }
        QCOMPARE(replays, 3);
        QVERIFY(verifyAudit(m_probe->db())->ok());
    }
};

QTEST_GUILESS_MAIN(TestActions)
#include "tst_actions.moc"
