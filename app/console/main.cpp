#include "models/domain/timestamp.h"
#include "models/store/store.h"
#include "ui/mainwindow.h"
#include "ui/screenshottour.h"
#include "ui/traceview.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>
#include <QMessageBox>
#include <QSettings>

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("sightline"));
    QApplication::setOrganizationName(QStringLiteral("sightline"));
    QApplication::setApplicationDisplayName(QStringLiteral("Sightline"));
    QApplication::setApplicationVersion(QStringLiteral(SIGHTLINE_VERSION));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/sightline.svg")));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Sightline operations visibility console."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption dbOption(QStringLiteral("db"), QStringLiteral("The store file."),
                                      QStringLiteral("PATH"), sightline::Store::defaultPath());
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
    parser.addOptions({dbOption, openOption, themeOption, screenshotOption, searchOption, selectOption,
                       secondOption, nowOption});
    parser.process(app);

    auto store = sightline::Store::open(parser.value(dbOption));
    if (!store) {
        QMessageBox::critical(nullptr, QStringLiteral("Sightline"), store.error());
        return 1;
    }
    const QString theme =
        parser.isSet(themeOption)
            ? parser.value(themeOption)
            : QSettings().value(QStringLiteral("view/theme"), QStringLiteral("system")).toString();

    sightline::MainWindow window(parser.value(dbOption), store.value().get());
    window.applyTheme(theme);
    if (parser.isSet(nowOption)) {
        const auto now = sightline::parseRfc3339(parser.value(nowOption).toStdString());
        if (now)
            window.traceView()->setNow(*now);
    }
    if (parser.isSet(screenshotOption))
        window.resize(1440, 900);
    window.show();

    if (parser.isSet(screenshotOption)) {
        auto *tour = new sightline::ScreenshotTour(&window,
                                                   {parser.value(screenshotOption), parser.value(openOption),
                                                    parser.value(searchOption), parser.value(selectOption),
                                                    parser.value(secondOption)},
                                                   &app);
        QObject::connect(tour, &sightline::ScreenshotTour::finished, &app,
                         [](bool ok) { QApplication::exit(ok ? 0 : 1); });
        tour->start();
    } else if (parser.isSet(openOption)) {
        window.openIdentifier(parser.value(openOption));
    }
    return app.exec();
}
