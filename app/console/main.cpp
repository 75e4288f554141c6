#include "connectors/demo/demosession.h"
#include "connectors/setup/profilewriter.h"
#include "connectors/sync/syncservice.h"
#include "models/domain/timestamp.h"
#include "models/resourcepaths.h"
#include "models/store/store.h"
#include "ui/firstrun/firstrunwizard.h"
#include "ui/mainwindow.h"
#include "ui/screenshottour.h"
#include "ui/traceview.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QIcon>
#include <QMessageBox>
#include <QSettings>
#include <QTextStream>
#include <QTimer>
#include <functional>
#include <memory>

namespace {

// The demo's own store, started afresh each time so that the sandbox's simulated history and the
// store agree; the user's own store is never touched by the demo.
QString freshDemoStorePath()
{
    const QString path = QFileInfo(sightline::Store::defaultPath()).dir().filePath(QStringLiteral("demo.db"));
    QDir().mkpath(QFileInfo(path).path());
    for (const QString &suffix : {QString(), QStringLiteral("-wal"), QStringLiteral("-shm")})
        QFile::remove(path + suffix);
    return path;
}

// Runs then once the demo's backfill has arrived: events were received and no more came for a
// second (for screenshots and --open, which need the documents to be there).
void whenDemoSettles(sightline::DemoSession *demo, QObject *context, std::function<void()> then)
{
    auto *poll = new QTimer(context);
    auto received = std::make_shared<qint64>(0);
    auto previous = std::make_shared<qint64>(-1);
    QObject::connect(demo, &sightline::DemoSession::healthChanged, poll,
                     [received](const sightline::ConnectionHealth &h) { *received = h.events; });
    QObject::connect(poll, &QTimer::timeout, context, [poll, received, previous, then] {
        if (*received > 0 && *received == *previous) {
            poll->deleteLater();
            then();
            return;
        }
        *previous = *received;
    });
    poll->start(1000);
}

// The user's own connections (not the demo): each runs on its connector thread into the store;
// health and failures go to the window. Nothing configured: nothing runs.
std::unique_ptr<sightline::SyncService> startConfiguredConnections(sightline::Store &store,
                                                                   const QString &profilesPath,
                                                                   sightline::MainWindow &window)
{
    if (!QFileInfo::exists(profilesPath))
        return nullptr;
    auto profiles = sightline::loadConnectionProfiles(profilesPath);
    if (!profiles) {
        window.showProblem(QObject::tr("Connections not started: %1").arg(profiles.error()));
        return nullptr;
    }
    auto sync = std::make_unique<sightline::SyncService>(store, profiles.value(),
                                                         sightline::resourcePath(QStringLiteral("mappings")));
    QObject::connect(sync.get(), &sightline::SyncService::healthChanged, &window,
                     &sightline::MainWindow::showConnectionHealth);
    QObject::connect(sync.get(), &sightline::SyncService::connectionFailed, &window,
                     [&window](const QString &connection, const QString &message) {
                         window.showProblem(QStringLiteral("%1: %2").arg(connection, message));
                     });
    if (sightline::Status started = sync->start(); !started)
        window.showProblem(QObject::tr("Connections not started: %1").arg(started.error()));
    return sync;
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("sightline"));
    QApplication::setOrganizationName(QStringLiteral("sightline"));
    QApplication::setApplicationDisplayName(QStringLiteral("Sightline"));
    QApplication::setApplicationVersion(QStringLiteral(SIGHTLINE_VERSION));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/sightline.svg")));
    QApplication::setDesktopFileName(QStringLiteral("org.sightline.Sightline")); // installer/linux.cmake

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Sightline operations visibility console."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption dbOption(QStringLiteral("db"),
                                      QStringLiteral("The store: a file or a postgresql:// location."),
                                      QStringLiteral("LOCATION"), sightline::Store::defaultLocation());
    const QCommandLineOption openOption(QStringLiteral("open"),
                                        QStringLiteral("Open the trace of this identifier."),
                                        QStringLiteral("IDENTIFIER"));
    const QCommandLineOption themeOption(QStringLiteral("theme"), QStringLiteral("system, light or dark."),
                                         QStringLiteral("THEME"));
    const QCommandLineOption screenshotOption(
        QStringLiteral("screenshot"),
        QStringLiteral("Save screenshots of the trace given by --open into DIR, then quit."),
        QStringLiteral("DIR"));
    const QCommandLineOption searchOption(QStringLiteral("screenshot-search"),
                                          QStringLiteral("What the search screenshot types."),
                                          QStringLiteral("TEXT"));
    const QCommandLineOption selectOption(QStringLiteral("screenshot-select"),
                                          QStringLiteral("The milestone of the event to select."),
                                          QStringLiteral("MILESTONE"), QStringLiteral("shipment.dispatched"));
    const QCommandLineOption nowOption(
        QStringLiteral("now"),
        QStringLiteral("Measure gaps against this time (RFC 3339) instead of the clock."),
        QStringLiteral("TIME"));
    const QCommandLineOption secondOption(QStringLiteral("screenshot-second"),
                                          QStringLiteral("A second trace to take a screenshot of."),
                                          QStringLiteral("IDENTIFIER"));
    const QCommandLineOption demoOption(
        QStringLiteral("demo"),
        QStringLiteral("Start the built-in sandbox (simulated ERP, WMS, portal and event feed) on free "
                       "ports of 127.0.0.1 and follow it live, in a demo store of its own."));
    const QCommandLineOption smokeOption(
        QStringLiteral("smoke-test"),
        QStringLiteral("Show the window, print where the data files are, then quit (package tests)."));
    parser.addOptions({demoOption, dbOption, openOption, themeOption, screenshotOption, searchOption,
                       selectOption, secondOption, nowOption, smokeOption});
    parser.process(app);

    // First run: nothing configured yet -> the wizard (demo sandbox or a real connection). Its
    // "demo sandbox" choice is kept in the profiles file and behaves as --demo.
    const bool scripted = parser.isSet(screenshotOption) || parser.isSet(smokeOption);
    const QString profilesPath = sightline::userConnectionProfilesPath();
    if (!scripted && !parser.isSet(demoOption))
        sightline::FirstRunWizard::runIfDue(profilesPath);
    const bool demo = parser.isSet(demoOption) || (!scripted && sightline::isDemoProfilesFile(profilesPath));
    const QString storePath = demo && !parser.isSet(dbOption) ? freshDemoStorePath() : parser.value(dbOption);
    auto store = sightline::Store::open(storePath);
    if (!store) {
        QMessageBox::critical(nullptr, QStringLiteral("Sightline"), store.error());
        return 1;
    }
    const QString theme =
        parser.isSet(themeOption)
            ? parser.value(themeOption)
            : QSettings().value(QStringLiteral("view/theme"), QStringLiteral("system")).toString();

    sightline::MainWindow window(storePath, store.value().get());
    window.applyTheme(theme);
    if (parser.isSet(nowOption)) {
        const auto now = sightline::parseRfc3339(parser.value(nowOption).toStdString());
        if (now)
            window.traceView()->setNow(*now);
    }
    if (parser.isSet(screenshotOption))
        window.resize(1440, 900);
    window.show();

    std::unique_ptr<sightline::DemoSession> demoSession;
    if (demo) {
        demoSession =
            std::make_unique<sightline::DemoSession>(*store.value(), sightline::DemoSession::Options{});
        QObject::connect(demoSession.get(), &sightline::DemoSession::healthChanged, &window,
                         &sightline::MainWindow::showConnectionHealth);
        QObject::connect(demoSession.get(), &sightline::DemoSession::demoFailed, &window,
                         &sightline::MainWindow::showProblem);
        demoSession->start();
    }
    std::unique_ptr<sightline::SyncService> connections;
    // Team mode: the ingest service runs the connections (and holds their secrets), not the consoles.
    if (!demo && !store.value()->isShared() && !parser.isSet(screenshotOption) && !parser.isSet(smokeOption))
        connections = startConfiguredConnections(*store.value(), profilesPath, window);

    auto begin = [&] {
        if (parser.isSet(screenshotOption)) {
            auto *tour = new sightline::ScreenshotTour(
                &window,
                {parser.value(screenshotOption), parser.value(openOption), parser.value(searchOption),
                 parser.value(selectOption), parser.value(secondOption)},
                &app);
            QObject::connect(tour, &sightline::ScreenshotTour::finished, &app,
                             [](bool ok) { QApplication::exit(ok ? 0 : 1); });
            tour->start();
        } else if (parser.isSet(smokeOption)) {
            QTimer::singleShot(0, &app, [&window] {
                QTextStream(stdout) << "window " << (window.isVisible() ? "shown" : "hidden") << "\ndata "
                                    << sightline::resourceDir() << '\n';
                QApplication::exit(window.isVisible() ? 0 : 1);
            });
        } else if (parser.isSet(openOption)) {
            window.openIdentifier(parser.value(openOption));
        }
    };
    if (demoSession && (parser.isSet(screenshotOption) || parser.isSet(openOption)))
        // Screenshots may wait longer so that exceptions and SLA measurements, computed after the
        // events arrive, are in the picture (tests/screenshots/take.sh sets it).
        whenDemoSettles(demoSession.get(), &window, [begin, &app] {
            const int extraMs = qEnvironmentVariableIntValue("SIGHTLINE_SCREENSHOT_DELAY_MS");
            QTimer::singleShot(extraMs, &app, begin);
        });
    else
        begin();
    return app.exec();
}
