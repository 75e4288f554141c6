// sightline-bench-sync: how fast the connectors fill a store from the sandbox over real HTTP and
// WebSocket on 127.0.0.1 (the sandbox in this process, serving as fast as it can), next to the
// store's own rate for the same events without a network.
#include "connectors/feed/feedconnector.h"
#include "connectors/profile/sandboxprofiles.h"
#include "connectors/sandbox/sandboxserver.h"
#include "connectors/sync/syncservice.h"
#include "models/ingest/cloudevents.h"
#include "models/store/store.h"
#include "models/store/storereader.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QLoggingCategory>
#include <QTimer>
#include <cstdio>
#include <ctime>

using namespace sightline;

namespace {

struct Figures
{
    qint64 items = 0;
    double seconds = 0;
    double cpu = 0;
    double rate() const { return seconds > 0 ? double(items) / seconds : 0; }
};

double cpuSeconds()
{
    return double(std::clock()) / CLOCKS_PER_SEC;
}

std::unique_ptr<Store> freshStore(const QString &path)
{
    for (const QString &suffix : {QString(), QStringLiteral("-wal"), QStringLiteral("-shm")})
        QFile::remove(path + suffix);
    auto store = Store::open(path);
    if (!store) {
        std::fprintf(stderr, "sightline-bench-sync: %s\n", qPrintable(store.error()));
        std::exit(1);
    }
    return std::move(store).value();
}

// Runs the event loop until done() is true (checked every few milliseconds).
template<typename Done> void runUntil(Done done)
{
    QElapsedTimer guard;
    guard.start();
    while (!done() && guard.elapsed() < 30 * 60 * 1000)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
}

// The sandbox's feed through FeedConnector into a fresh store, from sequence 0 to the last event.
Figures syncFeed(const sandbox::SandboxServer &server, const QString &db)
{
    auto store = freshStore(db);
    FeedConnector::Settings settings;
    settings.connection = QStringLiteral("bench-feed");
    settings.url = QUrl(QStringLiteral("ws://127.0.0.1:%1/feed").arg(server.feedPort()));
    settings.heartbeatTimeout = std::chrono::seconds(60);
    QThread thread;
    thread.setObjectName(QStringLiteral("sightline-connector-bench-feed"));
    auto *feed = new FeedConnector(settings, *store);
    feed->moveToThread(&thread);
    QObject::connect(&thread, &QThread::finished, feed, &QObject::deleteLater);
    std::atomic<qint64> committed{0};
    QObject::connect(feed, &FeedConnector::checkpointCommitted, feed,
                     [&committed](qint64 sequence) { committed = sequence; });
    const qint64 total = server.scenario().events().size();
    Figures f;
    QElapsedTimer timer;
    thread.start();
    timer.start();
    const double cpu0 = cpuSeconds();
    QMetaObject::invokeMethod(
        feed, [feed] { feed->start(0); }, Qt::QueuedConnection);
    runUntil([&] { return committed.load() >= total; });
    f.seconds = double(timer.nsecsElapsed()) / 1e9;
    f.cpu = cpuSeconds() - cpu0;
    f.items = committed.load();
    QMetaObject::invokeMethod(
        feed, [feed] { feed->stop(); }, Qt::BlockingQueuedConnection);
    thread.quit();
    thread.wait();
    return f;
}

// The three REST APIs (every list, 500 records a page) through SyncService into a fresh store.
Figures syncRest(const sandbox::SandboxServer &server, const QString &db)
{
    auto store = freshStore(db);
    useSandboxDefaultCredentials();
    auto profiles =
        sandboxConnectionProfiles(QUrl(QStringLiteral("http://127.0.0.1:%1").arg(server.httpPort())),
                                  QUrl(QStringLiteral("ws://127.0.0.1:%1/feed").arg(server.feedPort())),
                                  QStringLiteral(SIGHTLINE_PROFILES_DIR "/sandbox.json"));
    if (!profiles) {
        std::fprintf(stderr, "sightline-bench-sync: %s\n", qPrintable(profiles.error()));
        std::exit(1);
    }
    QList<ConnectionProfile> rest;
    for (ConnectionProfile p : profiles.value()) {
        if (p.kind != ConnectionProfile::Kind::Rest || p.name == u"sandbox-erp-oauth")
            continue;
        for (RestResource &r : p.resources)
            r.paging.limit = 500;
        p.enabled = true;
        rest.append(p);
    }
    SyncService sync(*store, rest, QStringLiteral(SIGHTLINE_MAPPINGS_DIR));
    bool done = false;
    QObject::connect(&sync, &SyncService::allCaughtUp, &sync, [&done] { done = true; });
    Figures f;
    QElapsedTimer timer;
    timer.start();
    const double cpu0 = cpuSeconds();
    if (const Status s = sync.start(); !s) {
        std::fprintf(stderr, "sightline-bench-sync: %s\n", qPrintable(s.error()));
        std::exit(1);
    }
    runUntil([&] { return done; });
    f.seconds = double(timer.nsecsElapsed()) / 1e9;
    f.cpu = cpuSeconds() - cpu0;
    sync.stop();
    for (const ConnectionHealth &h : sync.health())
        f.items += h.events;
    return f;
}

// The same feed events read and stored without a network: what the store takes on its own.
Figures storeAlone(const sandbox::SandboxServer &server, const QString &db)
{
    auto store = freshStore(db);
    const CloudEventReader reader(QStringLiteral("bench-store"));
    const auto &events = server.scenario().events();
    Figures f;
    QElapsedTimer timer;
    timer.start();
    const double cpu0 = cpuSeconds();
    std::vector<std::future<Result<IngestReport>>> pending;
    ParsedInput batch;
    for (qsizetype i = 0; i < events.size(); ++i) {
        reader.readEvent(events.at(i).json, QString(), 0, batch);
        if (batch.events.size() == 500 || i + 1 == events.size()) {
            IngestBatch b;
            b.events = std::move(batch.events);
            b.quarantined = std::move(batch.quarantined);
            batch = {};
            pending.push_back(store->ingest(std::move(b)));
        }
    }
    for (auto &p : pending) {
        const auto r = p.get();
        if (r)
            f.items += r->accepted;
    }
    f.seconds = double(timer.nsecsElapsed()) / 1e9;
    f.cpu = cpuSeconds() - cpu0;
    return f;
}

QString withCommas(double value)
{
    return QLocale(QLocale::English).toString(qint64(value));
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QLoggingCategory::setFilterRules(QStringLiteral("sightline.*.info=false\nsightline.*.debug=false"));
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Syncs the sandbox's feed and REST APIs into fresh stores as fast as the sandbox "
                       "serves them and prints "
                       "events/s next to the store's rate for the same events without a network."));
    parser.addHelpOption();
    const QCommandLineOption daysOption(QStringLiteral("days"), QStringLiteral("Days of sandbox history."),
                                        QStringLiteral("N"), QStringLiteral("20"));
    const QCommandLineOption ordersOption(QStringLiteral("orders-per-hour"),
                                          QStringLiteral("Sales orders per simulated hour."),
                                          QStringLiteral("N"), QStringLiteral("30"));
    const QCommandLineOption dirOption(QStringLiteral("db-dir"), QStringLiteral("Where the stores go."),
                                       QStringLiteral("DIR"),
                                       QDir::tempPath() + QStringLiteral("/sightline-bench"));
    parser.addOptions({daysOption, ordersOption, dirOption});
    parser.process(app);

    sandbox::SandboxOptions options;
    options.speed = 0;
    options.heartbeatMs = 1000;
    options.scenario.seed = 17;
    options.scenario.start = QDateTime(QDate(2026, 11, 20), QTime(8, 0), Qt::UTC);
    options.scenario.backfillDays = parser.value(daysOption).toInt();
    options.scenario.salesOrdersPerHour = parser.value(ordersOption).toDouble();
    options.scenario.purchaseOrdersPerHour = options.scenario.salesOrdersPerHour / 3;
    QElapsedTimer generation;
    generation.start();
    sandbox::SandboxServer server(options);
    if (const Status s = server.start(); !s) {
        std::fprintf(stderr, "sightline-bench-sync: %s\n", qPrintable(s.error()));
        return 1;
    }
    const QString dir = parser.value(dirOption);
    QDir().mkpath(dir);
    std::printf("sightline-bench-sync: sandbox with %s feed events, generated in %.1f s; stores in %s\n",
                qPrintable(withCommas(double(server.scenario().events().size()))),
                generation.elapsed() / 1000.0, qPrintable(dir));
    std::fflush(stdout);

    const Figures feed = syncFeed(server, dir + QStringLiteral("/feed.db"));
    const Figures rest = syncRest(server, dir + QStringLiteral("/rest.db"));
    const Figures alone = storeAlone(server, dir + QStringLiteral("/alone.db"));

    std::printf("\n== sightline-bench-sync figures ==\n");
    std::printf("feed          %10s events/s   %8s events   %7.2f s wall  %7.2f s CPU  (WebSocket -> "
                "FeedConnector -> store, sandbox in the same process)\n",
                qPrintable(withCommas(feed.rate())), qPrintable(withCommas(double(feed.items))), feed.seconds,
                feed.cpu);
    std::printf(
        "REST          %10s events/s   %8s records  %7.2f s wall  %7.2f s CPU  (3 APIs, 8 lists, 500 a "
        "page, cursor paging, mapping files -> store)\n",
        qPrintable(withCommas(rest.rate())), qPrintable(withCommas(double(rest.items))), rest.seconds,
        rest.cpu);
    std::printf(
        "store alone   %10s events/s   %8s events   %7.2f s wall  %7.2f s CPU  (the same feed events read "
        "and stored, no network)\n",
        qPrintable(withCommas(alone.rate())), qPrintable(withCommas(double(alone.items))), alone.seconds,
        alone.cpu);
    std::printf("ratio         %.2f feed/store alone\n", alone.rate() > 0 ? feed.rate() / alone.rate() : 0.0);
    std::printf("bare ingest   see sightline-bench-ingest (tests/bench/run.sh BUILD_DIR ingest): the store's "
                "pipeline "
                "and a bare SQLite loop on generated events\n");
    return feed.items == server.scenario().events().size() ? 0 : 1;
}
