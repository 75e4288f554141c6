// The exception queue with many open exceptions, as the console runs it: filtering and sorting are
// questions to ExceptionQueue (SQL on its reader thread), answered into the windowed item model.
// Prints, from the request to the model holding the answer, p50/p95 per filter and per sort; the
// groups' answer; and while a QTableView scrolls the queue from top to bottom, the GUI thread's
// longest block (a 5 ms heartbeat timer's largest gap). Asserts nothing.
// Usage: sightline-bench-exceptions [COUNT]   (default 100000)

#include "models/exceptions/exceptionqueue.h"
#include "models/exceptions/exceptionqueuemodel.h"
#include "models/exceptions/exceptionrepository.h"
#include "models/store/store.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QScrollBar>
#include <QTableView>
#include <QTemporaryDir>
#include <QTimer>
#include <algorithm>
#include <cstdio>

using namespace sightline;

namespace {

const char *kRules[] = {"message_failed",    "message_dead_lettered", "po_not_acknowledged", "asn_quantity",
                        "receipt_tolerance", "ack_changed",           "status_conflict",     "orphan"};
const char *kPartners[] = {"Acme Supply", "Contoso Components", "Fabrikam Industrial", "Litware Packaging",
                           "Proseware Metals"};
const char *kSystems[] = {"erp", "wms", "portal"};
const char *kWarehouses[] = {"WH-EAST", "WH-EU", "WH-APAC"};

ExceptionItem item(int i, qint64 now)
{
    ExceptionItem e;
    e.rule = QString::fromLatin1(kRules[i % 8]);
    e.conditionKey = e.rule + QStringLiteral("|purchase_order/PO-%1").arg(i);
    e.family = i % 8 < 2 ? QStringLiteral("technical") : QStringLiteral("business");
    e.type = e.rule;
    e.severity = ExceptionSeverity(i % 4);
    e.partner = QString::fromLatin1(kPartners[i % 5]);
    e.system = QString::fromLatin1(kSystems[i % 3]);
    e.warehouse = i % 7 == 0 ? QString() : QString::fromLatin1(kWarehouses[i % 3]);
    e.signature = e.rule + u'|' + e.partner;
    e.title = QStringLiteral("%1: PO-%2").arg(e.rule).arg(i);
    e.detail = QStringLiteral("line 1: quantity %1 acknowledged as %2").arg(i % 97).arg(i % 89);
    e.documentKind = i % 2 ? QStringLiteral("purchase_order") : QStringLiteral("shipment");
    e.documentKey = QStringLiteral("PO-%1").arg(i);
    e.traceId = i + 1;
    e.firstSeenMs = e.lastSeenMs = now - qint64(i % 5000) * 60000;
    e.updatedMs = now;
    e.owner = i % 10 == 0 ? QStringLiteral("ann") : QString();
    e.status = i % 10 == 0 ? ExceptionStatus::InProgress : ExceptionStatus::New;
    return e;
}

void report(const char *what, QList<double> ms)
{
    std::sort(ms.begin(), ms.end());
    std::printf("%-46s p50 %7.1f ms   p95 %7.1f ms   max %7.1f ms  (%lld runs)\n", what, ms.at(ms.size() / 2),
                ms.at(std::min<qsizetype>(ms.size() - 1, ms.size() * 95 / 100)), ms.constLast(),
                static_cast<long long>(ms.size()));
}

// Runs the event loop until the signal arrives; the time from `ask` to then.
template<typename Signal> double timed(ExceptionQueue &queue, Signal signal, const std::function<void()> &ask)
{
    QEventLoop loop;
    QElapsedTimer t;
    const auto c = QObject::connect(&queue, signal, &loop, [&loop] { loop.quit(); });
    t.start();
    ask();
    loop.exec();
    QObject::disconnect(c);
    return t.nsecsElapsed() / 1e6;
}

ExceptionFilter openFilter()
{
    ExceptionFilter f;
    f.statuses = {QStringLiteral("new"), QStringLiteral("in_progress")};
    return f;
}

void benchFilters(ExceptionQueue &queue)
{
    struct Case
    {
        const char *label;
        ExceptionFilter filter;
    };
    QList<Case> cases;
    cases.append({"filter: all open", openFilter()});
    ExceptionFilter f = openFilter();
    f.type = QStringLiteral("asn_quantity");
    cases.append({"filter: one type", f});
    f = openFilter();
    f.severities = {QStringLiteral("high"), QStringLiteral("critical")};
    cases.append({"filter: high and critical", f});
    f = openFilter();
    f.partner = QStringLiteral("Litware Packaging");
    f.system = QStringLiteral("portal");
    cases.append({"filter: one partner and system", f});
    f = openFilter();
    f.warehouse = QStringLiteral("WH-EU");
    cases.append({"filter: one warehouse", f});
    f = openFilter();
    f.owner = QStringLiteral("ann");
    cases.append({"filter: one owner", f});
    f = openFilter();
    f.minAgeMs = 48 * 3600 * 1000LL;
    cases.append({"filter: older than 2 days", f});
    f = openFilter();
    f.documentKinds = {QStringLiteral("purchase_order")};
    cases.append({"filter: a buyer's documents", f});
    f = openFilter();
    f.signature = QStringLiteral("asn_quantity|Acme Supply");
    cases.append({"filter: one group (signature)", f});
    QList<double> every;
    for (const Case &c : std::as_const(cases)) {
        QList<double> runs;
        for (int i = 0; i < 20; ++i) {
            // Every other run asks something else first: each run is a new question.
            ExceptionFilter filter = i % 2 ? c.filter : openFilter();
            if (i % 2 == 0)
                filter.statuses = {QStringLiteral("new")};
            timed(queue, &ExceptionQueue::answered, [&] { queue.setFilter(filter); });
            runs.append(timed(queue, &ExceptionQueue::answered, [&] { queue.setFilter(c.filter); }));
        }
        std::printf("  (%6d rows) ", queue.model()->rowCount());
        report(c.label, runs);
        every += runs;
    }
    report("every filter", every);
}

void benchSorts(ExceptionQueue &queue)
{
    queue.setFilter(openFilter());
    const char *names[] = {"severity", "type",  "document", "partner",     "system",
                           "status",   "owner", "age",      "occurrences", "detail"};
    QList<double> every;
    for (int key = 0; key < ExceptionQueueModel::ColumnCount; ++key) {
        QList<double> runs;
        for (int i = 0; i < 20; ++i) {
            const ExceptionSort sort{ExceptionSortKey(key), i % 2 ? Qt::AscendingOrder : Qt::DescendingOrder};
            runs.append(timed(queue, &ExceptionQueue::answered, [&] { queue.setSort(sort); }));
            if (key == int(ExceptionSortKey::Age)) // the next run must ask something new
                timed(queue, &ExceptionQueue::answered, [&] {
                    queue.setSort({ExceptionSortKey::Type, Qt::AscendingOrder});
                });
            else
                timed(queue, &ExceptionQueue::answered, [&] { queue.setSort({}); });
        }
        const QByteArray label = "sort all open by " + QByteArray(names[key]);
        report(label.constData(), runs);
        every += runs;
    }
    report("every sort", every);
    QList<double> groups;
    for (int i = 0; i < 10; ++i)
        groups.append(timed(queue, &ExceptionQueue::groupsAnswered, [&] { queue.refresh(); }));
    report("groups by signature (all open)", groups);
}

// Scrolls from top to bottom, a screenful and more at a time, while a 5 ms heartbeat measures how
// long the GUI thread goes without running it.
void benchScrolling(ExceptionQueue &queue)
{
    timed(queue, &ExceptionQueue::answered, [&] {
        queue.setFilter(openFilter());
        queue.setSort({});
    });
    QTableView view;
    view.setModel(queue.model());
    view.resize(1400, 900);
    view.show();
    QElapsedTimer clock;
    clock.start();
    qint64 last = 0, maxGap = 0;
    QList<double> gaps;
    QTimer heartbeat;
    heartbeat.setInterval(5);
    QObject::connect(&heartbeat, &QTimer::timeout, &heartbeat, [&] {
        const qint64 nowNs = clock.nsecsElapsed();
        if (last) {
            maxGap = std::max(maxGap, nowNs - last);
            gaps.append((nowNs - last) / 1e6);
        }
        last = nowNs;
    });
    // The machine's own noise first: the same heartbeat with nothing to do for 3 s.
    {
        QEventLoop idle;
        QTimer::singleShot(3000, &idle, &QEventLoop::quit);
        heartbeat.start();
        idle.exec();
        heartbeat.stop();
        std::printf("GUI thread idle for 3 s (5 ms heartbeat): longest gap %.1f ms (the machine's noise)\n",
                    maxGap / 1e6);
        maxGap = 0;
        last = 0;
        gaps.clear();
    }
    int pagesAsked = 0;
    QObject::connect(queue.model(), &ExceptionQueueModel::pageWanted, &view, [&pagesAsked] { ++pagesAsked; });
    QEventLoop loop;
    QTimer step;
    step.setInterval(16); // a frame
    QScrollBar *bar = view.verticalScrollBar();
    int steps = 0;
    QObject::connect(&step, &QTimer::timeout, &loop, [&] {
        ++steps;
        if (bar->value() >= bar->maximum()) {
            loop.quit();
            return;
        }
        bar->setValue(bar->value() + bar->pageStep() * 8); // a fast drag: 8 screens a frame
    });
    heartbeat.start();
    step.start();
    QElapsedTimer t;
    t.start();
    loop.exec();
    const double seconds = t.elapsed() / 1000.0;
    // The last screen's rows arrive.
    QElapsedTimer settle;
    settle.start();
    while (!view.model()
                ->index(view.rowAt(view.viewport()->height() - 2), 0)
                .data(ExceptionQueueModel::LoadedRole)
                .toBool() &&
           settle.elapsed() < 5000)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
    heartbeat.stop();
    std::sort(gaps.begin(), gaps.end());
    std::printf("scroll %d rows top to bottom: %d steps in %.1f s, %d pages asked; last screen loaded after "
                "%lld ms\n",
                queue.model()->rowCount(), steps, seconds, pagesAsked,
                static_cast<long long>(settle.elapsed()));
    std::printf("GUI thread while scrolling (5 ms heartbeat): longest gap %.1f ms, p99 gap %.1f ms\n",
                maxGap / 1e6, gaps.isEmpty() ? 0.0 : gaps.at(gaps.size() * 99 / 100));
}

} // namespace

int main(int argc, char *argv[])
{
    std::setvbuf(stdout, nullptr, _IOLBF, 0); // each figure as soon as it is measured
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const int count = argc > 1 ? std::atoi(argv[1]) : 100000;
    QTemporaryDir dir;
    auto store = Store::open(dir.filePath(QStringLiteral("bench.db")));
    if (!store) {
        std::fprintf(stderr, "%s\n", qPrintable(store.error()));
        return 1;
    }
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QElapsedTimer t;
    t.start();
    IngestBatch batch;
    batch.writes.push_back([count, now](QSqlDatabase &db) -> Status {
        for (int i = 0; i < count; ++i) {
            if (auto id = exceptiondb::insert(db, item(i, now)); !id)
                return Error{id.error()};
        }
        return {};
    });
    if (auto r = store.value()->ingestAndWait(std::move(batch)); !r) {
        std::fprintf(stderr, "%s\n", qPrintable(r.error()));
        return 1;
    }
    std::printf("%d open exceptions written in %.1f s\n", count, t.elapsed() / 1000.0);
    {
        // As the console's queue does at start: the store's statistics refreshed through the writer.
        IngestBatch analyze;
        analyze.writes.push_back(exceptionqueue::analyzeWrite());
        if (auto r = store.value()->ingestAndWait(std::move(analyze)); !r) {
            std::fprintf(stderr, "%s\n", qPrintable(r.error()));
            return 1;
        }
        ExceptionQueue queue(store.value()->path(), nullptr);
        benchFilters(queue);
        benchSorts(queue);
        benchScrolling(queue);
    }
    return 0;
}
