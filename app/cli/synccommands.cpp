#include "app/cli/synccommands.h"

#include "connectors/health/connectionhealthmodel.h"
#include "connectors/profile/connectionprofile.h"
#include "connectors/sync/syncservice.h"
#include "models/exceptions/exceptionengine.h"
#include "models/exceptions/exceptionrules.h"
#include "models/export/traceexport.h"
#include "models/store/connectionstatus.h"
#include "models/store/store.h"
#include "models/store/storelocation.h"
#include "models/store/storereader.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QSocketNotifier>
#include <QTimer>
#include <csignal>
#include <memory>
#include <unistd.h>

namespace sightline::cli {
namespace {

// SIGINT and SIGTERM end the event loop (through a pipe: a signal handler may only write()), so
// that connectors stop cleanly and the last health is recorded.
int g_signalPipe[2] = {-1, -1};

void onSignal(int)
{
    const char byte = 1;
    [[maybe_unused]] const auto written = ::write(g_signalPipe[1], &byte, 1);
}

void quitOnSignals(QObject *context)
{
    if (::pipe(g_signalPipe) != 0)
        return;
    auto *notifier = new QSocketNotifier(g_signalPipe[0], QSocketNotifier::Read, context);
    QObject::connect(notifier, &QSocketNotifier::activated, context, [] { QCoreApplication::quit(); });
    std::signal(SIGINT, onSignal);
    std::signal(SIGTERM, onSignal);
}

QString when(qint64 ms)
{
    return ms > 0 ? QDateTime::fromMSecsSinceEpoch(ms).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"))
                  : QStringLiteral("never");
}

void printHealth(const Context &ctx, const ConnectionHealth &h)
{
    ctx.out << h.connection << ": " << healthStateName(h.state) << ", events " << h.events << ", quarantined "
            << h.quarantined << ", requests " << h.requests << ", errors " << h.errors << ", retries "
            << h.retries << ", last success " << when(h.lastSuccessMs) << '\n';
    if (h.state != ConnectionHealth::State::Connected && !h.lastError.isEmpty())
        ctx.out << "  last error: " << h.lastError << '\n';
}

// The profiles file named, else the user's; mapping files beside it unless --mappings says.
struct SyncSetup
{
    QList<ConnectionProfile> profiles;
    QString mappingDir;
};

Result<SyncSetup> readSetup(const QCommandLineParser &parser)
{
    const QString path = parser.isSet(QStringLiteral("profiles")) ? parser.value(QStringLiteral("profiles"))
                                                                  : userConnectionProfilesPath();
    if (!QFileInfo::exists(path))
        return Error{QStringLiteral("no connection profiles at %1; write one (README, \"Connections\") or "
                                    "name one with --profiles")
                         .arg(path)};
    auto profiles = loadConnectionProfiles(path);
    if (!profiles)
        return Error{profiles.error()};
    const QString mappings = parser.isSet(QStringLiteral("mappings"))
                                 ? parser.value(QStringLiteral("mappings"))
                                 : QFileInfo(path).absolutePath();
    return SyncSetup{profiles.value(), mappings};
}

// `sync --once` waits for every connection to catch up; one whose source stays unreachable would
// keep it waiting for ever. After `seconds`, each connection still behind is named with its last
// error, and the sync stops with a failure.
void giveUpOnStragglers(const Context &ctx, SyncService &service, double seconds, bool &failed)
{
    auto caughtUp = std::make_shared<QSet<QString>>();
    QObject::connect(&service, &SyncService::connectionCaughtUp, &service,
                     [caughtUp](const QString &connection) { caughtUp->insert(connection); });
    QTimer::singleShot(qint64(seconds * 1000), &service, [&ctx, &service, &failed, caughtUp, seconds] {
        for (const ConnectionHealth &h : service.health()) {
            if (caughtUp->contains(h.connection))
                continue;
            ctx.err << h.connection << ": gave up after " << seconds << " s without catching up ("
                    << healthStateName(h.state) << (h.lastError.isEmpty() ? QString() : QStringLiteral(": "))
                    << h.lastError << ")\n";
            failed = true;
        }
        ctx.err.flush();
        QCoreApplication::quit();
    });
}

} // namespace

int sync(const Context &ctx, const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Runs every enabled connection of a profiles file into the store, each on its own thread, until\n"
        "interrupted, or once, or for a while. A connection resumes from its committed checkpoint: a sync\n"
        "killed at any point and started again loses nothing and stores nothing twice.\n"
        "Exit 0: done; 1: a connection could not start or its credentials were refused."));
    const QCommandLineOption profilesOption(
        QStringLiteral("profiles"),
        QStringLiteral("The connection profiles (default: %1).").arg(userConnectionProfilesPath()),
        QStringLiteral("FILE"));
    const QCommandLineOption mappingsOption(
        QStringLiteral("mappings"),
        QStringLiteral("Where the profiles' mapping files are (default: beside the profiles file; the "
                       "sandbox's are built in)."),
        QStringLiteral("DIR"));
    const QCommandLineOption onceOption(
        QStringLiteral("once"),
        QStringLiteral("Stop when every connection has read what its source had (a REST poll cycle; a feed "
                       "up to the sequence its heartbeat announced)."));
    const QCommandLineOption forOption(QStringLiteral("for"), QStringLiteral("Stop after this many seconds."),
                                       QStringLiteral("SECONDS"));
    const QCommandLineOption giveUpOption(
        QStringLiteral("give-up-after"),
        QStringLiteral(
            "With --once: a connection that has not caught up after this many seconds (its source "
            "unreachable, say) is reported with its last error and the sync exits 1 (default 300)."),
        QStringLiteral("SECONDS"), QStringLiteral("300"));
    parser.addOptions({profilesOption, mappingsOption, onceOption, forOption, giveUpOption});
    int exitCode = Ok;
    if (!parseCommand(parser, args, ctx, exitCode))
        return exitCode;
    bool forOk = true;
    const double seconds = parser.isSet(forOption) ? parser.value(forOption).toDouble(&forOk) : 0;
    bool giveUpOk = true;
    const double giveUpSeconds = parser.value(giveUpOption).toDouble(&giveUpOk);
    if (!forOk || seconds < 0 || !giveUpOk || giveUpSeconds <= 0 ||
        (parser.isSet(onceOption) && parser.isSet(forOption))) {
        ctx.err << "sync: --for and --give-up-after take a number of seconds, and --once and --for exclude "
                   "each other\n";
        return Failure;
    }
    auto setup = readSetup(parser);
    if (!setup) {
        ctx.err << "sync: " << setup.error() << '\n';
        return Failure;
    }
    auto store = Store::open(ctx.dbPath);
    if (!store) {
        ctx.err << store.error() << '\n';
        return Failure;
    }
    bool failed = false;
    {
        SyncService service(*store.value(), setup->profiles, setup->mappingDir);
        // Team mode: this service is the one process the connectors write through, so it detects
        // exceptions too; the consoles only read and act.
        std::unique_ptr<ExceptionEngineThread> detection;
        if (store.value()->isShared()) {
            auto rules = ExceptionRules::load();
            if (!rules) {
                ctx.err << "sync: " << rules.error() << '\n';
                return Failure;
            }
            detection = std::make_unique<ExceptionEngineThread>(store.value().get(), rules.value(),
                                                                ExceptionEngine::Clock{}, true);
        }
        QObject::connect(&service, &SyncService::connectionFailed, &service,
                         [&](const QString &connection, const QString &message) {
                             ctx.err << connection << ": " << message << '\n';
                             ctx.err.flush();
                             failed = true;
                         });
        if (parser.isSet(onceOption)) {
            QObject::connect(&service, &SyncService::allCaughtUp, &service, [] { QCoreApplication::quit(); });
            giveUpOnStragglers(ctx, service, giveUpSeconds, failed);
        }
        if (parser.isSet(forOption))
            QTimer::singleShot(qint64(seconds * 1000), &service, [] { QCoreApplication::quit(); });
        quitOnSignals(&service);
        if (const Status s = service.start(); !s) {
            ctx.err << "sync: " << s.error() << '\n';
            return Failure;
        }
        QCoreApplication::exec();
        service.stop();
        QList<ConnectionHealth> health = service.health();
        std::sort(health.begin(), health.end(), [](const ConnectionHealth &a, const ConnectionHealth &b) {
            return a.connection < b.connection;
        });
        for (const ConnectionHealth &h : health)
            printHealth(ctx, h);
    }
    store.value().reset(); // waits for the writer: everything queued is committed
    return failed ? Failure : Ok;
}

int status(const Context &ctx, const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Prints each connection's last recorded health and committed checkpoints, from the store."));
    const QCommandLineOption jsonOption(QStringLiteral("json"), QStringLiteral("Print JSON."));
    parser.addOption(jsonOption);
    int exitCode = Ok;
    if (!parseCommand(parser, args, ctx, exitCode))
        return exitCode;
    if (!storeExists(ctx.dbPath)) {
        ctx.err << "no store at " << ctx.dbPath << "; run 'sightline-cli sync' first\n";
        return Failure;
    }
    auto reader = StoreReader::open(ctx.dbPath);
    if (!reader) {
        ctx.err << reader.error() << '\n';
        return Failure;
    }
    const auto counts = reader.value()->counts();
    const auto rows = readConnectionStatus(ctx.dbPath);
    const auto checkpoints = readCheckpoints(ctx.dbPath);
    if (!counts || !checkpoints) {
        ctx.err << (counts ? checkpoints.error() : counts.error()) << '\n';
        return Failure;
    }
    const QList<ConnectionStatusRow> connections = rows ? rows.value() : QList<ConnectionStatusRow>();
    if (parser.isSet(jsonOption)) {
        QJsonArray list;
        for (const ConnectionStatusRow &r : connections)
            list.append(QJsonObject{{QStringLiteral("connection"), r.connection},
                                    {QStringLiteral("state"), r.state},
                                    {QStringLiteral("lastError"), r.lastError},
                                    {QStringLiteral("lastSuccessMs"), r.lastSuccessMs},
                                    {QStringLiteral("lagMs"), r.lagMs},
                                    {QStringLiteral("requests"), r.requests},
                                    {QStringLiteral("errors"), r.errors},
                                    {QStringLiteral("retries"), r.retries},
                                    {QStringLiteral("events"), r.events},
                                    {QStringLiteral("quarantined"), r.quarantined},
                                    {QStringLiteral("recordedMs"), r.updatedMs}});
        QJsonObject points;
        for (const CheckpointRow &c : checkpoints.value())
            points.insert(c.connection, c.position);
        const QJsonObject root{{QStringLiteral("connections"), list},
                               {QStringLiteral("checkpoints"), points},
                               {QStringLiteral("events"), counts->events},
                               {QStringLiteral("duplicates"), counts->duplicates},
                               {QStringLiteral("quarantined"), counts->quarantined}};
        ctx.out << QJsonDocument(root).toJson(QJsonDocument::Indented);
        return Ok;
    }
    if (connections.isEmpty())
        ctx.out << "No connection has run on this store yet.\n";
    for (const ConnectionStatusRow &r : connections) {
        ctx.out << r.connection << ": " << r.state << ", last success " << when(r.lastSuccessMs) << ", lag "
                << formatDuration(r.lagMs) << ", requests " << r.requests << ", errors " << r.errors
                << ", retries " << r.retries << ", events " << r.events << ", quarantined " << r.quarantined
                << " (recorded " << when(r.updatedMs) << ")\n";
        if (!r.lastError.isEmpty())
            ctx.out << "  last error: " << r.lastError << '\n';
    }
    if (!checkpoints->isEmpty())
        ctx.out << "Checkpoints:\n";
    for (const CheckpointRow &c : checkpoints.value())
        ctx.out << "  " << c.connection << ": " << c.position << " (committed " << when(c.updatedMs) << ")\n";
    ctx.out << "Store: " << counts->events << " events, " << counts->duplicates << " duplicates received, "
            << counts->quarantined << " quarantined\n";
    return Ok;
}

} // namespace sightline::cli
