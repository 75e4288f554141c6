// The exception queue with many open exceptions: how long the queue's reader takes to filter
// (SQL, as the console's loader runs it) and how long the item model and its sort proxy take to
// take a snapshot and sort it. Prints p50/p95; asserts nothing.
// Usage: sightline-bench-exceptions [COUNT]   (default 100000)

#include "models/exceptions/exceptionqueuemodel.h"
#include "models/exceptions/exceptionrepository.h"
#include "models/store/connection.h"
#include "models/store/store.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QSortFilterProxyModel>
#include <QTemporaryDir>
#include <algorithm>
#include <cstdio>

using namespace sightline;

namespace {

const char *kRules[] = {"message_failed",    "message_dead_lettered", "po_not_acknowledged", "asn_quantity",
                        "receipt_tolerance", "ack_changed",           "status_conflict",     "orphan"};
const char *kPartners[] = {"Acme Supply", "Contoso Components", "Fabrikam Industrial", "Litware Packaging",
                           "Proseware Metals"};
const char *kSystems[] = {"erp", "wms", "portal"};

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
    e.signature = e.rule + u'|' + e.partner;
    e.title = QStringLiteral("%1: PO-%2").arg(e.rule).arg(i);
    e.detail = QStringLiteral("line 1: quantity %1 acknowledged as %2").arg(i % 97).arg(i % 89);
    e.documentKind = QStringLiteral("purchase_order");
    e.documentKey = QStringLiteral("PO-%1").arg(i);
    e.traceId = i + 1;
    e.firstSeenMs = e.lastSeenMs = now - qint64(i % 5000) * 60000;
    e.updatedMs = now;
    e.status = i % 10 == 0 ? ExceptionStatus::InProgress : ExceptionStatus::New;
    return e;
}

void report(const char *what, QList<double> ms)
{
    std::sort(ms.begin(), ms.end());
    std::printf("%-52s p50 %7.1f ms   p95 %7.1f ms   (%lld runs)\n", what, ms.at(ms.size() / 2),
                ms.at(std::min<qsizetype>(ms.size() - 1, ms.size() * 95 / 100)),
                static_cast<long long>(ms.size()));
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
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

    const QString name = uniqueConnectionName(u"bench");
    QSqlDatabase db = openSqliteConnection(store.value()->path(), name, true).value();
    struct Case
    {
        const char *label;
        ExceptionFilter filter;
    };
    ExceptionFilter open;
    open.statuses = {QStringLiteral("new"), QStringLiteral("in_progress")};
    ExceptionFilter byType = open;
    byType.type = QStringLiteral("asn_quantity");
    ExceptionFilter byPartner = open;
    byPartner.partner = QStringLiteral("Litware Packaging");
    byPartner.system = QStringLiteral("portal");
    ExceptionFilter old = open;
    old.minAgeMs = 48 * 3600 * 1000LL;
    QList<ExceptionItem> all;
    for (const Case &c : {Case{"filter: all open", open}, Case{"filter: open, one type", byType},
                          Case{"filter: open, one partner and system", byPartner},
                          Case{"filter: open, older than 2 days", old}}) {
        QList<double> runs;
        qsizetype rows = 0;
        for (int i = 0; i < 20; ++i) {
            t.restart();
            auto items = exceptiondb::list(db, c.filter, now);
            runs.append(t.nsecsElapsed() / 1e6);
            rows = items->size();
            if (all.isEmpty())
                all = items.value();
        }
        std::printf("  (%lld rows) ", static_cast<long long>(rows));
        report(c.label, runs);
    }

    ExceptionQueueModel model;
    QSortFilterProxyModel proxy;
    proxy.setSourceModel(&model);
    proxy.setSortRole(ExceptionQueueModel::SortRole);
    QList<double> snapshot, sortAge, sortPartner;
    for (int i = 0; i < 10; ++i) {
        t.restart();
        model.setItems(all, now);
        snapshot.append(t.nsecsElapsed() / 1e6);
        t.restart();
        proxy.sort(ExceptionQueueModel::Age, i % 2 ? Qt::AscendingOrder : Qt::DescendingOrder);
        sortAge.append(t.nsecsElapsed() / 1e6);
        t.restart();
        proxy.sort(ExceptionQueueModel::Partner, i % 2 ? Qt::AscendingOrder : Qt::DescendingOrder);
        sortPartner.append(t.nsecsElapsed() / 1e6);
    }
    report("model: take a snapshot of all open", snapshot);
    report("proxy: sort by age", sortAge);
    report("proxy: sort by partner", sortPartner);
    db = QSqlDatabase();
    closeConnection(name);
    return 0;
}
