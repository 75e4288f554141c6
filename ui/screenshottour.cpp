#include "ui/screenshottour.h"

#include "models/trace/traceeventmodel.h"
#include "ui/audit/auditpanel.h"
#include "ui/exceptions/exceptionspanel.h"
#include "ui/mainwindow.h"
#include "ui/searchpopup.h"
#include "ui/timelinewidget.h"
#include "ui/traceview.h"

#include <QDockWidget>
#include <QLoggingCategory>
#include <QPixmap>
#include <QTableView>
#include <QTimer>

Q_LOGGING_CATEGORY(lcConsole, "sightline.console", QtInfoMsg)

namespace sightline {

ScreenshotTour::ScreenshotTour(MainWindow *window, Options options, QObject *parent)
    : QObject(parent), m_window(window), m_options(std::move(options))
{}

void ScreenshotTour::after(int ms, std::function<void()> step)
{
    QTimer::singleShot(ms, this, std::move(step));
}

void ScreenshotTour::save(const QString &name)
{
    const QString path = QDir(m_options.outputDir).filePath(name);
    if (!m_window->grab().save(path))
        qCWarning(lcConsole) << "cannot write" << path;
    else
        qCInfo(lcConsole) << "saved" << path;
}

void ScreenshotTour::showConnections()
{
    if (QDockWidget *connections = m_window->dock(QStringLiteral("connectionsDock"))) {
        connections->raise();
        after(200, [this] {
            save(QStringLiteral("connections.png"));
            exceptionShots();
        });
        return;
    }
    exceptionShots();
}

void ScreenshotTour::fail(const QString &why)
{
    qCWarning(lcConsole) << "screenshot tour failed:" << why;
    Q_EMIT finished(false);
}

void ScreenshotTour::start()
{
    QDir().mkpath(m_options.outputDir);
    TraceView *view = m_window->traceView();
    connect(
        view, &TraceView::traceShown, this, [this] { after(200, [this] { selectEvent(); }); },
        Qt::SingleShotConnection);
    after(40000, [this] { fail(QStringLiteral("timed out")); });
    m_window->openIdentifier(m_options.openIdentifier);
}

void ScreenshotTour::secondTrace()
{
    m_window->searchPopup()->dismiss();
    if (m_options.secondIdentifier.isEmpty()) {
        showConnections();
        return;
    }
    connect(
        m_window->traceView(), &TraceView::traceShown, this,
        [this] {
            after(300, [this] {
                save(QStringLiteral("trace-late.png"));
                showConnections();
            });
        },
        Qt::SingleShotConnection);
    m_window->openIdentifier(m_options.secondIdentifier);
}

void ScreenshotTour::selectEvent()
{
    TraceView *view = m_window->traceView();
    if (view->trace().isEmpty())
        return fail(QStringLiteral("nothing found for %1").arg(m_options.openIdentifier));
    qint64 rowId = view->trace().events.back().rowId;
    for (const TraceEvent &e : view->trace().events) {
        if (e.milestone == m_options.selectMilestone)
            rowId = e.rowId;
    }
    // Close enough to read the time between milestones.
    for (int i = 0; i < 4; ++i)
        view->timeline()->zoomIn();
    connect(
        view, &TraceView::payloadShown, this,
        [this] {
            after(300, [this] {
                save(QStringLiteral("trace-light.png"));
                m_window->traceView()->exportTimelinePng(
                    QDir(m_options.outputDir).filePath(QStringLiteral("timeline.png")));
                connect(
                    m_window->traceView(), &TraceView::traceShown, this,
                    [this] {
                        after(300, [this] {
                            save(QStringLiteral("trace-dark.png"));
                            m_window->applyTheme(QStringLiteral("light"));
                            connect(
                                m_window->searchPopup(), &SearchPopup::resultsShown, this,
                                [this] {
                                    after(300, [this] {
                                        save(QStringLiteral("search.png"));
                                        secondTrace();
                                    });
                                },
                                Qt::SingleShotConnection);
                            m_window->showSearch(m_options.searchText);
                        });
                    },
                    Qt::SingleShotConnection);
                m_window->applyTheme(QStringLiteral("dark"));
            });
        },
        Qt::SingleShotConnection);
    view->selectEvent(rowId);
}

// The exception queue with one exception selected, then the audit log.
void ScreenshotTour::exceptionShots()
{
    QDockWidget *dock = m_window->dock(QStringLiteral("exceptionsDock"));
    auto *panel = dock ? dock->findChild<ExceptionsPanel *>() : nullptr;
    if (!panel) {
        Q_EMIT finished(true);
        return;
    }
    dock->raise();
    m_window->resizeDocks({dock}, {m_window->height() * 3 / 5}, Qt::Vertical);
    connect(
        panel, &ExceptionsPanel::loadedForTest, this,
        [this, panel] {
            panel->queueView()->selectRow(0);
            // The saved views' badges are counted after the rows: the picture waits for them.
            connect(
                panel, &ExceptionsPanel::openCountChanged, this,
                [this] {
                    after(800, [this] {
                        save(QStringLiteral("exceptions.png"));
                        auditShot();
                    });
                },
                Qt::SingleShotConnection);
        },
        Qt::SingleShotConnection);
    panel->reload();
}

void ScreenshotTour::auditShot()
{
    QDockWidget *dock = m_window->dock(QStringLiteral("auditDock"));
    auto *panel = dock ? dock->findChild<AuditPanel *>() : nullptr;
    if (!panel) {
        Q_EMIT finished(true);
        return;
    }
    dock->raise();
    connect(
        panel, &AuditPanel::loadedForTest, this,
        [this] {
            after(500, [this] {
                save(QStringLiteral("audit.png"));
                Q_EMIT finished(true);
            });
        },
        Qt::SingleShotConnection);
    panel->reload();
}

} // namespace sightline
