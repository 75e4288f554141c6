// Edit and resubmit (SPEC.md §4) against the sandbox over real HTTP, on a real SQLite store: the
// edit is checked by the models (JSON with line and column, the original's shape and types, the
// edit rules' editable fields), refused by the action service itself when it touches a locked
// field, kept as draft versions, dry-run without sending (the sandbox's write count stays), and
// sent through the write path with a key of its own, its diff and reason in the audit log.

#include "models/actions/actionservice.h"
#include "models/actions/resubmitdrafts.h"
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

QByteArray setQuantity(const QByteArray &raw, int line, double quantity)
{
    QJsonObject ce = QJsonDocument::fromJson(raw).object();
    QJsonObject data = ce.value(QStringLiteral("data")).toObject();
    QJsonObject payload = data.value(QStringLiteral("payload")).toObject();
    QJsonArray lines = payload.value(QStringLiteral("lines")).toArray();
    QJsonObject l = lines.at(line).toObject();
    l.insert(QStringLiteral("quantity"), quantity);
    lines.replace(line, l);
    payload.insert(QStringLiteral("lines"), lines);
    data.insert(QStringLiteral("payload"), payload);
    ce.insert(QStringLiteral("data"), data);
    return QJsonDocument(ce).toJson(QJsonDocument::Indented);
}
} // namespace

class TestResubmit : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<sandbox::SandboxServer> m_server;
    std::unique_ptr<Store> m_store;
    std::unique_ptr<StoreProbe> m_probe;
    QList<ExceptionItem> m_pos;

    QByteArray raw(const ExceptionItem &e)
    {
        QSqlQuery q(m_probe->db());
        q.prepare(QStringLiteral("SELECT raw FROM events WHERE id = ?"));
        q.addBindValue(e.eventRowId);
        return q.exec() && q.next() ? q.value(0).toByteArray() : QByteArray();
    }
    Identity buyer() const { return {QStringLiteral("ann"), Role::Buyer}; }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_server = std::make_unique<sandbox::SandboxServer>(failingSandboxOptions());
        QVERIFY(m_server->start().ok());
        auto store = Store::open(m_dir.filePath(QStringLiteral("resubmit.db")));
        QVERIFY(store);
        m_store = std::move(store.value());
        m_probe = std::make_unique<StoreProbe>(m_store->path());
        QVERIFY(storeAndDetect(*m_server, *m_store, kNow));
        m_pos = deadLettered(*m_probe, QStringLiteral("purchase_order"));
        QVERIFY2(m_pos.size() >= 3, qPrintable(QString::number(m_pos.size())));
    }

    void cleanupTestCase()
    {
        m_probe.reset();
        m_store.reset();
        m_server.reset();
    }

    void parseErrorsHaveLineAndColumn()
    {
        const EditCheck c = checkEdit("{\"a\": 1}", "{\n  \"a\": 1,\n  \"b\" 2\n}", EditRules::defaults(),
                                      QStringLiteral("purchase_order"));
        QVERIFY(!c.parsed);
        QCOMPARE(c.problems.size(), 1);
        QCOMPARE(c.problems.front().line, 3);
        QVERIFY2(c.problems.front().message.startsWith(QStringLiteral("line 3, column")),
                 qPrintable(c.problems.front().message));
    }

    void typesShapeAndLockedFieldsAreChecked()
    {
        const QByteArray original = raw(m_pos.front());
        QVERIFY(original.contains("\"payload\""));
        const EditRules rules = EditRules::defaults();
        const QString po = QStringLiteral("purchase_order");
        // An editable field: one change, no problem.
        EditCheck ok = checkEdit(original, setQuantity(original, 0, 7), rules, po);
        QVERIFY(ok.ok());
        QCOMPARE(ok.changes.size(), 1);
        QCOMPARE(ok.changes.front().path, QStringLiteral("/data/payload/lines/0/quantity"));
        QCOMPARE(ok.changes.front().after, QStringLiteral("7"));
        // A number made a string: refused whatever the field.
        QByteArray typed = original;
        QJsonObject ce = QJsonDocument::fromJson(original).object();
        QJsonObject data = ce.value(QStringLiteral("data")).toObject();
        data.insert(QStringLiteral("http_status"), QStringLiteral("503"));
        data.insert(QStringLiteral("extra"), true);
        ce.insert(QStringLiteral("data"), data);
        const EditCheck bad = checkEdit(original, QJsonDocument(ce).toJson(), rules, po);
        QVERIFY(bad.parsed && !bad.ok());
        QStringList messages;
        for (const EditProblem &p : bad.problems)
            messages.append(p.message);
        QVERIFY2(messages.join(u'\n').contains(QStringLiteral("keeps its type")),
                 qPrintable(messages.join(u'\n')));
        QVERIFY(messages.join(u'\n').contains(QStringLiteral("/data/extra was added")));
        // The message id is a guard rail: no configuration unlocks it.
        auto opened = EditRules::fromJson(R"({"messages": {"purchase_order": ["/data/message_id", "/id"]}})");
        QVERIFY(opened);
        QVERIFY(!opened->isEditable(po, QStringLiteral("/data/message_id")));
        QVERIFY(!opened->isEditable(po, QStringLiteral("/id")));
        QVERIFY(!rules.isEditable(po, QStringLiteral("/data/payload/supplier")));
        QVERIFY(rules.isEditable(po, QStringLiteral("/data/payload/lines/3/promised_date")));
        QVERIFY(!rules.isEditable(QStringLiteral("release"),
                                  QStringLiteral("/data/payload/lines/0/promised_date")));
    }

    void anEditChangesOnlyEditableFieldsAndItsDiffIsRecorded()
    {
        const ExceptionItem target = m_pos.at(0);
        const QByteArray original = raw(target);
        const QByteArray edited = setQuantity(original, 0, 3);
        SandboxReplaySender sender(m_server->httpPort());
        ActionService service(m_store.get(), buyer(), &sender, [] { return kNow; });
        service.setEditRules(EditRules::defaults());

        ActionRequest request{ActionKind::Resubmit, target.id};
        request.editedBody = edited;
        auto noReason = service.performAndWait(request);
        QVERIFY(noReason.ok() && !noReason->done); // a reason is required
        request.reason = QStringLiteral("supplier can only ship 3 this week");
        const int writesBefore = sandboxWrites(m_server->httpPort()).size();
        auto out = service.performAndWait(request);
        QVERIFY(out.ok());
        QVERIFY2(out->done, qPrintable(out->message));
        QCOMPARE(out->response->httpStatus, 200);
        QCOMPARE(out->changes.size(), 1);
        QVERIFY(out->replay->idempotencyKey.startsWith(QStringLiteral("resubmit-")));
        QVERIFY(out->replay->idempotencyKey != replayIdempotencyKey(target.id, original));
        // The sandbox received the edited message once, with its own key.
        const QJsonArray writes = sandboxWrites(m_server->httpPort());
        QCOMPARE(writes.size(), writesBefore + 1);
        const QJsonObject w = writes.last().toObject();
        QCOMPARE(w.value(QStringLiteral("key")).toString(), out->replay->idempotencyKey);
        QCOMPARE(w.value(QStringLiteral("status")).toInt(), 200);
        const QJsonObject sentPayload = w.value(QStringLiteral("body"))
                                            .toObject()
                                            .value(QStringLiteral("data"))
                                            .toObject()
                                            .value(QStringLiteral("payload"))
                                            .toObject();
        QCOMPARE(sentPayload.value(QStringLiteral("lines"))
                     .toArray()
                     .at(0)
                     .toObject()
                     .value(QStringLiteral("quantity"))
                     .toDouble(),
                 3.0);
        // Only the editable field differs from the kept original, which is untouched.
        const auto diff =
            diffJson(QJsonDocument::fromJson(original).object(), w.value(QStringLiteral("body")).toObject());
        QCOMPARE(diff.size(), 1);
        QCOMPARE(diff.front().path, QStringLiteral("/data/payload/lines/0/quantity"));
        QCOMPARE(raw(target), original);
        // The diff and the reason are in the audit log, and the chain holds.
        bool audited = false;
        const QList<AuditEntry> entries = readAudit(m_probe->db(), 0, 0, target.id).value();
        for (const AuditEntry &e : entries) {
            if (e.action == QStringLiteral("resubmit") && !e.result.startsWith(QStringLiteral("refused"))) {
                audited = true;
                QVERIFY2(e.request.contains(QStringLiteral("\"path\":\"/data/payload/lines/0/quantity\"")),
                         qPrintable(e.request));
                QCOMPARE(e.reason, QStringLiteral("supplier can only ship 3 this week"));
                QVERIFY2(e.response.startsWith(QStringLiteral("HTTP 200")), qPrintable(e.response));
            }
        }
        QVERIFY(audited);
        QVERIFY(verifyAudit(m_probe->db())->ok());
        // The sent edit is kept as a version.
        const auto drafts = draftdb::list(m_probe->db(), target.id).value();
        QCOMPARE(drafts.size(), 1);
        QCOMPARE(drafts.front().state, QStringLiteral("sent"));
        QCOMPARE(drafts.front().body, edited);
    }

    void anEditOfALockedFieldIsRefusedByTheService()
    {
        const ExceptionItem target = m_pos.at(1);
        const QByteArray original = raw(target);
        QJsonObject ce = QJsonDocument::fromJson(original).object();
        QJsonObject data = ce.value(QStringLiteral("data")).toObject();
        QJsonObject payload = data.value(QStringLiteral("payload")).toObject();
        payload.insert(QStringLiteral("supplier"), QStringLiteral("Someone Else Ltd"));
        data.insert(QStringLiteral("payload"), payload);
        ce.insert(QStringLiteral("data"), data);
        SandboxReplaySender sender(m_server->httpPort());
        // Even an administrator: the rules decide what is editable, not the role.
        ActionService service(m_store.get(), {QStringLiteral("root"), Role::Admin}, &sender,
                              [] { return kNow; });
        service.setEditRules(EditRules::defaults());
        ActionRequest request{ActionKind::Resubmit, target.id};
        request.editedBody = QJsonDocument(ce).toJson();
        request.reason = QStringLiteral("wrong supplier");
        const int writesBefore = sandboxWrites(m_server->httpPort()).size();
        auto out = service.performAndWait(request);
        QVERIFY(out.ok());
        QVERIFY(!out->done);
        QVERIFY2(out->message.contains(QStringLiteral("/data/payload/supplier is locked")),
                 qPrintable(out->message));
        QCOMPARE(sender.sent, 0);
        QCOMPARE(sandboxWrites(m_server->httpPort()).size(), writesBefore);
        QCOMPARE(m_probe->load(target.id).replayCount, 0);
        const auto entries = readAudit(m_probe->db(), 0, 0, target.id).value();
        QVERIFY(entries.constLast().result.startsWith(QStringLiteral("refused")));
        QCOMPARE(entries.constLast().action, QStringLiteral("resubmit"));
        // A customer-service user is refused before the edit is even looked at.
        ActionService cs(m_store.get(), {QStringLiteral("carol"), Role::CustomerService}, &sender,
                         [] { return kNow; });
        request.editedBody = setQuantity(original, 0, 1);
        QVERIFY(!cs.performAndWait(request)->done);
        QCOMPARE(sender.sent, 0);
    }

    void aDryRunSendsNothingAndDraftsAreVersions()
    {
        const ExceptionItem target = m_pos.at(2);
        const QByteArray original = raw(target);
        SandboxReplaySender sender(m_server->httpPort());
        ActionService service(m_store.get(), buyer(), &sender, [] { return kNow; });
        service.setEditRules(EditRules::defaults());
        std::optional<Result<int>> v1, v2;
        service.saveDraft(target.id, setQuantity(original, 0, 10), QString(), [&](Result<int> r) { v1 = r; });
        service.saveDraft(target.id, setQuantity(original, 0, 11), QString(), [&](Result<int> r) { v2 = r; });
        QTRY_VERIFY_WITH_TIMEOUT(v1 && v2, 10000);
        QCOMPARE(v1->value(), 1);
        QCOMPARE(v2->value(), 2);

        const int writesBefore = sandboxWrites(m_server->httpPort()).size();
        ActionRequest request{ActionKind::Resubmit, target.id};
        request.editedBody = setQuantity(original, 0, 11);
        request.reason = QStringLiteral("checking");
        request.dryRun = true;
        auto out = service.performAndWait(request);
        QVERIFY2(out.ok() && out->done, qPrintable(out->message));
        QVERIFY(out->message.startsWith(QStringLiteral("dry run: would send POST erp:messages/")));
        QCOMPARE(out->replay->body, request.editedBody); // exactly what would be sent
        QCOMPARE(out->changes.size(), 1);
        QCOMPARE(sender.sent, 0);
        QCOMPARE(sandboxWrites(m_server->httpPort()).size(), writesBefore);
        const ExceptionItem after = m_probe->load(target.id);
        QCOMPARE(after.replayCount, 0);
        QVERIFY(after.replayKey.isEmpty());
        const auto drafts = draftdb::list(m_probe->db(), target.id).value();
        QCOMPARE(drafts.size(), 3);
        QCOMPARE(drafts.at(2).state, QStringLiteral("dry_run"));
        QCOMPARE(drafts.at(0).body, setQuantity(original, 0, 10));
    }
};

QTEST_GUILESS_MAIN(TestResubmit)
#include "tst_resubmit.moc"
