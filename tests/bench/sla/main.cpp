// sightline-bench-sla: with N generated events in a store, how long the SLA engine takes to
// measure everything (recompute), to re-measure one ingest batch's traces (incremental), and how
// long a 30-day dashboard refresh takes through the real query worker (p50, p95, max).
#include "models/ingest/ingestpipeline.h"
#include "models/sla/slaquery.h"
#include "models/sla/slareader.h"
#include "models/sla/slaupdater.h"
#include "models/store/store.h"
#include "tests/bench/eventgen/eventstreamgenerator.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTimer>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <vector>

using namespace sightline;
using namespace sightline::bench;

namespace {

using Clock = std::chrono::steady_clock;
constexpr qint64 kDayMs = 24LL * 3600 * 1000;

double msSince(Clock::time_point start)
{
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

int fail(const QString &message)
{
    std::fprintf(stderr, "sightline-bench-sla: %s\n", qPrintable(message));
    return 1;
}

// Writes N generated events as JSON Lines and ingests them through the real pipeline.
Status ingestGenerated(Store &store, const QString &dir, std::uint64_t events, std::uint64_t seed)
{
    const QString path = dir + QStringLiteral("/events.jsonl");
    {
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
            return Error{QStringLiteral("cannot write %1").arg(path)};
        EventStreamGenerator generator(seed);
        std::string chunk;
        for (std::uint64_t i = 0; i < events; ++i) {
            chunk += generator.next().json;
            chunk += '\n';
            if (chunk.size() > (1 << 20) || i + 1 == events) {
                file.write(chunk.data(), qint64(chunk.size()));
                chunk.clear();
            }
        }
    }
    IngestPipeline pipeline(store, IngestPipeline::Options{2000, 4});
    if (Status s = pipeline.addFile(path); !s)
        return s;
    auto report = pipeline.finish();
    if (!report)
        return Error{report.error()};
    QFile::remove(path);
    return {};
}

qint64 latestEventMs(const QString &dbPath)
{
    auto db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("bench-latest"));
    db.setDatabaseName(dbPath);
    qint64 latest = 0;
    if (db.open()) {
        QSqlQuery q(db);
        if (q.exec(QStringLiteral("SELECT MAX(occurred_ms) FROM events")) && q.next())
            latest = q.value(0).toLongLong();
    }
    db = QSqlDatabase();
    QSqlDatabase::removeDatabase(QStringLiteral("bench-latest"));
    return latest;
}

struct Figures
{
    double p50 = 0, p95 = 0, max = 0;
};

Figures figures(std::vector<double> ms)
{
    std::sort(ms.begin(), ms.end());
    const auto at = [&ms](double p) {
        const auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * double(ms.size())));
        return ms[std::min(std::max<std::size_t>(rank, 1), ms.size()) - 1];
    };
    return {at(50), at(95), ms.back()};
}

// Dashboard refreshes through SlaQuery (its own thread), timed from the call to the snapshot.
Figures timeRefreshes(const QString &dbPath, const SlaFilter &filter, const QStringList &order, int count,
                      qint64 &measured)
{
    SlaQuery query(dbPath);
    std::vector<double> ms;
    QEventLoop loop;
    Clock::time_point start;
    QObject::connect(&query, &SlaQuery::dashboardReady, &loop, [&](const SlaDashboardData &d) {
        ms.push_back(msSince(start));
        measured = 0;
        for (const SlaSummary &s : d.summaries)
            measured += s.measured;
        loop.quit();
    });
    QObject::connect(&query, &SlaQuery::queryFailed, &loop, [&](const QString &m) {
        std::fprintf(stderr, "refresh failed: %s\n", qPrintable(m));
        loop.quit();
    });
    for (int i = 0; i < count; ++i) {
        start = Clock::now();
        query.refresh(filter, order);
        loop.exec();
    }
    return ms.empty() ? Figures{} : figures(ms);
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("SLA engine and dashboard benchmark."));
    parser.addHelpOption();
    const QCommandLineOption eventsOption(QStringLiteral("events"), QStringLiteral("Events to generate."),
                                          QStringLiteral("N"), QStringLiteral("1000000"));
    const QCommandLineOption dbOption(
        QStringLiteral("db"), QStringLiteral("Use (and keep) this store; generate only if it is new."),
        QStringLiteral("PATH"));
    const QCommandLineOption refreshesOption(QStringLiteral("refreshes"),
                                             QStringLiteral("Dashboard refreshes."), QStringLiteral("N"),
                                             QStringLiteral("50"));
    parser.addOptions({eventsOption, dbOption, refreshesOption});
    parser.process(app);
    QLoggingCategory::setFilterRules(QStringLiteral("sightline.*.info=false"));

    QTemporaryDir tmp;
    const QString dbPath =
        parser.isSet(dbOption) ? parser.value(dbOption) : tmp.filePath(QStringLiteral("sla.db"));
    const bool fresh = !QFile::exists(dbPath);
    auto store = Store::open(dbPath);
    if (!store)
        return fail(store.error());
    const std::uint64_t events = parser.value(eventsOption).toULongLong();
    if (fresh) {
        std::printf("generating and ingesting %llu events...\n", static_cast<unsigned long long>(events));
        std::fflush(stdout);
        const auto start = Clock::now();
        if (Status s = ingestGenerated(*store.value(), QFileInfo(dbPath).absolutePath(), events, 1); !s)
            return fail(s.error());
        std::printf("ingest: %.1f s (not part of the figures below)\n", msSince(start) / 1000.0);
    }
    const qint64 now = latestEventMs(dbPath);
    auto reader = SlaReader::open(dbPath);
    if (!reader)
        return fail(reader.error());
    const SlaConfig config = SlaConfig::defaults();
    SlaUpdater updater(*store.value(), *reader.value(), config);

    auto start = Clock::now();
    if (Status s = updater.recomputeAll(now); !s)
        return fail(s.error());
    const double recomputeMs = msSince(start);
    auto all = reader.value()->measurements({});
    std::printf("recompute (every trace, %lld policies): %.1f s, %lld measurements\n",
                static_cast<long long>(config.policies.size()), recomputeMs / 1000.0,
                static_cast<long long>(all ? all->size() : -1));

    // Incremental: the traces of the last 2,000 events, as one committed batch would touch.
    auto maxId = reader.value()->maxEventId();
    auto traces = reader.value()->tracesWithEventsAfter(maxId.value() - 2000);
    start = Clock::now();
    if (Status s = updater.refresh(traces.value(), now); !s)
        return fail(s.error());
    std::printf("incremental (traces of the last 2,000 events: %lld): %.1f ms\n",
                static_cast<long long>(traces->size()), msSince(start));
    start = Clock::now();
    auto moved = updater.tick(now + kDayMs);
    std::printf("clock tick (+1 day, %d items changed state): %.1f ms\n", moved ? moved.value() : -1,
                msSince(start));

    QStringList order;
    for (const SlaPolicy &p : config.policies)
        order.append(p.name);
    const int refreshes = parser.value(refreshesOption).toInt();
    for (const auto &[label, partner] :
         {std::pair{"all partners", QString()}, std::pair{"one partner", QStringLiteral("Acme Retail")}}) {
        SlaFilter filter;
        filter.fromMs = now - 30 * kDayMs;
        filter.toMs = now + 1;
        filter.partner = partner;
        qint64 measured = 0;
        const Figures f = timeRefreshes(dbPath, filter, order, refreshes, measured);
        std::printf("30-day dashboard refresh, %s (%lld items in range), %d runs: p50 %.1f ms, p95 %.1f ms, "
                    "max %.1f ms\n",
                    label, static_cast<long long>(measured), refreshes, f.p50, f.p95, f.max);
    }
    return 0;
}
