// The SLA dashboards on the offscreen platform over a real store and engine: models checked by
// QAbstractItemModelTester, charts filled, a bar click lists the documents behind it and opening
// one asks for its trace, PNG/CSV/PDF exports written.
#include "models/sla/slaengine.h"
#include "models/sla/slamodels.h"
#include "models/store/store.h"
#include "slatestsupport.h"
#include "ui/sla/sladashboard.h"

#include <QAbstractItemModelTester>
#include <QBarCategoryAxis>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QHorizontalStackedBarSeries>
#include <QImage>
#include <QLineSeries>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace sightline;
using namespace sightline::test;

namespace {

const qint64 kNow = utc(2026, 2, 10, 12);

DocumentRef po(const QString &key)
{
    return {DocumentKind::PurchaseOrder, key};
}

// Three suppliers; Contoso acknowledges late, Fabrikam on time, Northwind has POs waiting.
QList<CanonicalEvent> events()
{
    QList<CanonicalEvent> out;
    int n = 0;
    const auto add = [&](const QString &supplier, const QString &warehouse, qint64 sent,
                         std::optional<qint64> ackAfter) {
        const QString key = QStringLiteral("PO-%1").arg(++n);
        out.append(slaEvent(key + QStringLiteral("-s"), QStringLiteral("po.sent"),
                            DocumentKind::PurchaseOrder, key, sent, std::nullopt, supplier, warehouse));
        if (ackAfter)
            out.append(slaEvent(key + QStringLiteral("-a"), QStringLiteral("po.acknowledged"),
                                DocumentKind::PoAcknowledgment, QStringLiteral("ACK-%1").arg(n),
                                sent + *ackAfter, po(key), supplier, warehouse));
    };
    for (int day = 1; day <= 5; ++day) {
        const qint64 sent = kNow - day * 24 * kHourMs - 3 * kHourMs;
        add(QStringLiteral("Contoso Supply"), QStringLiteral("WH-EAST"), sent, 30 * kHourMs);
        add(QStringLiteral("Fabrikam Parts"), QStringLiteral("WH-EU"), sent, 4 * kHourMs);
        add(QStringLiteral("Fabrikam Parts"), QStringLiteral("WH-EU"), sent + kHourMs, 6 * kHourMs);
    }
    add(QStringLiteral("Northwind Metals"), QStringLiteral("WH-EAST"), kNow - 21 * kHourMs,
        std::nullopt); // at risk
    add(QStringLiteral("Northwind Metals"), QStringLiteral("WH-EAST"), kNow - 23 * kHourMs,
        std::nullopt); // at risk
    add(QStringLiteral("Northwind Metals"), QStringLiteral("WH-APAC"), kNow - 2 * kHourMs,
        std::nullopt); // open
    return out;
}

} // namespace

class TestSlaDashboard : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<Store> m_store;

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true); // no user's sla-policies.json
        auto store = Store::open(m_dir.filePath(QStringLiteral("store.db")));
        QVERIFY(store);
        m_store = std::move(store.value());
        IngestBatch batch;
        batch.events = events();
        QVERIFY(m_store->ingestAndWait(std::move(batch)));
    }

    void cleanupTestCase() { m_store.reset(); }

    void itemModelsAreSound()
    {
        SlaItemModel items;
        QAbstractItemModelTester t1(&items, QAbstractItemModelTester::FailureReportingMode::QtTest);
        SlaItem a;
        a.measurement.policy = QStringLiteral("PO acknowledgment");
        a.measurement.dueMs = kNow + kHourMs;
        a.documentKey = QStringLiteral("PO-1");
        items.setItems({a, a}, kNow);
        QCOMPARE(items.rowCount(), 2);
        QCOMPARE(items.data(items.index(0, SlaItemModel::TimeLeft)).toString(), QStringLiteral("1 h 0 min"));
        items.setItems({}, kNow);
        SlaSummaryModel summaries;
        QAbstractItemModelTester t2(&summaries, QAbstractItemModelTester::FailureReportingMode::QtTest);
        SlaSummary s;
        s.policy = QStringLiteral("X");
        s.met = 3;
        s.breached = 1;
        summaries.setSummaries({s});
        QCOMPARE(summaries.data(summaries.index(0, SlaSummaryModel::OnTime)).toString(),
                 QStringLiteral("75.0%"));
        SupplierScoreModel scores;
        QAbstractItemModelTester t3(&scores, QAbstractItemModelTester::FailureReportingMode::QtTest);
        scores.setScores({SupplierScore{QStringLiteral("Contoso"), 2, kHourMs, 50, 0, -1, 0, -1}});
        QCOMPARE(scores.rowCount(), 1);
        QCOMPARE(modelToCsv(scores).count("\r\n"), 2);
    }

    void dashboardShowsDrillsDownAndExports()
    {
        SlaDashboard dash(m_store->path(), m_store.get());
        QAbstractItemModelTester t1(dash.summaryModel(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester t2(dash.atRiskModel(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester t3(dash.itemsModel(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester t4(dash.supplierModel(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
        dash.setClock([] { return kNow; });
        dash.resize(1400, 700);
        dash.show();
        dash.start();
        const auto ackMeasured = [&dash] {
            for (const SlaSummary &s : dash.data().summaries) {
                if (s.policy == QLatin1String("PO acknowledgment"))
                    return s.measured;
            }
            return qint64(0);
        };
        QTRY_COMPARE(ackMeasured(), 18);
        // Engine updates refresh the dashboard until the clock's states are in.
        QTRY_COMPARE(dash.atRiskModel()->rowCount(), 2);
        QCOMPARE(dash.atRiskModel()->items()[0].measurement.dueMs.value(),
                 kNow + kHourMs); // least time left first
        QCOMPARE(dash.supplierModel()->rowCount(), 3);
        const SlaSummary ack = dash.data().summaries.first();
        QCOMPARE(ack.met, 10);
        QCOMPARE(ack.breached, 5);
        QCOMPARE(ack.open, 1);

        QChart *onTime = dash.chartView(QStringLiteral("ontime"))->chart();
        QVERIFY(!onTime->series().isEmpty());
        QVERIFY(qobject_cast<QLineSeries *>(onTime->series().first())->count() >= 5);

        // Click Contoso's breached bar: its five late POs, then open one's trace.
        QChart *partners = dash.chartView(QStringLiteral("partners"))->chart();
        auto *bars = qobject_cast<QHorizontalStackedBarSeries *>(partners->series().value(0));
        auto *axis = qobject_cast<QBarCategoryAxis *>(partners->axes(Qt::Vertical).value(0));
        QVERIFY(bars && axis);
        const int contoso = static_cast<int>(axis->categories().indexOf(QStringLiteral("Contoso Supply")));
        QVERIFY(contoso >= 0);
        QSignalSpy itemsShown(&dash, &SlaDashboard::itemsShown);
        Q_EMIT bars->clicked(contoso, bars->barSets().first());
        QTRY_COMPARE(itemsShown.size(), 1);
        QCOMPARE(dash.tabs()->currentIndex(), 2);
        QCOMPARE(dash.itemsModel()->rowCount(), 5);
        for (const SlaItem &i : dash.itemsModel()->items()) {
            QCOMPARE(i.measurement.partner, QStringLiteral("Contoso Supply"));
            QCOMPARE(i.measurement.state, SlaState::Breached);
        }
        QSignalSpy traceRequested(&dash, &SlaDashboard::traceRequested);
        dash.openItem(dash.itemsModel()->index(0, 0));
        QCOMPARE(traceRequested.size(), 1);
        QCOMPARE(traceRequested.first().first().toLongLong(),
                 dash.itemsModel()->items()[0].measurement.traceId);

        // Exports.
        const QString png = m_dir.filePath(QStringLiteral("ontime.png"));
        QVERIFY(dash.exportChartPng(QStringLiteral("ontime"), png));
        QVERIFY(!QImage(png).isNull());
        const QString csv = m_dir.filePath(QStringLiteral("partners.csv"));
        QVERIFY(dash.exportChartCsv(QStringLiteral("partners"), csv));
        QFile f(csv);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray text = f.readAll();
        QVERIFY(text.startsWith("partner,breached,at_risk,measured\r\n"));
        QVERIFY(text.contains("Contoso Supply,5,0,")); // measured counts every policy
        const QString pdf = m_dir.filePath(QStringLiteral("report.pdf"));
        QSignalSpy written(&dash, &SlaDashboard::reportWritten);
        dash.writeReport(pdf);
        QTRY_COMPARE(written.size(), 1);
        QVERIFY(written.first().at(1).toBool());
        QFile report(pdf);
        QVERIFY(report.open(QIODevice::ReadOnly));
        QVERIFY(report.read(5) == "%PDF-");
        QVERIFY(report.size() > 10'000);
    }
};

QTEST_MAIN(TestSlaDashboard)
#include "tst_sladashboard.moc"
