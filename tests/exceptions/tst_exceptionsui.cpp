// The console's exception queue and audit view on the offscreen platform, over a real store: the
// item models under QAbstractItemModelTester, detection running on its own thread as the console
// starts, grouping by signature with counts, action buttons the role hides (and the service
// refuses anyway), an action taken from the detail pane, and the audit view naming a broken entry.

#include "exceptiontestsupport.h"
#include "models/actions/roles.h"
#include "models/audit/auditlogmodel.h"
#include "models/exceptions/exceptionqueuemodel.h"
#include "models/exceptions/savedviews.h"
#include "ui/audit/auditpanel.h"
#include "ui/exceptions/exceptionspanel.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QComboBox>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBrowser>

using namespace sightline;
using namespace sightline::test;

namespace {
const qint64 t0 = QDateTime::currentMSecsSinceEpoch() - 30 * 3600 * 1000LL;

QList<Ev> troubledPurchaseOrders(int n)
{
    QList<Ev> evs;
    for (int i = 1; i <= n; ++i) {
        const QString po = QStringLiteral("PO-%1").arg(i);
        const QJsonObject msg{
            {QStringLiteral("message_id"), QStringLiteral("MSG-%1").arg(i)},
            {QStringLiteral("destination"), QStringLiteral("portal")},
            {QStringLiteral("http_status"), 503},
            {QStringLiteral("reason"), QStringLiteral("HTTP 503 from portal after 3 attempts")}};
        evs.append({po + u"-f",
                    QStringLiteral("erp"),
                    QStringLiteral("message.dead_lettered"),
                    QStringLiteral("purchase_order"),
                    po,
                    t0 + i * 60000,
                    {},
                    msg,
                    {},
                    QStringLiteral("Acme Supply"),
                    QStringLiteral("WH-EAST")});
    }
    return evs;
}
} // namespace

class TestExceptionsUi : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<Store> m_store;

    void useRole(Role role)
    {
        const QString path = m_dir.filePath(QStringLiteral("roles.json"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(QJsonDocument(QJsonObject{{QStringLiteral("users"),
                                           QJsonObject{{RoleDirectory::currentUser(), roleName(role)}}}})
                    .toJson());
        qputenv("SIGHTLINE_ROLES_FILE", path.toUtf8());
    }

    QPushButton *button(QWidget *panel, const char *action)
    {
        return panel->findChild<QPushButton *>(QStringLiteral("action-") + QLatin1String(action));
    }

private Q_SLOTS:
    void init()
    {
        static int n = 0;
        auto store = Store::open(m_dir.filePath(QStringLiteral("ui-%1.db").arg(++n)));
        QVERIFY(store);
        m_store = std::move(store.value());
        QVERIFY(ingest(*m_store, troubledPurchaseOrders(3)));
        // Saved views in a file of this test's own, never the user's.
        const QString views = m_dir.filePath(QStringLiteral("views-%1.json").arg(n));
        qputenv("SIGHTLINE_SAVED_VIEWS_FILE", views.toUtf8());
    }

    void cleanup() { m_store.reset(); }

    void modelsPassTheTester()
    {
        ExceptionQueueModel queue;
        QAbstractItemModelTester t1(&queue, QAbstractItemModelTester::FailureReportingMode::QtTest);
        ExceptionGroupModel groups;
        QAbstractItemModelTester t2(&groups, QAbstractItemModelTester::FailureReportingMode::QtTest);
        AuditLogModel audit;
        QAbstractItemModelTester t3(&audit, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QList<ExceptionItem> items;
        for (int i = 0; i < 5; ++i) {
            ExceptionItem e;
            e.id = i + 1;
            e.signature = i < 3 ? QStringLiteral("a|x") : QStringLiteral("b|y");
            e.type = i < 3 ? QStringLiteral("A") : QStringLiteral("B");
            e.firstSeenMs = 1000 * i;
            e.severity = ExceptionSeverity(i % 4);
            items.append(e);
        }
        queue.setItems(items, 10 * 3600 * 1000);
        groups.setGroups({{QStringLiteral("a|x"), QStringLiteral("A"), QStringLiteral("a"), 3, 0, {}},
                          {QStringLiteral("b|y"), QStringLiteral("B"), QStringLiteral("b"), 2, 3000, {}}},
                         5);
        QCOMPARE(queue.rowCount(), 5);
        QCOMPARE(queue.index(0, ExceptionQueueModel::Age).data().toString(), QStringLiteral("10 h"));
        QCOMPARE(groups.rowCount(), 3); // all, then a|x (3), b|y (2)
        QCOMPARE(groups.index(0, ExceptionGroupModel::Count).data().toInt(), 5);
        QCOMPARE(groups.index(1, ExceptionGroupModel::Count).data().toInt(), 3);
        QCOMPARE(groups.index(2, 0).data(ExceptionGroupModel::SignatureRole).toString(),
                 QStringLiteral("b|y"));
        AuditEntry e;
        e.seq = 1;
        e.action = QStringLiteral("take");
        audit.setEntries({e});
        QCOMPARE(audit.rowCount(), 1);
        queue.setItems({}, 0);
        groups.setGroups({}, 0);
        audit.setEntries({});
    }

    void queueGroupsAndHidesWhatTheRoleMayNotDo()
    {
        useRole(Role::CustomerService);
        ExceptionsPanel panel(m_store->path(), m_store.get());
        panel.resize(1400, 600);
        panel.show();
        // Detection runs as the console starts; the queue follows the store's commits.
        QTRY_COMPARE_WITH_TIMEOUT(panel.queueModel()->rowCount(), 3, 10000);
        auto *groups = panel.findChild<QTableView *>(QStringLiteral("exceptionGroups"));
        QVERIFY(groups);
        QCOMPARE(groups->model()->rowCount(), 2); // all, and one cause for the three
        QCOMPARE(groups->model()->index(1, 1).data().toInt(), 3);
        panel.queueView()->selectRow(0);
        auto *detail = panel.findChild<QTextBrowser *>(QStringLiteral("exceptionDetail"));
        QTRY_VERIFY(detail->toPlainText().contains(QStringLiteral("HTTP 503 from portal")));
        auto *payload = panel.findChild<QPlainTextEdit *>(QStringLiteral("exceptionPayload"));
        QTRY_VERIFY(payload->toPlainText().contains(QStringLiteral("message.dead_lettered")));
        for (const char *a : {"take", "replay", "resolve", "comment"})
            QVERIFY2(button(&panel, a)->isHidden(), a);
    }

    void aBuyerTakesFromTheDetailPane()
    {
        useRole(Role::Buyer);
        ExceptionsPanel panel(m_store->path(), m_store.get());
        panel.resize(1400, 600);
        panel.show();
        QTRY_COMPARE_WITH_TIMEOUT(panel.queueModel()->rowCount(), 3, 10000);
        panel.queueView()->selectRow(0);
        QTRY_VERIFY(button(&panel, "take")->isVisible());
        QVERIFY(button(&panel, "replay")->isVisible());
        const qint64 id = panel.queueView()->currentIndex().data(ExceptionQueueModel::IdRole).toLongLong();
        QTest::mouseClick(button(&panel, "take"), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(panel.queueModel()->item(panel.queueModel()->rowOf(id))->owner,
                                  RoleDirectory::currentUser(), 10000);
        // Resolving without a reason is refused in the pane, with a problem for the banner.
        QSignalSpy problems(&panel, &ExceptionsPanel::problem);
        panel.selectException(id);
        QTRY_VERIFY(button(&panel, "resolve")->isVisible());
        QTest::mouseClick(button(&panel, "resolve"), Qt::LeftButton);
        QCOMPARE(problems.size(), 1);
    }

    void eachRoleStartsWithItsOwnScope()
    {
        useRole(Role::WarehouseSupervisor);
        ExceptionsPanel panel(m_store->path(), m_store.get());
        auto *scope = panel.findChild<QComboBox *>(QStringLiteral("exceptionScopeFilter"));
        const QString warehouse = defaultDocumentKinds(Role::WarehouseSupervisor).join(u',');
        QCOMPARE(scope->currentData().toString(), warehouse); // the role's first saved view
        scope->setCurrentIndex(scope->findData(QString()));   // all documents
        QTRY_COMPARE_WITH_TIMEOUT(panel.queueModel()->rowCount(), 3, 10000);
        scope->setCurrentIndex(scope->findData(warehouse));
        QTRY_COMPARE_WITH_TIMEOUT(panel.queueModel()->rowCount(), 0, 10000); // purchasing documents only
        scope->setCurrentIndex(scope->findData(defaultDocumentKinds(Role::Buyer).join(u',')));
        QTRY_COMPARE_WITH_TIMEOUT(panel.queueModel()->rowCount(), 3, 10000);
    }

    // A buyer's saved views with their open counts; the counts follow the engine's writes; the
    // queue as shown is saved as a view of the user's own and comes back in the next console.
    void savedViewsShowCountsAndAreKept()
    {
        useRole(Role::Buyer);
        auto panel = std::make_unique<ExceptionsPanel>(m_store->path(), m_store.get());
        panel->resize(1400, 600);
        panel->show();
        QSignalSpy open(panel.get(), &ExceptionsPanel::openCountChanged);
        auto *list = panel->findChild<QListView *>(QStringLiteral("savedViewList"));
        QVERIFY(list);
        QCOMPARE(list->model()->rowCount(), 3); // Purchasing, My items, All open
        const auto badge = [list](int row) {
            return list->model()->index(row, 0).data(SavedViewModel::CountRole).toInt();
        };
        QTRY_COMPARE_WITH_TIMEOUT(badge(0), 3, 10000);
        QCOMPARE(badge(1), 0); // nothing taken yet
        QCOMPARE(badge(2), 3);
        QTRY_VERIFY(!open.isEmpty() && open.constLast().at(0).toInt() == 3);
        // The engine raises two more: the badges and the open count follow.
        QList<Ev> more = troubledPurchaseOrders(5).mid(3);
        QVERIFY(ingest(*m_store, more));
        QTRY_COMPARE_WITH_TIMEOUT(badge(0), 5, 15000);
        QTRY_COMPARE_WITH_TIMEOUT(open.constLast().at(0).toInt(), 5, 10000);

        // Save the queue filtered to one partner as a view of one's own.
        auto *partner = panel->findChild<QLineEdit *>(QStringLiteral("exceptionPartnerFilter"));
        partner->setText(QStringLiteral("Acme Supply"));
        partner->setModified(true);
        Q_EMIT partner->editingFinished();
        QTimer::singleShot(0, this, [] {
            auto *dialog = qobject_cast<QInputDialog *>(QApplication::activeModalWidget());
            QVERIFY(dialog);
            dialog->setTextValue(QStringLiteral("Acme"));
            dialog->accept();
        });
        QTest::mouseClick(panel->findChild<QPushButton *>(QStringLiteral("saveViewButton")), Qt::LeftButton);
        QTRY_COMPARE(list->model()->rowCount(), 4);
        QTRY_COMPARE_WITH_TIMEOUT(badge(3), 5, 10000);
        panel.reset();

        ExceptionsPanel again(m_store->path(), m_store.get());
        auto *list2 = again.findChild<QListView *>(QStringLiteral("savedViewList"));
        QCOMPARE(list2->model()->rowCount(), 4);
        QCOMPARE(list2->model()->index(3, 0).data(SavedViewModel::NameRole).toString(),
                 QStringLiteral("Acme"));
        auto views = savedviews::load(savedviews::defaultFile(), Role::Buyer);
        QVERIFY(views);
        QCOMPARE(views->at(3).filter.partner, QStringLiteral("Acme Supply"));
        QCOMPARE(views->at(3).filter.documentKinds, defaultDocumentKinds(Role::Buyer));
    }

    void auditViewNamesABrokenEntry()
    {
        useRole(Role::Buyer);
        {
            ExceptionsPanel warmUp(m_store->path(), m_store.get()); // detection writes the first entries
            QTRY_COMPARE_WITH_TIMEOUT(warmUp.queueModel()->rowCount(), 3, 10000);
        }
        AuditPanel audit(m_store->path(), m_store.get());
        audit.resize(1000, 400);
        audit.show();
        QTRY_VERIFY_WITH_TIMEOUT(audit.chainText().contains(QStringLiteral("intact")), 10000);
        QCOMPARE(audit.model()->rowCount(), 3);
        {
            StoreProbe probe(m_store->path());
            QSqlQuery q(probe.db());
            QVERIFY(q.exec(QStringLiteral("UPDATE audit_log SET actor = 'mallory' WHERE seq = 2")));
        }
        audit.reload();
        QTRY_VERIFY_WITH_TIMEOUT(audit.chainText().contains(QStringLiteral("BROKEN at entry 2")), 10000);
    }
};

QTEST_MAIN(TestExceptionsUi)
#include "tst_exceptionsui.moc"
