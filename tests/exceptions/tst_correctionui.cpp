// The Correct… dialog on the offscreen platform over a real store and the sandbox over real HTTP:
// it offers the corrections that fit the exception's trace (the rule's first, the ones the role may
// not make not at all), shows the write call before it goes, a dry run sends nothing, Correct
// sends it once (pressed again: the same idempotency key, applied once by the sandbox), and the
// exception queue opens it from the detail pane with the trace's documents. With
// SIGHTLINE_SCREENSHOT_DIR set, saves the README's picture of it (tests/screenshots/take.sh).

#include "models/actions/actionservice.h"
#include "models/actions/roles.h"
#include "models/audit/auditlog.h"
#include "sandboxexceptions.h"
#include "sandboxreplaysender.h"
#include "screenshotsupport.h"
#include "ui/exceptions/correctiondialog.h"
#include "ui/exceptions/exceptionspanel.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDateEdit>
#include <QDoubleSpinBox>
#include <QFile>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace sightline;
using namespace sightline::test;

namespace {
const qint64 kNow = at("2026-11-20T09:00:00Z");
} // namespace

class TestCorrectionUi : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<sandbox::SandboxServer> m_server;
    std::unique_ptr<Store> m_store;
    std::unique_ptr<StoreProbe> m_probe;

    ExceptionItem firstOpen(const QString &rule)
    {
        ExceptionFilter f;
        f.type = rule;
        f.statuses = {QStringLiteral("new")};
        const QList<ExceptionItem> found = m_probe->all(f);
        return found.isEmpty() ? ExceptionItem{} : m_probe->load(found.front().id);
    }

    static QStringList labels(const CorrectionDialog &dialog)
    {
        QStringList out;
        for (int i = 0; i < dialog.choiceBox()->count(); ++i)
            out.append(dialog.choiceBox()->itemText(i));
        return out;
    }

    // The sandbox's record of the writes made with this key that it applied (not answered as repeats).
    int appliedWith(const QString &key)
    {
        int applied = 0;
        for (const QJsonValue &v : sandboxWrites(m_server->httpPort())) {
            const QJsonObject w = v.toObject();
            if (w.value(QStringLiteral("key")).toString() == key)
                applied += w.value(QStringLiteral("replayed")).toBool() ? 0 : 1;
        }
        return applied;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_server = std::make_unique<sandbox::SandboxServer>(correctionSandboxOptions());
        QVERIFY(m_server->start().ok());
        auto store = Store::open(m_dir.filePath(QStringLiteral("correctui.db")));
        QVERIFY(store);
        m_store = std::move(store.value());
        m_probe = std::make_unique<StoreProbe>(m_store->path());
        QVERIFY(storeAndDetect(*m_server, *m_store, kNow));
    }

    void cleanupTestCase()
    {
        m_probe.reset();
        m_store.reset();
        m_server.reset();
    }

    void aBuyerAcceptsTheSuppliersChangeOnce()
    {
        const ExceptionItem ack = firstOpen(QStringLiteral("ack_changed"));
        QVERIFY2(ack.id, "the scenario has no changed acknowledgment");
        SandboxReplaySender writes(m_server->httpPort());
        ActionService buyer(m_store.get(), {QStringLiteral("ann"), Role::Buyer}, &writes,
                            [] { return kNow; });
        CorrectionDialog dialog(&buyer, ack);
        dialog.show();
        QVERIFY(dialog.choiceBox()->currentText().startsWith(
            QStringLiteral("Accept the supplier's change on purchase order ")));
        // Neither a quantity nor a date yet: nothing to send.
        QVERIFY(!dialog.correctButton()->isEnabled());
        QVERIFY(dialog.preview()->toPlainText().startsWith(QStringLiteral("Not yet:")));
        dialog.quantityBox()->setValue(17);
        QVERIFY(dialog.quantityCheck()->isChecked());
        QVERIFY(dialog.preview()->toPlainText().contains(QStringLiteral(R"({"quantity":17})")));
        QVERIFY(dialog.preview()->toPlainText().contains(QStringLiteral("/lines/1/correct")));
        QVERIFY(dialog.dryRunButton()->isEnabled());
        QVERIFY(!dialog.correctButton()->isEnabled()); // no reason yet
        QTest::keyClicks(dialog.reasonEdit(), QStringLiteral("supplier confirmed 17 by phone"));
        QVERIFY(dialog.correctButton()->isEnabled());

        QSignalSpy done(&dialog, &CorrectionDialog::actionDone);
        QTest::mouseClick(dialog.dryRunButton(), Qt::LeftButton);
        QVERIFY(done.wait(10000));
        QCOMPARE(writes.sent, 0); // a dry run sends nothing
        saveScreenshot(&dialog, "correct.png");

        QTest::mouseClick(dialog.correctButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(done.size(), 2, 10000);
        const auto first = done.at(1).at(0).value<ActionOutcome>();
        QVERIFY2(first.done, qPrintable(dialog.statusLabel()->text()));
        QVERIFY(first.replay);
        QCOMPARE(writes.sent, 1);
        QCOMPARE(appliedWith(first.replay->idempotencyKey), 1);
        // Pressed again: the same call and key; the sandbox answers it as a repeat.
        QTest::mouseClick(dialog.correctButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(done.size(), 3, 10000);
        const auto second = done.at(2).at(0).value<ActionOutcome>();
        QVERIFY2(second.done, qPrintable(dialog.statusLabel()->text()));
        QCOMPARE(second.replay->idempotencyKey, first.replay->idempotencyKey);
        QCOMPARE(appliedWith(first.replay->idempotencyKey), 1);
        // In the audit log with its reason, under the buyer's name.
        bool audited = false;
        const QList<AuditEntry> entries = readAudit(m_probe->db(), 0, 0, ack.id).value();
        for (const AuditEntry &a : entries)
            audited = audited || (a.action == QStringLiteral("correct") && a.actor == QStringLiteral("ann") &&
                                  a.reason == QStringLiteral("supplier confirmed 17 by phone"));
        QVERIFY(audited);
    }

    void eachRoleIsOfferedOnlyWhatItMayCorrect()
    {
        const ExceptionItem ack = firstOpen(QStringLiteral("ack_changed"));
        const ExceptionItem receipt = firstOpen(QStringLiteral("receipt_tolerance"));
        QVERIFY(ack.id && receipt.id);
        ActionService service(m_store.get(), {QStringLiteral("carl"), Role::CustomerService});
        CorrectionDialog readOnly(&service, ack);
        QCOMPARE(readOnly.choiceBox()->count(), 0);
        QVERIFY(readOnly.correctButton()->isHidden());
        QVERIFY(readOnly.statusLabel()->text().contains(QStringLiteral("nothing here that you may correct")));
        ActionService supervisor(m_store.get(), {QStringLiteral("wes"), Role::WarehouseSupervisor});
        CorrectionDialog onReceipt(&supervisor, receipt);
        QVERIFY(onReceipt.choiceBox()->currentText().startsWith(
            QStringLiteral("Adjust the received quantity of ")));
        QVERIFY(onReceipt.quantityCheck()->isChecked() && !onReceipt.quantityCheck()->isEnabled());
        QVERIFY(!onReceipt.dateBox()->isEnabled());
        for (const QString &label : labels(onReceipt))
            QVERIFY2(!label.contains(QStringLiteral("purchase order")), qPrintable(label)); // a buyer's
        ActionService buyer(m_store.get(), {QStringLiteral("ann"), Role::Buyer});
        CorrectionDialog buyersReceipt(&buyer, receipt);
        for (const QString &label : labels(buyersReceipt))
            QVERIFY2(!label.contains(QStringLiteral("received quantity")),
                     qPrintable(label)); // a supervisor's
    }

    // The queue's detail pane offers Correct… on a business exception and opens the dialog with the
    // trace's documents.
    void theQueueOpensItFromTheDetailPane()
    {
        const ExceptionItem ack = firstOpen(QStringLiteral("ack_changed"));
        const QString roles = m_dir.filePath(QStringLiteral("roles.json"));
        QFile f(roles);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(QJsonDocument(QJsonObject{{QStringLiteral("users"), QJsonObject{{RoleDirectory::currentUser(),
                                                                                 QStringLiteral("buyer")}}}})
                    .toJson());
        f.close();
        qputenv("SIGHTLINE_ROLES_FILE", roles.toUtf8());
        ExceptionsPanel panel(m_store->path(), m_store.get());
        panel.resize(1400, 700);
        panel.show();
        panel.selectException(ack.id);
        auto *correct = panel.findChild<QPushButton *>(QStringLiteral("action-correct"));
        QVERIFY(correct);
        QTRY_VERIFY_WITH_TIMEOUT(correct->isVisible(), 10000);
        QTest::mouseClick(correct, Qt::LeftButton);
        auto *dialog = panel.findChild<CorrectionDialog *>();
        QVERIFY(dialog);
        QVERIFY(dialog->isVisible());
        QVERIFY(dialog->choiceBox()->currentText().startsWith(
            QStringLiteral("Accept the supplier's change on purchase order ")));
    }
};

QTEST_MAIN(TestCorrectionUi)
#include "tst_correctionui.moc"
