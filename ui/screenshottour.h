#pragma once

#include <QDir>
#include <QObject>
#include <QString>
#include <functional>

namespace sightline {

class MainWindow;

// Takes the README's screenshots: opens a trace, selects an event, and saves the window in the
// light and dark themes, the search popup and the exported timeline as PNGs; then quits.
class ScreenshotTour : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        QString outputDir;
        QString openIdentifier;   // the trace to show
        QString searchText;       // what the search screenshot types
        QString selectMilestone;  // the event to select (its payload is shown)
        QString secondIdentifier; // a second trace, shown as it opens (e.g. one that is late)
    };

    ScreenshotTour(MainWindow *window, Options options, QObject *parent = nullptr);
    void start();

Q_SIGNALS:
    void finished(bool ok);

private:
    void save(const QString &name);
    void after(int ms, std::function<void()> step);
    void selectEvent();
    void secondTrace();
    void showConnections();
    void exceptionShots();
    void auditShot();
    void fail(const QString &why);

    MainWindow *m_window;
    Options m_options;
};

} // namespace sightline
