// The edit-and-resubmit and bulk job dialogs on the offscreen platform over a real store: validation shown as
// you type (a parse error with its line, a locked field), the field-level diff, dry run showing
// exactly what would be sent (nothing is, there is no write path at all here), drafts kept as
// versions, and the buttons a customer-service user does not get; a bulk dry run with its progress
// bar and per-item results (the model under QAbstractItemModelTester). With
// SIGHTLINE_SCREENSHOT_DIR set, saves the README's pictures of both (tests/screenshots/take.sh).

#include "exceptiontestsupport.h"
#include "models/actions/actionservice.h"
#include "models/exceptions/exceptionengine.h"
#include "screenshotsupport.h"
#include "ui/exceptions/bulkjobdialog.h"
#include "ui/exceptions/resubmitdialog.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QSqlQuery>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace sightline;
using namespace sightline::test;

namespace {
const qint64 t0 = at("2026-11-20T08:00:00Z");

QJsonObject deadLetter()
{
    const QJsonArray lines{QJsonObject{{QStringLiteral("line"), 1},
                                       {QStringLiteral("sku"), QStringLiteral("SKU-1")},
                                       {QStringLiteral("quantity"), 40},
                                       {QStringLiteral("promised_date"), QStringLiteral("2026-11-27")}}};
    return {
        {QStringLiteral("message_id"), QStringLiteral("MSG-1")},
        {QStringLiteral("destination"), QStringLiteral("portal")},
        {QStringLiteral("http_status"), 503},
        {QStringLiteral("reason"), QStringLiteral("HTTP 503 from portal after 3 attempts")},
        {QStringLiteral("payload"), QJsonObject{{QStringLiteral("purchase_order"), QStringLiteral("PO-1")},
                                                {QStringLiteral("supplier"), QStringLiteral("Acme Supply")},
                                                {QStringLiteral("ship_to"), QStringLiteral("WH-EAST")},
                                                {QStringLiteral("lines"), lines}}}};
}
} // namespace

class TestResubmitUi : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<Store> m_store;
    std::unique_ptr<StoreProbe> m_probe;
    ExceptionItem m_item;
    QByteArray m_raw;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        auto store = Store::open(m_dir.filePath(QStringLiteral("ui.db")));
        QVERIFY(store);
        m_store = std::move(store.value());
        m_probe = std::make_unique<StoreProbe>(m_store->path());
        QList<Ev> more;
        for (int i = 2; i <= 12; ++i) {
            QJsonObject d = deadLetter();
            d.insert(QStringLiteral("message_id"), QStringLiteral("MSG-%1").arg(i));
            const bool release = i % 4 == 0; // a warehouse document: refused to a buyer
            more.append(
                {QStringLiteral("MSG-%1-d").arg(i),
                 QStringLiteral("erp"),
                 QStringLiteral("message.dead_lettered"),
                 release ? QStringLiteral("release") : QStringLiteral("purchase_order"),
                 QStringLiteral("%1-%2").arg(release ? QStringLiteral("REL") : QStringLiteral("PO")).arg(i),
                 t0 + i * 60000,
                 {},
                 d});
        }
        QVERIFY(ingest(*m_store, more));
        QVERIFY(ingest(*m_store, {{QStringLiteral("MSG-1-d"),
                                   QStringLiteral("erp"),
                                   QStringLiteral("message.dead_lettered"),
                                   QStringLiteral("purchase_order"),
                                   QStringLiteral("PO-1"),
                                   t0,
                                   {},
                                   deadLetter()}}));
        ExceptionEngine engine(m_store.get(), ExceptionRules::defaults(), [] { return t0 + 3600 * 1000; });
        engine.start(false);
        QSignalSpy spy(&engine, &ExceptionEngine::passFinished);
        engine.scanAll();
        QVERIFY(!spy.isEmpty() || spy.wait(10000));
        const auto found = m_probe->byKey(QStringLiteral("message|MSG-1"));
        QVERIFY(found);
        m_item = *found;
        QSqlQuery q(m_probe->db());
        q.prepare(QStringLiteral("SELECT raw FROM events WHERE id = ?"));
        q.addBindValue(m_item.eventRowId);
        QVERIFY(q.exec() && q.next());
        m_raw = q.value(0).toByteArray();
    }

    void cleanupTestCase()
    {
        m_probe.reset();
        m_store.reset();
    }

    void validatesAsYouTypeShowsTheDiffAndDryRuns()
    {
        ActionService service(m_store.get(), {QStringLiteral("ann"), Role::Buyer}, nullptr,
                              [] { return t0 + 7200000; });
        service.setEditRules(EditRules::defaults());
        ResubmitDialog dialog(&service, m_store->path(), m_item, m_raw);
        QSignalSpy drafts(&dialog, &ResubmitDialog::draftsShown);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QVERIFY(!dialog.isModal());
        QVERIFY(dialog.sendButton()->isVisible());
        auto *problems = dialog.findChild<QLabel *>(QStringLiteral("resubmitProblems"));
        // A typo: the parse error names its line.
        const QString text = dialog.editor()->toPlainText();
        dialog.editor()->setPlainText(
            QString(text).replace(QStringLiteral("\"quantity\": 40,"), QStringLiteral("\"quantity\": 40,,")));
        dialog.validateNow();
        QVERIFY2(problems->text().contains(QStringLiteral("line ")), qPrintable(problems->text()));
        QVERIFY(!dialog.dryRunButton()->isEnabled());
        // A locked field: listed in the diff, refused in the problems.
        dialog.editor()->setPlainText(
            QString(text).replace(QStringLiteral("Acme Supply"), QStringLiteral("Other Ltd")));
        dialog.validateNow();
        QVERIFY2(problems->text().contains(QStringLiteral("is locked")), qPrintable(problems->text()));
        QCOMPARE(dialog.diffTable()->rowCount(), 1);
        QVERIFY(!dialog.dryRunButton()->isEnabled());
        // An editable field: one row in the diff; send waits for a reason.
        dialog.editor()->setPlainText(
            QString(text).replace(QStringLiteral("\"quantity\": 40"), QStringLiteral("\"quantity\": 35")));
        dialog.validateNow();
        QCOMPARE(dialog.diffTable()->rowCount(), 1);
        QCOMPARE(dialog.diffTable()->item(0, 0)->text(), QStringLiteral("/data/payload/lines/0/quantity"));
        QCOMPARE(dialog.diffTable()->item(0, 1)->text(), QStringLiteral("40"));
        QCOMPARE(dialog.diffTable()->item(0, 2)->text(), QStringLiteral("35"));
        QVERIFY(dialog.dryRunButton()->isEnabled());
        QVERIFY(!dialog.sendButton()->isEnabled());
        dialog.reasonEdit()->setText(QStringLiteral("supplier short"));
        QVERIFY(dialog.sendButton()->isEnabled());
        // Dry run: the call and the body exactly, nothing sent (this service has no write path).
        QSignalSpy done(&dialog, &ResubmitDialog::actionDone);
        dialog.dryRunButton()->click();
        QVERIFY(done.wait(10000));
        auto *preview = dialog.findChild<QPlainTextEdit *>(QStringLiteral("resubmitPreview"));
        QVERIFY(preview->toPlainText().startsWith(QStringLiteral("POST erp:messages/MSG-1/resubmit")));
        QVERIFY(preview->toPlainText().contains(QStringLiteral("\"quantity\": 35")));
        QCOMPARE(m_probe->load(m_item.id).replayCount, 0);
        // The dry run is kept as a version.
        QTRY_VERIFY_WITH_TIMEOUT(
            dialog.findChild<QComboBox *>(QStringLiteral("resubmitVersions"))->count() == 2, 10000);
        saveScreenshot(&dialog, "resubmit.png");
    }

    void bulkDryRunShowsProgressAndResults()
    {
        ActionService service(m_store.get(), {QStringLiteral("ann"), Role::Buyer}, nullptr,
                              [] { return t0 + 7200000; });
        ExceptionFilter dead;
        dead.type = QStringLiteral("message_dead_lettered");
        QList<qint64> ids;
        for (const ExceptionItem &e : m_probe->all(dead))
            ids.append(e.id);
        QVERIFY(ids.size() >= 10);
        BulkJobDialog dialog(m_store.get(), &service, ids, QStringLiteral("dead-lettered messages"));
        QAbstractItemModelTester tester(dialog.results(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        dialog.rateBox()->setValue(6);
        QSignalSpy finished(&dialog, &BulkJobDialog::jobFinished);
        dialog.dryRunButton()->click();
        QTRY_VERIFY_WITH_TIMEOUT(dialog.progressBar()->value() >= 3, 20000);
        QVERIFY(dialog.cancelButton()->isEnabled());
        saveScreenshot(&dialog, "bulk-running.png");
        QVERIFY(finished.wait(30000));
        QCOMPARE(finished.first().at(0).toString(), QStringLiteral("done"));
        QCOMPARE(dialog.progressBar()->value(), int(ids.size()));
        int dry = 0, refused = 0;
        for (const BulkItem &i : dialog.results()->items()) {
            dry += i.state == u"dry_run" ? 1 : 0;
            refused += i.state == u"refused" ? 1 : 0;
        }
        QCOMPARE(dry + refused, int(ids.size()));
        QVERIFY(refused > 0);                                // the releases are a warehouse document
        QCOMPARE(m_probe->load(ids.front()).replayCount, 0); // a dry run sends nothing
        saveScreenshot(&dialog, "bulk-done.png");
    }

    void customerServiceGetsNoButtons()
    {
        ActionService service(m_store.get(), {QStringLiteral("carol"), Role::CustomerService});
        ResubmitDialog dialog(&service, m_store->path(), m_item, m_raw);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QVERIFY(!dialog.sendButton()->isVisible());
        QVERIFY(!dialog.dryRunButton()->isVisible());
        QVERIFY(dialog.editor()->isReadOnly());
    }
};

QTEST_MAIN(TestResubmitUi)
#include "tst_resubmitui.moc"
