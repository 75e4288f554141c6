#include "models/store/store.h"
#include "ui/mainwindow.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>

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
    const QCommandLineOption dbOption(QStringLiteral("db"), QStringLiteral("The store file."), QStringLiteral("PATH"),
                                      sightline::Store::defaultPath());
    parser.addOption(dbOption);
    parser.process(app);

    sightline::MainWindow window(parser.value(dbOption));
    window.show();
    return app.exec();
}
