#include "models/actions/outbox.h"
#include "models/ingest/ingestpipeline.h"
#include "models/store/store.h"
#include "models/trace/jsontreemodel.h"
#include "models/trace/searchresultmodel.h"
#include "models/trace/traceeventmodel.h"
#include "models/trace/traceissuemodel.h"
#include "testdata.h"
#include "ui/consolesettings.h"
#include "ui/firstrun/firstrunwizard.h"
#include "ui/mainwindow.h"
#include "ui/noticebanner.h"
#include "ui/payloadinspector.h"
#include "ui/searchpopup.h"
#include "ui/shortcutsheet.h"
#include "ui/theme.h"
#include "ui/timelinewidget.h"
#include "ui/traceview.h"

#include <QAction>
#include <QDockWidget>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QSettings>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QStatusBar>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QToolButton>
#include <QTreeView>
#include <QtTest>

using namespace sightline;

class TestConsole : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_path;
    std::unique_ptr<Store> m_store;

    void ingest(const QByteArray &lines)
    {
        IngestPipeline pipeline(*m_store);
        pipeline.addDocument(lines, QStringLiteral("test"));
        auto report = pipeline.finish();
        QVERIFY(report.ok());
    }

    // Drives search anywhere like a person: Ctrl+K, type, Enter; waits for the trace.
    // With waitForResults false, Enter is pressed before the results arrive: the popup opens the
    // first hit when they do.
    void searchAndOpen(MainWindow &window, const QString &text, bool waitForResults = true)
    {
        window.show();
        window.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        QTest::keyClick(&window, Qt::Key_K, Qt::ControlModifier);
        SearchPopup *popup = window.searchPopup();
        QTRY_VERIFY(popup->isVisible());
        QTRY_VERIFY(popup->lineEdit()->hasFocus());
        QSignalSpy results(popup, &SearchPopup::resultsShown);
        QTest::keyClicks(popup->lineEdit(), text);
        if (waitForResults) {
            QTRY_VERIFY(!results.isEmpty() && results.back()[0].toString() == text);
            QVERIFY(results.back()[1].toInt() > 0);
            QVERIFY(popup->model()->hitCount() > 0);
        }
        QTest::keyClick(popup->lineEdit(), Qt::Key_Return);
        QTRY_VERIFY(!popup->isVisible());
        QTRY_VERIFY(!window.traceView()->trace().isEmpty());
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QSettings::setDefaultFormat(QSettings::IniFormat);
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope,
                           m_dir.filePath(QStringLiteral("settings")));
        QCoreApplication::setOrganizationName(QStringLiteral("sightline-test"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_console"));
        m_path = m_dir.filePath(QStringLiteral("store.sqlite"));
        auto store = Store::open(m_path);
        QVERIFY(store.ok());
        m_store = std::move(store).value();
        QByteArray lines = testdata::jsonLines(testdata::salesOrder(1001, QStringLiteral("Acme Retail")));
        lines += testdata::jsonLines(testdata::salesOrder(2001, QStringLiteral("Brightline Hardware")));
        ingest(lines);
    }

    void searchOpenSelectInspect()
    {
        MainWindow window(m_path, m_store.get());
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        searchAndOpen(window, QStringLiteral("so-100"));
        TraceView *view = window.traceView();
        QCOMPARE(view->title(), QStringLiteral("Sales order SO-1001"));
        QCOMPARE(view->eventModel()->rowCount(), 4);
        // The carrier's lane holds the delivery it is expected to report.
        QCOMPARE(view->timeline()->lanes(),
                 (QStringList{QStringLiteral("erp"), QStringLiteral("wms"), QStringLiteral("carrier")}));
        QVERIFY(window.windowTitle().contains(QStringLiteral("SO-1001")));

        // Select the shipment event in the table with the keyboard: the inspector shows its JSON.
        view->eventTable()->setFocus();
        view->eventTable()->setCurrentIndex(view->eventModel()->index(0, 0));
        QTest::keyClick(view->eventTable(), Qt::Key_End, Qt::ControlModifier);
        const qint64 shipped = view->eventModel()->trace().events.back().rowId;
        QCOMPARE(view->selectedEvent(), shipped);
        PayloadInspector *inspector = view->inspector();
        QTRY_COMPARE(inspector->eventRowId(), shipped);
        QTRY_VERIFY(!inspector->payload().isEmpty());
        const QJsonObject json = QJsonDocument::fromJson(inspector->payload()).object();
        QCOMPARE(json.value(QStringLiteral("id")).toString(), QStringLiteral("SO-1001-4"));
        QCOMPARE(inspector->treeModel()->rowCount(), json.size());
        QVERIFY(inspector->treeModel()->parseError().isEmpty());
        QVERIFY(inspector->rawView()->toPlainText().contains(QStringLiteral("\"SH-1001\"")));
        const QModelIndexList found = inspector->treeModel()->find(QStringLiteral("1Z1001"));
        QCOMPARE(found.size(), 1);

        // Find inside: Ctrl+F, type, Enter selects the match in the tree.
        QTest::keyClick(&window, Qt::Key_F, Qt::ControlModifier);
        QTest::keyClicks(QApplication::focusWidget(), QStringLiteral("1Z1001"));
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Return);
        QCOMPARE(inspector->treeView()->currentIndex(), found.front());

        // Clicking a marker on the timeline selects that event in the table.
        view->selectEvent(view->eventModel()->trace().events.front().rowId);
        QCOMPARE(view->eventTable()->currentIndex().row(), 0);
    }

    void liveEventsKeepSelectionAndScroll()
    {
        MainWindow window(m_path, m_store.get());
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        searchAndOpen(window, QStringLiteral("SO-2001"), false);
        TraceView *view = window.traceView();
        const qint64 traceId = view->traceId();
        QCOMPARE(view->eventModel()->rowCount(), 4);
        const qint64 picked = view->eventModel()->trace().events[2].rowId;
        view->selectEvent(picked);
        QTRY_COMPARE(view->inspector()->eventRowId(), picked);
        QSignalSpy shown(view, &TraceView::traceShown);

        testdata::EventSpec delivered{QStringLiteral("SO-2001-5"),
                                      QStringLiteral("carrier"),
                                      QStringLiteral("shipment.delivered"),
                                      QStringLiteral("2026-11-19T10:00:00Z"),
                                      QStringLiteral("shipment"),
                                      QStringLiteral("SH-2001"),
                                      QStringLiteral("delivered"),
                                      QStringLiteral("Brightline Hardware"),
                                      {},
                                      {}};
        ingest(testdata::cloudEvent(delivered));
        QTRY_COMPARE(view->eventModel()->rowCount(), 5);
        QCOMPARE(view->traceId(), traceId);
        QCOMPARE(view->selectedEvent(), picked);       // the selection survived the reload
        QCOMPARE(view->timeline()->lanes().size(), 3); // erp, wms, carrier
        QVERIFY(!shown.isEmpty());
    }

    void aLateLinkMergesTheOpenTrace()
    {
        // SO-3001 and a shipment SH-9 start as two traces; a late event links them. Each round
        // opens one side, so that one of the two rounds has the open trace merged away.
        ingest(testdata::jsonLines(testdata::salesOrder(3001, QStringLiteral("Cobalt Home Stores"))));
        ingest(testdata::jsonLines(testdata::salesOrder(3002, QStringLiteral("Cobalt Home Stores"))));
        const QList<std::pair<QString, QString>> rounds{
            {QStringLiteral("SO-3001"), QStringLiteral("SH-3001")},
            {QStringLiteral("SH-3002"), QStringLiteral("SO-3002")}};
        int mergedAway = 0;
        for (const auto &[open, other] : rounds) {
            testdata::EventSpec loose{QStringLiteral("loose-%1").arg(other),
                                      QStringLiteral("carrier"),
                                      QStringLiteral("shipment.delivered"),
                                      QStringLiteral("2026-11-19T09:00:00Z"),
                                      QStringLiteral("shipment"),
                                      QStringLiteral("X-%1").arg(other),
                                      QStringLiteral("delivered"),
                                      QStringLiteral("Cobalt Home Stores"),
                                      {},
                                      {}};
            ingest(testdata::cloudEvent(loose));
            MainWindow window(m_path, m_store.get());
            window.show();
            searchAndOpen(window,
                          open == QStringLiteral("SO-3001") ? open : QStringLiteral("X-%1").arg(other));
            const qsizetype before = window.traceView()->trace().documents.size();
            QSignalSpy merged(window.traceView(), &TraceView::traceMerged);
            // The late link: the order's release ships the loose shipment.
            const QString release = QStringLiteral("REL-%1").arg(other.right(4));
            testdata::EventSpec link{
                QStringLiteral("link-%1").arg(other),
                QStringLiteral("wms"),
                QStringLiteral("pack.confirmed"),
                QStringLiteral("2026-11-18T12:00:00Z"),
                QStringLiteral("release"),
                release,
                QStringLiteral("packed"),
                QStringLiteral("Cobalt Home Stores"),
                QStringLiteral("[{\"kind\":\"shipment\",\"key\":\"X-%1\",\"relation\":\"ships\"}]")
                    .arg(other),
                {}};
            ingest(testdata::cloudEvent(link));
            // Whichever trace survives the merge, the console ends up showing the merged whole.
            QTRY_VERIFY(window.traceView()->trace().documents.size() > before);
            QSet<QString> keys;
            for (const TraceDocument &d : window.traceView()->trace().documents)
                keys.insert(d.ref.key);
            QVERIFY(keys.contains(QStringLiteral("X-%1").arg(other)));
            QVERIFY(keys.contains(release));
            mergedAway += static_cast<int>(merged.size());
        }
        QVERIFY(mergedAway >= 1); // one side of the link was folded into the other while open
    }

    void gapsAndConflictsAreListed()
    {
        // A conflict: the ERP still says packing an hour after the WMS shipped.
        testdata::EventSpec erpPacking{QStringLiteral("SO-1001-9"),
                                       QStringLiteral("erp"),
                                       QStringLiteral("pack.confirmed"),
                                       QStringLiteral("2026-11-18T13:59:00Z"),
                                       QStringLiteral("shipment"),
                                       QStringLiteral("SH-1001"),
                                       QStringLiteral("packing"),
                                       QStringLiteral("Acme Retail"),
                                       {},
                                       {}};
        ingest(testdata::cloudEvent(erpPacking));
        MainWindow window(m_path, m_store.get());
        window.traceView()->setNow(testdata::ms("2026-11-18T18:00:00Z"));
        window.show();
        searchAndOpen(window, QStringLiteral("1z1001"));
        TraceIssueModel *issues = window.traceView()->issueModel();
        QTRY_VERIFY(issues->rowCount() >= 2);
        QCOMPARE(issues->index(0, TraceIssueModel::SeverityColumn).data().toString(),
                 QStringLiteral("conflict"));
        QCOMPARE(issues->index(0, TraceIssueModel::WhatColumn).data().toString(),
                 QStringLiteral("wms says shipped, erp still says packing"));
        bool deliveryDue = false;
        for (int r = 0; r < issues->rowCount(); ++r)
            deliveryDue |= issues->index(r, TraceIssueModel::WhatColumn)
                               .data()
                               .toString()
                               .startsWith(QStringLiteral("shipment.delivered expected from carrier"));
        QVERIFY(deliveryDue);
        // Activating the conflict selects the event behind it.
        window.traceView()->issueTable()->setCurrentIndex(issues->index(0, 0));
        Q_EMIT window.traceView()->issueTable()->activated(issues->index(0, 0));
        QCOMPARE(window.traceView()->selectedEvent(),
                 issues->index(0, 0).data(TraceIssueModel::EventRowIdRole).toLongLong());
        QVERIFY(window.traceView()
                    ->eventModel()
                    ->index(window.traceView()->eventTable()->currentIndex().row(), 0)
                    .data(TraceEventModel::ConflictRole)
                    .toBool());
    }

    void exportsJsonCsvAndPng()
    {
        MainWindow window(m_path, m_store.get());
        window.show();
        searchAndOpen(window, QStringLiteral("SO-1001"));
        TraceView *view = window.traceView();
        const QString json = m_dir.filePath(QStringLiteral("trace.json"));
        const QString csv = m_dir.filePath(QStringLiteral("trace.csv"));
        const QString png = m_dir.filePath(QStringLiteral("timeline.png"));
        QCOMPARE(view->exportJson(json), QString());
        QCOMPARE(view->exportCsv(csv), QString());
        QCOMPARE(view->exportTimelinePng(png), QString());
        QFile jsonFile(json);
        QVERIFY(jsonFile.open(QIODevice::ReadOnly));
        const QJsonObject exported = QJsonDocument::fromJson(jsonFile.readAll()).object();
        QCOMPARE(exported.value(QStringLiteral("trace")).toInteger(), view->traceId());
        QFile csvFile(csv);
        QVERIFY(csvFile.open(QIODevice::ReadOnly));
        QCOMPARE(csvFile.readAll().count('\n'), view->eventModel()->rowCount() + 1);
        const QImage image(png);
        QVERIFY(!image.isNull());
        QVERIFY(image.width() >= 800);
        QVERIFY(!view->exportJson(m_dir.filePath(QStringLiteral("no/such/dir/x.json"))).isEmpty());
    }

    void pinsAndRecentSearchesAreRemembered()
    {
        MainWindow window(m_path, m_store.get());
        window.show();
        searchAndOpen(window, QStringLiteral("SO-2001"));
        QVERIFY(ConsoleSettings::recentSearches().contains(QStringLiteral("SO-2001")));
        const qint64 traceId = window.traceView()->traceId();
        QVERIFY(!ConsoleSettings::isPinned(traceId));
        QTest::keyClick(&window, Qt::Key_D, Qt::ControlModifier);
        QVERIFY(ConsoleSettings::isPinned(traceId));
        // An empty search offers the pinned trace first.
        window.showSearch(); // the last query, selected: one key clears it
        QTest::keyClick(window.searchPopup()->lineEdit(), Qt::Key_Backspace);
        SearchResultModel *model = window.searchPopup()->model();
        QCOMPARE(model->index(0, 0).data().toString(), QStringLiteral("Pinned traces"));
        QCOMPARE(model->index(0, 0, model->index(0, 0)).data(SearchResultModel::TraceIdRole).toLongLong(),
                 traceId);
        QTest::keyClick(window.searchPopup()->lineEdit(), Qt::Key_Escape);
        QVERIFY(!window.searchPopup()->isVisible());
        QTest::keyClick(&window, Qt::Key_D, Qt::ControlModifier);
        QVERIFY(!ConsoleSettings::isPinned(traceId));
    }

    void layoutAndThemeAreRestored()
    {
        {
            MainWindow window(m_path, m_store.get());
            window.show();
            QVERIFY(QTest::qWaitForWindowExposed(&window));
            QVERIFY(window.dock(QStringLiteral("tracesDock")));
            window.dock(QStringLiteral("auditDock"))->hide();
            window.applyTheme(QStringLiteral("dark"));
            QVERIFY(Theme::isDark());
            window.close();
        }
        QVERIFY(QSettings().contains(QStringLiteral("window/state")));
        MainWindow again(m_path, m_store.get());
        again.show();
        QVERIFY(QTest::qWaitForWindowExposed(&again));
        QVERIFY(again.dock(QStringLiteral("auditDock"))->isHidden());
        QVERIFY(!again.dock(QStringLiteral("exceptionsDock"))->isHidden());
        QCOMPARE(QSettings().value(QStringLiteral("view/theme")).toString(), QStringLiteral("dark"));
        again.applyTheme(QStringLiteral("light"));
        QVERIFY(!Theme::isDark());
    }

    void problemsShowInABannerAndHealthInTheStatusBar()
    {
        MainWindow window(m_path, m_store.get());
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        auto *banner = window.findChild<NoticeBanner *>(QStringLiteral("noticeBanner"));
        QVERIFY(banner);
        QVERIFY(!banner->isVisible());
        window.showProblem(QStringLiteral("sandbox-feed: connection refused"));
        QTRY_VERIFY(banner->isVisible());
        QCOMPARE(banner->message(), QStringLiteral("sandbox-feed: connection refused"));
        QVERIFY(!QApplication::activeModalWidget()); // never a dialog
        auto *dismiss = banner->findChild<QToolButton *>(QStringLiteral("dismissNotice"));
        QVERIFY(dismiss);
        dismiss->click();
        QTRY_VERIFY(!banner->isVisible());

        ConnectionHealth health;
        health.connection = QStringLiteral("sandbox-feed");
        health.state = ConnectionHealth::State::Connected;
        health.events = 1234;
        window.showConnectionHealth(health);
        const QList<QLabel *> labels = window.statusBar()->findChildren<QLabel *>();
        const bool shown = std::any_of(labels.cbegin(), labels.cend(), [](const QLabel *label) {
            return label->text().contains(QStringLiteral("sandbox-feed")) &&
                   label->text().contains(QLocale().toString(1234));
        });
        QVERIFY(shown);
        auto *table = window.findChild<QTableView *>(QStringLiteral("connectionsTable"));
        QVERIFY(table);
        QCOMPARE(table->model()->rowCount(), 1);
        QCOMPARE(table->model()->index(0, 0).data().toString(), QStringLiteral("sandbox-feed"));

        // The connection wizard is there on demand, not only at the first run; cancelling writes nothing.
        window.setUpConnection();
        auto *wizard = window.findChild<FirstRunWizard *>();
        QVERIFY(wizard);
        QTRY_VERIFY(wizard->isVisible());
        wizard->reject();
        QTRY_VERIFY(!window.findChild<FirstRunWizard *>());
    }

    // An action waiting for its target shows in the status bar; when that connection's health
    // turns connected, the outbox looks at once instead of after its backoff (an hour here).
    void anActionWaitingInTheOutboxGoesWhenItsConnectionIsBack()
    {
        OutboxEntry entry;
        entry.exceptionId = 999999; // no such exception: re-validated before it is sent, and cancelled
        entry.action = QStringLiteral("replay");
        entry.actor = QStringLiteral("ann");
        entry.role = QStringLiteral("buyer");
        entry.call = {999999, QStringLiteral("erp-test"),
                      "POST", QStringLiteral("messages/M-1/resubmit"),
                      "{}",   QStringLiteral("replay-test-outbox-key"),
                      0,      {},
                      {}};
        entry.createdMs = entry.updatedMs = QDateTime::currentMSecsSinceEpoch();
        entry.nextAttemptMs = entry.createdMs + 3600 * 1000;
        IngestBatch batch;
        batch.writes.push_back([entry](QSqlDatabase &db) { return outboxdb::enqueue(db, entry); });
        QVERIFY(m_store->ingestAndWait(std::move(batch)));

        MainWindow window(m_path, m_store.get());
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QLabel *label = window.outboxLabel();
        QTRY_VERIFY_WITH_TIMEOUT(label->isVisible(), 10000);
        QCOMPARE(label->text(), QStringLiteral("Outbox: 1 action waiting"));
        QTest::qWait(300);
        QVERIFY(label->isVisible()); // not due for an hour

        ConnectionHealth health;
        health.connection = QStringLiteral("erp-test");
        health.state = ConnectionHealth::State::Connected;
        window.showConnectionHealth(health);
        QTRY_VERIFY_WITH_TIMEOUT(!label->isVisible(), 10000);
        {
            QSqlDatabase db =
                QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("outbox-probe"));
            db.setDatabaseName(m_path);
            QVERIFY(db.open());
            QSqlQuery q(db);
            QVERIFY(q.exec(QStringLiteral(
                "SELECT state FROM action_outbox WHERE idempotency_key = 'replay-test-outbox-key'")));
            QVERIFY(q.next());
            QCOMPARE(q.value(0).toString(), QStringLiteral("cancelled"));
        }
        QSqlDatabase::removeDatabase(QStringLiteral("outbox-probe"));
    }

    void everyActionHasAShortcutOnTheSheet()
    {
        MainWindow window(m_path, m_store.get());
        QSet<QString> keys;
        for (QAction *a : window.shortcutActions()) {
            QVERIFY2(!a->shortcut().isEmpty(), qPrintable(a->text()));
            const QString key = a->shortcut().toString();
            QVERIFY2(!keys.contains(key), qPrintable(QStringLiteral("%1 used twice").arg(key)));
            keys.insert(key);
        }
        QVERIFY(keys.contains(QStringLiteral("Ctrl+K")));
        QVERIFY(keys.contains(QStringLiteral("F1")));
        ShortcutSheet sheet(window.shortcutActions(), &window);
        auto *table = sheet.findChild<QTableWidget *>(QStringLiteral("shortcutTable"));
        QVERIFY(table);
        QVERIFY(table->rowCount() >= static_cast<int>(window.shortcutActions().size()));
    }

    void timelineCopesWithThousandsOfEvents()
    {
        Trace big;
        big.id = 99;
        big.documents = {testdata::document(1, DocumentKind::SalesOrder, QStringLiteral("SO-BIG"))};
        const qint64 t0 = testdata::ms("2026-11-01T00:00:00Z");
        const QStringList systems{QStringLiteral("erp"), QStringLiteral("wms"), QStringLiteral("portal"),
                                  QStringLiteral("carrier"), QStringLiteral("broker")};
        for (int i = 0; i < 20000; ++i)
            big.events.append(testdata::traceEvent(i + 1, 1, systems[i % 5],
                                                   i % 7 == 0 ? QStringLiteral("message.sent") : QString(),
                                                   t0 + qint64(i) * 37000));
        TimelineWidget timeline;
        timeline.resize(1200, 320);
        timeline.show();
        timeline.setTrace(big, assessTrace(big, t0), t0);
        QCOMPARE(timeline.lanes().size(), 5);
        const double fitted = timeline.msPerPixel();
        timeline.zoomIn();
        QVERIFY(timeline.msPerPixel() < fitted);
        timeline.setSelectedEvent(15000);
        const QImage visible = timeline.grab().toImage();
        QVERIFY(!visible.isNull());
        const QImage all = timeline.renderImage();
        QVERIFY(all.width() >= 1000);
        timeline.fitToWidth();
        QCOMPARE(timeline.msPerPixel(), fitted);
    }
};

QTEST_MAIN(TestConsole)
#include "tst_console.moc"
