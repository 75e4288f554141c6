// The exception queue answered in SQL, over a real store: every filter and sort against the same
// rows filtered and sorted in memory, pages and positions, groups with counts, the sort indexes
// the planner picks, and the windowed item model under QAbstractItemModelTester fed by
// ExceptionQueue's reader thread (placeholders, pages on demand, stale answers dropped).

#include "models/exceptions/exceptionqueue.h"
#include "models/exceptions/exceptionqueueloader.h"
#include "models/exceptions/exceptionqueuemodel.h"
#include "models/exceptions/exceptionrepository.h"
#include "models/exceptions/savedviews.h"
#include "models/store/connection.h"
#include "models/store/store.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <algorithm>

using namespace sightline;

namespace {

constexpr int kRows = 1234;
const qint64 kNow = 1'790'000'000'000;

ExceptionItem item(int i)
{
    static const char *rules[] = {"asn_quantity", "message_failed", "po_not_acknowledged", "orphan"};
    static const char *partners[] = {"Acme Supply", "Contoso", "Fabrikam"};
    ExceptionItem e;
    e.rule = QString::fromLatin1(rules[i % 4]);
    e.type = e.rule;
    e.conditionKey = e.rule + QStringLiteral("|doc-%1").arg(i);
    e.family = i % 4 == 1 ? QStringLiteral("technical") : QStringLiteral("business");
    e.severity = ExceptionSeverity((i * 7) % 4);
    e.partner = i % 5 == 0 ? QString() : QString::fromLatin1(partners[i % 3]); // some without a partner
    e.system = i % 2 ? QStringLiteral("erp") : QStringLiteral("wms");
    e.warehouse = i % 3 ? QStringLiteral("WH-EAST") : QStringLiteral("WH-EU");
    e.signature = e.rule + u'|' + e.partner;
    e.title = QStringLiteral("%1 on doc-%2").arg(e.rule).arg(i);
    e.detail = QStringLiteral("detail %1").arg(i % 17);
    e.documentKind = i % 2 ? QStringLiteral("purchase_order") : QStringLiteral("shipment");
    e.documentKey = QStringLiteral("DOC-%1").arg(i % 300, 4, 10, QLatin1Char('0'));
    e.firstSeenMs = e.lastSeenMs = kNow - qint64(i % 97) * 3600 * 1000;
    e.updatedMs = kNow;
    e.occurrences = 1 + i % 6;
    e.owner = i % 4 == 0 ? QStringLiteral("ann") : QString();
    e.status = ExceptionStatus(i % 9 == 0 ? 2 : i % 4 == 0 ? 1 : 0);
    return e;
}

// The filter, applied in memory as the SQL must.
bool matches(const ExceptionItem &e, const ExceptionFilter &f, qint64 now)
{
    auto in = [](const QStringList &list, const QString &v) {
        return list.isEmpty() || list.contains(v);
    };
    auto eq = [](const QString &want, const QString &v) {
        return want.isEmpty() || want == v;
    };
    return in(f.statuses, exceptionStatusName(e.status)) &&
           in(f.severities, exceptionSeverityName(e.severity)) &&
           (f.type.isEmpty() || f.type == e.rule || f.type == e.type) && eq(f.system, e.system) &&
           eq(f.partner, e.partner) && eq(f.warehouse, e.warehouse) && eq(f.owner, e.owner) &&
           eq(f.signature, e.signature) && in(f.documentKinds, e.documentKind) &&
           (f.minAgeMs <= 0 || e.firstSeenMs <= now - f.minAgeMs);
}

// The sort key as a comparable value; NULL (an empty text) sorts first.
QVariant key(const ExceptionItem &e, ExceptionSortKey k)
{
    switch (k) {
    case ExceptionSortKey::Severity:
        return int(e.severity);
    case ExceptionSortKey::Type:
        return e.type;
    case ExceptionSortKey::Document:
        return e.documentKey;
    case ExceptionSortKey::Partner:
        return e.partner;
    case ExceptionSortKey::System:
        return e.system;
    case ExceptionSortKey::Status:
        return int(e.status);
    case ExceptionSortKey::Owner:
        return e.owner;
    case ExceptionSortKey::Age:
        return -e.firstSeenMs;
    case ExceptionSortKey::Occurrences:
        return e.occurrences;
    case ExceptionSortKey::Detail:
        return e.detail;
    }
    return {};
}

QList<qint64> expectedIds(const QList<ExceptionItem> &all, const ExceptionQuery &q, qint64 now)
{
    QList<ExceptionItem> rows;
    for (const ExceptionItem &e : all) {
        if (matches(e, q.filter, now))
            rows.append(e);
    }
    const bool asc = q.sort.order == Qt::AscendingOrder;
    // Ties are broken by id, in the column's direction (age ascending is first_seen descending).
    const bool idAsc = q.sort.key == ExceptionSortKey::Age ? !asc : asc;
    std::sort(rows.begin(), rows.end(), [&](const ExceptionItem &a, const ExceptionItem &b) {
        const QVariant ka = key(a, q.sort.key), kb = key(b, q.sort.key);
        const auto c = QVariant::compare(ka, kb);
        if (c != QPartialOrdering::Equivalent)
            return asc ? c == QPartialOrdering::Less : c == QPartialOrdering::Greater;
        return idAsc ? a.id < b.id : a.id > b.id;
    });
    QList<qint64> ids;
    for (const ExceptionItem &e : rows)
        ids.append(e.id);
    return ids;
}

} // namespace

class TestExceptionQueue : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<Store> m_store;
    QList<ExceptionItem> m_items; // with their ids
    QString m_connection;

    QSqlDatabase db() { return QSqlDatabase::database(m_connection); }

    QList<qint64> idsOf(const ExceptionQuery &q)
    {
        QSqlDatabase d = db();
        QList<qint64> ids;
        for (int offset = 0;; offset += 100) {
            auto rows = exceptionqueue::page(d, q, offset, 100, kNow);
            if (!rows || rows->isEmpty())
                break;
            for (const ExceptionItem &e : rows.value())
                ids.append(e.id);
        }
        return ids;
    }

private Q_SLOTS:
    void initTestCase()
    {
        auto store = Store::open(m_dir.filePath(QStringLiteral("queue.db")));
        QVERIFY2(store, qPrintable(store ? QString() : store.error()));
        m_store = std::move(store.value());
        for (int i = 0; i < kRows; ++i)
            m_items.append(item(i));
        IngestBatch batch;
        batch.writes.push_back([this](QSqlDatabase &d) -> Status {
            for (ExceptionItem &e : m_items) {
                auto id = exceptiondb::insert(d, e);
                if (!id)
                    return Error{id.error()};
                e.id = id.value();
            }
            return {};
        });
        batch.writes.push_back(exceptionqueue::analyzeWrite());
        auto done = m_store->ingestAndWait(std::move(batch));
        QVERIFY2(done, qPrintable(done ? QString() : done.error()));
        m_connection = uniqueConnectionName(u"test");
        QVERIFY(openReadConnection(m_store->path(), m_connection));
    }

    void cleanupTestCase()
    {
        closeConnection(m_connection);
        m_store.reset();
    }

    void filtersAndSortsMatchTheRowsInMemory_data()
    {
        QTest::addColumn<ExceptionFilter>("filter");
        ExceptionFilter open;
        open.statuses = {QStringLiteral("new"), QStringLiteral("in_progress")};
        QTest::newRow("everything") << ExceptionFilter{};
        QTest::newRow("open") << open;
        ExceptionFilter f = open;
        f.type = QStringLiteral("asn_quantity");
        QTest::newRow("type") << f;
        f = open;
        f.severities = {QStringLiteral("high"), QStringLiteral("critical")};
        QTest::newRow("severity") << f;
        f = open;
        f.system = QStringLiteral("erp");
        f.partner = QStringLiteral("Contoso");
        QTest::newRow("system and partner") << f;
        f = ExceptionFilter{};
        f.warehouse = QStringLiteral("WH-EU");
        f.owner = QStringLiteral("ann");
        QTest::newRow("warehouse and owner") << f;
        f = open;
        f.minAgeMs = 48 * 3600 * 1000LL;
        QTest::newRow("older than 2 days") << f;
        f = open;
        f.documentKinds = {QStringLiteral("purchase_order")};
        f.signature = QStringLiteral("message_failed|Fabrikam");
        QTest::newRow("scope and group") << f;
        f = ExceptionFilter{};
        f.statuses = {QStringLiteral("resolved")};
        QTest::newRow("resolved") << f;
    }

    void filtersAndSortsMatchTheRowsInMemory()
    {
        QFETCH(ExceptionFilter, filter);
        QSqlDatabase d = db();
        const qsizetype expectedCount =
            std::count_if(m_items.cbegin(), m_items.cend(),
                          [&](const ExceptionItem &e) { return matches(e, filter, kNow); });
        QVERIFY(expectedCount > 0);
        QCOMPARE(exceptionqueue::count(d, filter, kNow).value(), int(expectedCount));
        for (int k = 0; k < ExceptionQueueModel::ColumnCount; ++k) {
            for (Qt::SortOrder order : {Qt::AscendingOrder, Qt::DescendingOrder}) {
                const ExceptionQuery q{filter, {ExceptionSortKey(k), order}};
                const QList<qint64> expected = expectedIds(m_items, q, kNow);
                QCOMPARE(idsOf(q), expected);
                // Positions: where the middle and the last rows are.
                for (qsizetype row : {qsizetype(0), expected.size() / 2, expected.size() - 1}) {
                    auto at = exceptionqueue::positionOf(d, q, expected.at(row), kNow);
                    QVERIFY2(at, qPrintable(at ? QString() : at.error()));
                    QCOMPARE(at.value(), int(row));
                }
            }
        }
    }

    void anExceptionOutsideTheQueryHasNoPosition()
    {
        QSqlDatabase d = db();
        ExceptionFilter f;
        f.system = QStringLiteral("erp");
        const qint64 wmsId = m_items.at(0).id; // item 0 is on the WMS
        QCOMPARE(exceptionqueue::positionOf(d, {f, {}}, wmsId, kNow).value(), -1);
    }

    void groupsCountEachSignature()
    {
        QSqlDatabase d = db();
        ExceptionFilter open;
        open.statuses = {QStringLiteral("new"), QStringLiteral("in_progress")};
        open.signature = QStringLiteral("ignored|for groups");
        auto groups = exceptionqueue::groups(d, open, kNow);
        QVERIFY(groups);
        QHash<QString, int> expected;
        open.signature.clear();
        for (const ExceptionItem &e : std::as_const(m_items)) {
            if (matches(e, open, kNow))
                ++expected[e.signature];
        }
        QCOMPARE(groups->size(), expected.size());
        int previous = INT_MAX;
        for (const ExceptionGroup &g : groups.value()) {
            QCOMPARE(g.count, expected.value(g.signature));
            QVERIFY(g.count <= previous); // largest first
            previous = g.count;
        }
    }

    // The queue's pages come from the sort indexes, not from sorting every row (SQLite's plan).
    void pagesAreReadFromTheSortIndexes()
    {
        QSqlDatabase d = db();
        ExceptionFilter open;
        open.statuses = {QStringLiteral("new"), QStringLiteral("in_progress")};
        ExceptionFilter buyer = open; // a role's documents
        buyer.documentKinds = defaultDocumentKinds(Role::Buyer);
        for (ExceptionSortKey k :
             {ExceptionSortKey::Age, ExceptionSortKey::Severity, ExceptionSortKey::Partner,
              ExceptionSortKey::Status, ExceptionSortKey::Owner}) {
            for (Qt::SortOrder order : {Qt::AscendingOrder, Qt::DescendingOrder}) {
                const exceptionqueue::Where w =
                    exceptionqueue::where(order == Qt::AscendingOrder ? open : buyer, kNow);
                QSqlQuery q(d);
                q.prepare(QStringLiteral(
                              "EXPLAIN QUERY PLAN SELECT id FROM exceptions WHERE %1 ORDER BY %2 LIMIT 100")
                              .arg(w.sql, exceptionqueue::orderBy({k, order})));
                for (const QVariant &v : w.binds)
                    q.addBindValue(v);
                QVERIFY(q.exec());
                QString plan;
                while (q.next())
                    plan += q.value(3).toString() + u'\n';
                QVERIFY2(plan.contains(QStringLiteral("exceptions_sort_")), qPrintable(plan));
                QVERIFY2(!plan.contains(QStringLiteral("TEMP B-TREE")), qPrintable(plan));
            }
        }
    }

    // Counts (badges, the queue's total) and groups read the covering filter index, not the rows.
    void countsAndGroupsReadTheFilterIndex()
    {
        QSqlDatabase d = db();
        ExceptionFilter f;
        f.statuses = {QStringLiteral("new"), QStringLiteral("in_progress")};
        f.severities = {QStringLiteral("high"), QStringLiteral("critical")};
        f.documentKinds = {QStringLiteral("purchase_order")};
        const exceptionqueue::Where w = exceptionqueue::where(f, kNow);
        QSqlQuery q(d);
        q.prepare(QStringLiteral("EXPLAIN QUERY PLAN SELECT COUNT(*) FROM exceptions WHERE ") + w.sql);
        for (const QVariant &v : w.binds)
            q.addBindValue(v);
        QVERIFY(q.exec());
        QString plan;
        while (q.next())
            plan += q.value(3).toString() + u'\n';
        QVERIFY2(plan.contains(QStringLiteral("COVERING INDEX exceptions_filter")), qPrintable(plan));
    }

    // A filter on severity without documents seeks the severity twin of the filter index (schema
    // 14) instead of walking every open item of the document-first one.
    void aSeverityFilterSeeksTheSeverityIndex()
    {
        QSqlDatabase d = db();
        ExceptionFilter f;
        f.statuses = {QStringLiteral("new"), QStringLiteral("in_progress")};
        f.severities = {QStringLiteral("high"), QStringLiteral("critical")};
        const exceptionqueue::Where w = exceptionqueue::where(f, kNow);
        QSqlQuery q(d);
        q.prepare(QStringLiteral("EXPLAIN QUERY PLAN SELECT COUNT(*) FROM exceptions WHERE ") + w.sql);
        for (const QVariant &v : w.binds)
            q.addBindValue(v);
        QVERIFY(q.exec());
        QString plan;
        while (q.next())
            plan += q.value(3).toString() + u'\n';
        QVERIFY2(plan.contains(
                     QStringLiteral("COVERING INDEX exceptions_filter_severity (status=? AND severity=?)")),
                 qPrintable(plan));
    }

    void theModelHoldsAWindowAndAsksForPages()
    {
        ExceptionQueue queue(m_store->path(), nullptr);
        ExceptionQueueModel *model = queue.model();
        QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy answered(&queue, &ExceptionQueue::answered);
        ExceptionFilter all;
        queue.setFilter(all);
        QVERIFY(answered.wait(10000));
        QCOMPARE(model->rowCount(), kRows);
        const QList<qint64> expected = expectedIds(m_items, queue.query(), kNow);
        // The first page came with the answer; a row far down is a placeholder until its page comes.
        QCOMPARE(model->index(0, 0).data(ExceptionQueueModel::IdRole).toLongLong(), expected.at(0));
        const int far = kRows - 3;
        QSignalSpy wanted(model, &ExceptionQueueModel::pageWanted);
        QCOMPARE(model->index(far, 0).data(ExceptionQueueModel::LoadedRole).toBool(), false);
        QCOMPARE(model->index(far, ExceptionQueueModel::Type).data().toString(), QStringLiteral("Loading…"));
        QVERIFY(model->item(far) == nullptr);
        QCOMPARE(wanted.size(), 1); // asked once, however often the view looks
        model->index(far, 1).data();
        QCOMPARE(wanted.size(), 1);
        QTRY_VERIFY(model->index(far, 0).data(ExceptionQueueModel::LoadedRole).toBool());
        QCOMPARE(model->index(far, 0).data(ExceptionQueueModel::IdRole).toLongLong(), expected.at(far));
        QCOMPARE(model->rowOf(expected.at(far)), far);

        // Sorting asks the queue again: a header click on Partner, descending.
        QSignalSpy sorted(&queue, &ExceptionQueue::answered);
        model->sort(ExceptionQueueModel::Partner, Qt::DescendingOrder);
        QVERIFY(sorted.wait(10000));
        const QList<qint64> byPartner = expectedIds(m_items, queue.query(), kNow);
        QCOMPARE(queue.query().sort, (ExceptionSort{ExceptionSortKey::Partner, Qt::DescendingOrder}));
        QCOMPARE(model->index(0, 0).data(ExceptionQueueModel::IdRole).toLongLong(), byPartner.at(0));

        // Locating a row that is not loaded yet: its position from SQL, then its page.
        QSignalSpy located(&queue, &ExceptionQueue::located);
        queue.locate(byPartner.at(700));
        QVERIFY(located.wait(10000));
        QCOMPARE(located.constLast().at(1).toInt(), 700);
        QTRY_COMPARE(model->rowOf(byPartner.at(700)), 700);
    }

    void aStaleAnswerIsDropped()
    {
        ExceptionQueue queue(m_store->path(), nullptr);
        QAbstractItemModelTester tester(queue.model(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy answered(&queue, &ExceptionQueue::answered);
        ExceptionFilter erp;
        erp.system = QStringLiteral("erp");
        ExceptionFilter eu;
        eu.warehouse = QStringLiteral("WH-EU");
        queue.setFilter(erp);
        queue.setFilter(eu); // asked before the first answer arrives: only this one is shown
        QVERIFY(answered.wait(10000));
        QTest::qWait(200); // the first answer, had it not been dropped, would have come by now
        QCOMPARE(answered.size(), 1);
        const auto expected = std::count_if(m_items.cbegin(), m_items.cend(),
                                            [](const ExceptionItem &e) { return e.warehouse == u"WH-EU"; });
        QCOMPARE(queue.model()->rowCount(), int(expected));
    }

    void aRefreshKeepsThePagesInView()
    {
        ExceptionQueue queue(m_store->path(), nullptr);
        ExceptionQueueModel *model = queue.model();
        QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy answered(&queue, &ExceptionQueue::answered);
        queue.setFilter({});
        QVERIFY(answered.wait(10000));
        model->index(1000, 0).data();
        QTRY_VERIFY(model->index(1000, 0).data(ExceptionQueueModel::LoadedRole).toBool());
        queue.refresh();
        QVERIFY(answered.wait(10000));
        // Loaded with the new answer itself: no placeholder in between.
        QVERIFY(model->index(1000, 0).data(ExceptionQueueModel::LoadedRole).toBool());
        QVERIFY(model->index(0, 0).data(ExceptionQueueModel::LoadedRole).toBool());
    }

    void countsForSavedViews()
    {
        ExceptionQueue queue(m_store->path(), nullptr);
        QSignalSpy counts(&queue, &ExceptionQueue::countsLoaded);
        ExceptionFilter a;
        a.system = QStringLiteral("erp");
        ExceptionFilter b;
        b.documentKinds = {QStringLiteral("shipment")};
        b.statuses = {QStringLiteral("resolved")};
        const quint64 job = queue.countEach({a, b});
        QVERIFY(counts.wait(10000));
        QCOMPARE(counts.constFirst().at(0).toULongLong(), job);
        const auto n = [this](const ExceptionFilter &f) {
            return int(std::count_if(m_items.cbegin(), m_items.cend(),
                                     [&](const ExceptionItem &e) { return matches(e, f, kNow); }));
        };
        QCOMPARE(counts.constFirst().at(1).value<QList<int>>(), (QList<int>{n(a), n(b)}));
    }

    void savedViewsKeepNameFiltersSortAndGrouping()
    {
        SavedView v;
        v.name = QStringLiteral("Acme, oldest first");
        v.filter.statuses = {QStringLiteral("new")};
        v.filter.severities = {QStringLiteral("high"), QStringLiteral("critical")};
        v.filter.partner = QStringLiteral("Acme Supply");
        v.filter.owner = QString::fromUtf16(kOwnerMe);
        v.filter.documentKinds = {QStringLiteral("purchase_order")};
        v.filter.minAgeMs = 4 * 3600 * 1000LL;
        v.filter.signature = QStringLiteral("asn_quantity|Acme Supply");
        v.sort = {ExceptionSortKey::Partner, Qt::AscendingOrder};
        v.grouped = false;
        const QString path = m_dir.filePath(QStringLiteral("config/saved-views.json"));
        QVERIFY(savedviews::save(path, {v, savedviews::defaultsFor(Role::Buyer).constFirst()}));
        auto back = savedviews::load(path, Role::CustomerService); // the file wins over the role
        QVERIFY(back);
        QCOMPARE(back->size(), 2);
        QCOMPARE(back->constFirst(), v);
        QCOMPARE(back->constFirst().resolvedFor(QStringLiteral("ann")).owner, QStringLiteral("ann"));
        QVERIFY(!savedviews::fromJson("{\"views\": [{\"filter\": {}}]}")); // a view needs a name
        QVERIFY(!savedviews::load(m_dir.filePath(QStringLiteral("nothing.json")), Role::Buyer)->isEmpty());
    }

    void eachRoleHasItsDefaultViews()
    {
        const SavedView buyer = savedviews::defaultsFor(Role::Buyer).constFirst();
        QCOMPARE(buyer.filter.documentKinds, defaultDocumentKinds(Role::Buyer));
        QVERIFY(buyer.filter.documentKinds.contains(QStringLiteral("purchase_order")));
        const SavedView supervisor = savedviews::defaultsFor(Role::WarehouseSupervisor).constFirst();
        QCOMPARE(supervisor.filter.documentKinds, defaultDocumentKinds(Role::WarehouseSupervisor));
        QVERIFY(supervisor.filter.documentKinds.contains(QStringLiteral("shipment")));
        QVERIFY(savedviews::defaultsFor(Role::CustomerService).constFirst().filter.documentKinds.isEmpty());
        // A buyer's default view counts purchasing exceptions only.
        QSqlDatabase d = db();
        const auto expected = std::count_if(m_items.cbegin(), m_items.cend(), [&](const ExceptionItem &e) {
            return matches(e, buyer.filter, kNow);
        });
        QCOMPARE(exceptionqueue::count(d, buyer.filter, kNow).value(), int(expected));
    }

    void savedViewModelShowsBadges()
    {
        SavedViewModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setViews(savedviews::defaultsFor(Role::Buyer));
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.index(0).data(SavedViewModel::CountRole).toInt(), -1);
        QCOMPARE(model.index(0).data().toString(), QStringLiteral("Purchasing"));
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.setCounts({1204, 3, 2000});
        QCOMPARE(changed.size(), 1);
        QCOMPARE(model.index(0).data(SavedViewModel::CountRole).toInt(), 1204);
        QVERIFY(model.index(0).data().toString().startsWith(QStringLiteral("Purchasing  (")));
        model.setCounts({1204, 3, 2000}); // no change, no signal
        QCOMPARE(changed.size(), 1);
        model.setViews({});
        QCOMPARE(model.rowCount(), 0);
    }
};

QTEST_MAIN(TestExceptionQueue)
#include "tst_exceptionqueue.moc"
