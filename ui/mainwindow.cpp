#include "ui/mainwindow.h"

#include "connectors/health/connectionhealthmodel.h"
#include "models/store/store.h"
#include "models/trace/searchresultmodel.h"
#include "models/trace/tracereader.h"
#include "ui/audit/auditpanel.h"
#include "ui/consolesettings.h"
#include "ui/exceptions/exceptionspanel.h"
#include "ui/firstrun/firstrunwizard.h"
#include "ui/noticebanner.h"
#include "ui/payloadinspector.h"
#include "ui/searchpopup.h"
#include "ui/shortcutsheet.h"
#include "ui/sla/sladashboard.h"
#include "ui/theme.h"
#include "ui/timelinewidget.h"
#include "ui/traceview.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QFileDialog>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTableView>
#include <QToolBar>
#include <QTreeView>
#include <QVBoxLayout>

namespace sightline {

MainWindow::MainWindow(const QString &storePath, Store *store, QWidget *parent)
    : QMainWindow(parent), m_storePath(storePath), m_store(store), m_reader(new TraceReader(storePath, this))
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(tr("Sightline"));
    setDockNestingEnabled(true);
    // Every area is a dock; the central widget is an empty placeholder kept out of the way.
    auto *placeholder = new QWidget(this);
    placeholder->setMaximumSize(0, 0);
    setCentralWidget(placeholder);
    placeholder->hide();

    m_traceView = new TraceView(m_reader, this);
    m_tracesStack = new QStackedWidget(this);
    m_tracesStack->addWidget(welcomePage());
    m_tracesStack->addWidget(m_traceView);
    addArea(QStringLiteral("tracesDock"), tr("Traces"), m_tracesStack, Qt::TopDockWidgetArea);
    // One area per feature; each feature builds its own widget in its own function below.
    QDockWidget *exceptions = addArea(QStringLiteral("exceptionsDock"), tr("Exceptions"), exceptionsArea(),
                                      Qt::BottomDockWidgetArea);
    tabifyDockWidget(exceptions,
                     addArea(QStringLiteral("slaDock"), tr("SLA"), slaArea(), Qt::BottomDockWidgetArea));
    tabifyDockWidget(exceptions, addArea(QStringLiteral("connectionsDock"), tr("Connections"),
                                         connectionsArea(), Qt::BottomDockWidgetArea));
    tabifyDockWidget(
        exceptions, addArea(QStringLiteral("auditDock"), tr("Audit"), auditArea(), Qt::BottomDockWidgetArea));
    exceptions->raise();

    m_search = new SearchPopup(m_reader, this);
    connect(m_search, &SearchPopup::traceChosen, this, [this](qint64 traceId) { openTrace(traceId); });
    connect(m_traceView, &TraceView::traceShown, this, &MainWindow::onTraceShown);
    connect(m_traceView, &TraceView::traceMerged, this, &MainWindow::openIdentifier);
    connect(m_traceView, &TraceView::exceptionChosen, this, [this](qint64 id) {
        if (QDockWidget *d = dock(QStringLiteral("exceptionsDock"))) {
            d->show();
            d->raise();
        }
        m_exceptionsPanel->selectException(id);
    });

    auto *storeLabel = new QLabel(tr("Store: %1").arg(storePath), this);
    storeLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_countsLabel = new QLabel(this);
    m_connectionsLabel = new QLabel(tr("Connections: none configured"), this);
    statusBar()->addWidget(storeLabel, 1);
    statusBar()->addPermanentWidget(m_countsLabel);
    statusBar()->addPermanentWidget(m_connectionsLabel);
    m_outboxLabel = new QLabel(this);
    m_outboxLabel->setObjectName(QStringLiteral("outboxLabel"));
    m_outboxLabel->setToolTip(tr("Actions whose target was unavailable. Each is sent with its own "
                                 "idempotency key as soon as its connection is back."));
    m_outboxLabel->hide();
    statusBar()->addPermanentWidget(m_outboxLabel);
    connect(m_reader, &TraceReader::countsReady, this, &MainWindow::updateCounts);
    connect(m_reader, &TraceReader::readFailed, this,
            [this](const QString &message) { statusBar()->showMessage(message, 10000); });
    m_countsTimer.setSingleShot(true);
    m_countsTimer.setInterval(1000);
    connect(&m_countsTimer, &QTimer::timeout, m_reader, &TraceReader::refreshCounts);
    m_reloadTimer.setSingleShot(true);
    m_reloadTimer.setInterval(liveReloadMs);
    connect(&m_reloadTimer, &QTimer::timeout, m_traceView, &TraceView::reload);
    // A pending open: the first hit of the search, once it arrives.
    connect(m_reader, &TraceReader::searchReady, this, [this](const SearchResults &results) {
        if (m_pendingOpen.isEmpty() || results.query != m_pendingOpen)
            return;
        m_pendingOpen.clear();
        if (results.hits.isEmpty()) {
            statusBar()->showMessage(tr("Nothing known by \"%1\"").arg(results.query), 10000);
            return;
        }
        openTrace(results.hits.front().traceId);
    });

    if (m_store)
        connect(m_store, &Store::committed, this,
                [this](const IngestReport &report, const QSet<qint64> &touched) {
                    onCommitted(touched, report.tracesMerged > 0);
                });

    createActions();
    createNoticeBar(); // after the main toolbar: on a row of its own below it
    resize(1440, 900);
    m_defaultState = saveState();
    m_hadSavedLayout = restoreLayout();
    m_reader->refreshCounts();
}

MainWindow::~MainWindow() = default;

void MainWindow::createNoticeBar()
{
    m_banner = new NoticeBanner(this);
    m_noticeBar = new QToolBar(tr("Notices"), this);
    m_noticeBar->setObjectName(QStringLiteral("noticeBar"));
    m_noticeBar->setMovable(false);
    m_noticeBar->setFloatable(false);
    m_noticeBar->toggleViewAction()->setVisible(false);
    m_noticeBar->addWidget(m_banner)->setVisible(true);
    addToolBarBreak(Qt::TopToolBarArea); // a row of its own, the whole width
    addToolBar(Qt::TopToolBarArea, m_noticeBar);
    m_noticeBar->hide();
    connect(m_banner, &NoticeBanner::dismissed, m_noticeBar, &QWidget::hide);
}

void MainWindow::showProblem(const QString &message)
{
    if (!m_banner) { // still being built
        statusBar()->showMessage(message);
        return;
    }
    m_banner->showNotice(message);
    m_noticeBar->show();
}

void MainWindow::showConnectionHealth(const ConnectionHealth &health)
{
    m_healthModel->update(health);
    const auto previous = m_health.constFind(health.connection);
    const bool back = health.state == ConnectionHealth::State::Connected &&
                      (previous == m_health.cend() || previous->state != ConnectionHealth::State::Connected);
    m_health.insert(health.connection, health);
    if (back && m_exceptionsPanel)
        m_exceptionsPanel->connectionBack(health.connection);
    QStringList parts;
    for (const ConnectionHealth &h : std::as_const(m_health)) {
        QString part = h.connection % QStringLiteral(": ") % healthStateName(h.state);
        if (h.events > 0)
            part += QStringLiteral(" (%1 events)").arg(QLocale().toString(h.events));
        parts << part;
    }
    m_connectionsLabel->setText(tr("Connections: %1").arg(parts.join(QStringLiteral("; "))));
    m_connectionsLabel->setToolTip(health.lastError);
}

void MainWindow::showOutboxPending(int pending)
{
    m_outboxLabel->setText(pending == 1 ? tr("Outbox: 1 action waiting")
                                        : tr("Outbox: %1 actions waiting").arg(QLocale().toString(pending)));
    m_outboxLabel->setVisible(pending > 0);
}

QWidget *MainWindow::exceptionsArea()
{
    auto *panel = new ExceptionsPanel(m_storePath, m_store, this);
    m_exceptionsPanel = panel;
    // Exceptions are raised after the events that cause them: the open trace lists them anew.
    connect(panel, &ExceptionsPanel::openCountChanged, m_traceView, &TraceView::reload);
    connect(panel, &ExceptionsPanel::openCountChanged, this, [this](int open) {
        if (QDockWidget *d = dock(QStringLiteral("exceptionsDock"))) // the tab shows the open count
            d->setWindowTitle(tr("Exceptions (%1)").arg(QLocale().toString(open)));
    });
    connect(panel, &ExceptionsPanel::problem, this, &MainWindow::showProblem);
    connect(panel, &ExceptionsPanel::outboxPendingChanged, this, &MainWindow::showOutboxPending);
    connect(panel, &ExceptionsPanel::openTraceRequested, this, &MainWindow::openTrace);
    return panel;
}

QWidget *MainWindow::slaArea()
{
    auto *dashboard = new SlaDashboard(m_storePath, m_store, this);
    connect(dashboard, &SlaDashboard::traceRequested, this, &MainWindow::openTrace);
    connect(dashboard, &SlaDashboard::problem, this, &MainWindow::showProblem);
    // SLA measurements are written after the events: the open trace draws new targets.
    connect(dashboard, &SlaDashboard::measurementsChanged, m_traceView, &TraceView::reload);
    QTimer::singleShot(0, dashboard, &SlaDashboard::start);
    return dashboard;
}

QWidget *MainWindow::connectionsArea()
{
    m_healthModel = new ConnectionHealthModel(this);
    auto *table = new QTableView(this);
    table->setObjectName(QStringLiteral("connectionsTable"));
    table->setAccessibleName(tr("Connections"));
    table->setModel(m_healthModel);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->verticalHeader()->hide();
    table->horizontalHeader()->setStretchLastSection(true);
    auto *stack = new QStackedWidget(this);
    stack->addWidget(emptyState(tr("No connections yet"),
                                tr("Each connection's health (connected, degraded, down, authentication "
                                   "failed), last success, lag and counts show here once it runs. Start "
                                   "with the demo (sightline --demo) or a profile (sightline-cli sync)."),
                                QStringLiteral(":/icons/connection.svg")));
    stack->addWidget(table);
    connect(m_healthModel, &QAbstractItemModel::rowsInserted, stack,
            [stack, table] { stack->setCurrentWidget(table); });
    return stack;
}

QWidget *MainWindow::auditArea()
{
    auto *panel = new AuditPanel(m_storePath, m_store, this);
    connect(panel, &AuditPanel::problem, this, &MainWindow::showProblem);
    return panel;
}

QDockWidget *MainWindow::addArea(const QString &objectName, const QString &title, QWidget *content,
                                 Qt::DockWidgetArea area)
{
    auto *dock = new QDockWidget(title, this);
    dock->setObjectName(objectName);
    dock->setWidget(content);
    dock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable |
                      QDockWidget::DockWidgetClosable);
    addDockWidget(area, dock);
    m_docks.append(dock);
    return dock;
}

QDockWidget *MainWindow::dock(const QString &objectName) const
{
    for (QDockWidget *d : m_docks) {
        if (d->objectName() == objectName)
            return d;
    }
    return nullptr;
}

QWidget *MainWindow::emptyState(const QString &title, const QString &text, const QString &icon)
{
    auto *w = new QWidget(this);
    auto *layout = new QVBoxLayout(w);
    layout->addStretch();
    auto *image = new QLabel(w);
    image->setPixmap(QIcon(icon).pixmap(40, 40));
    image->setAlignment(Qt::AlignCenter);
    auto *heading = new QLabel(title, w);
    QFont bold = heading->font();
    bold.setBold(true);
    heading->setFont(bold);
    heading->setAlignment(Qt::AlignCenter);
    auto *body = new QLabel(text, w);
    body->setWordWrap(true);
    body->setAlignment(Qt::AlignCenter);
    body->setForegroundRole(QPalette::PlaceholderText);
    layout->addWidget(image);
    layout->addWidget(heading);
    layout->addWidget(body);
    layout->addStretch();
    return w;
}

QWidget *MainWindow::welcomePage()
{
    return emptyState(
        tr("Where is it?"),
        tr("Press Ctrl+K and type any number a document is known by — order, PO, ASN, shipment, "
           "tracking or invoice number — or a customer's or supplier's name.\nF1 lists every "
           "shortcut."),
        QStringLiteral(":/icons/search.svg"));
}

QAction *MainWindow::addShortcutAction(QMenu *menu, const QString &text, const QKeySequence &key,
                                       const QString &icon)
{
    QAction *a = menu->addAction(text);
    a->setShortcut(key);
    a->setShortcutContext(Qt::WindowShortcut);
    if (!icon.isEmpty())
        a->setIcon(QIcon(icon));
    m_shortcutActions.append(a);
    return a;
}

void MainWindow::setUpConnection()
{
    auto *wizard = new FirstRunWizard(userConnectionProfilesPath(), this);
    wizard->setAttribute(Qt::WA_DeleteOnClose);
    connect(wizard, &FirstRunWizard::profilesWritten, this, [this](const QString &path) {
        m_banner->showNotice(
            tr("Connections saved to %1. They start the next time Sightline starts.").arg(path),
            NoticeBanner::Level::Information);
        m_noticeBar->show();
    });
    wizard->open();
}

void MainWindow::createActions()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *exportJson = addShortcutAction(file, tr("Export trace as &JSON…"), QKeySequence(tr("Ctrl+E")),
                                            QStringLiteral(":/icons/export.svg"));
    connect(exportJson, &QAction::triggered, this, [this] { exportTrace(QStringLiteral("json")); });
    QAction *exportCsv =
        addShortcutAction(file, tr("Export events as &CSV…"), QKeySequence(tr("Ctrl+Shift+E")));
    connect(exportCsv, &QAction::triggered, this, [this] { exportTrace(QStringLiteral("csv")); });
    QAction *exportPng =
        addShortcutAction(file, tr("Export timeline as &PNG…"), QKeySequence(tr("Ctrl+Shift+P")));
    connect(exportPng, &QAction::triggered, this, [this] { exportTrace(QStringLiteral("png")); });
    file->addSeparator();
    QAction *setup = addShortcutAction(file, tr("Set up a &connection…"), QKeySequence(tr("Ctrl+Shift+N")),
                                       QStringLiteral(":/icons/connection.svg"));
    connect(setup, &QAction::triggered, this, &MainWindow::setUpConnection);
    QAction *quit = addShortcutAction(file, tr("&Quit"), QKeySequence(tr("Ctrl+Q")));
    connect(quit, &QAction::triggered, this, &QWidget::close);

    QMenu *go = menuBar()->addMenu(tr("&Go"));
    QAction *search = addShortcutAction(go, tr("&Search anywhere…"), QKeySequence(tr("Ctrl+K")),
                                        QStringLiteral(":/icons/search.svg"));
    connect(search, &QAction::triggered, this, [this] { showSearch(); });
    m_pinAction = addShortcutAction(go, tr("&Pin this trace"), QKeySequence(tr("Ctrl+D")),
                                    QStringLiteral(":/icons/pin.svg"));
    m_pinAction->setCheckable(true);
    m_pinAction->setEnabled(false);
    connect(m_pinAction, &QAction::triggered, this, &MainWindow::togglePin);
    QAction *reload = addShortcutAction(go, tr("&Reload trace"), QKeySequence(tr("F5")),
                                        QStringLiteral(":/icons/reload.svg"));
    connect(reload, &QAction::triggered, m_traceView, &TraceView::reload);
    go->addSeparator();
    const QList<std::pair<QString, QWidget *>> focusTargets{
        {tr("Focus the &timeline"), m_traceView->timeline()},
        {tr("Focus the &events"), m_traceView->eventTable()},
        {tr("Focus the &documents"), m_traceView->documentTree()},
        {tr("Focus what needs &attention"), m_traceView->issueTable()},
        {tr("Focus the pa&yload"), m_traceView->inspector()->treeView()},
    };
    for (int i = 0; i < focusTargets.size(); ++i) {
        QAction *a = addShortcutAction(go, focusTargets[i].first, QKeySequence(tr("Alt+%1").arg(i + 1)));
        QWidget *target = focusTargets[i].second;
        connect(a, &QAction::triggered, target, [target] { target->setFocus(Qt::ShortcutFocusReason); });
    }
    QAction *find = addShortcutAction(go, tr("&Find in payload"), QKeySequence(tr("Ctrl+F")));
    connect(find, &QAction::triggered, m_traceView->inspector(), &PayloadInspector::focusFind);
    QAction *copy = addShortcutAction(go, tr("&Copy payload value"), QKeySequence(tr("Ctrl+Shift+C")));
    connect(copy, &QAction::triggered, m_traceView->inspector(), &PayloadInspector::copy);

    QMenu *view = menuBar()->addMenu(tr("&View"));
    QAction *zoomIn = addShortcutAction(view, tr("Zoom timeline &in"), QKeySequence(tr("Ctrl++")));
    connect(zoomIn, &QAction::triggered, m_traceView->timeline(), &TimelineWidget::zoomIn);
    QAction *zoomOut = addShortcutAction(view, tr("Zoom timeline &out"), QKeySequence(tr("Ctrl+-")));
    connect(zoomOut, &QAction::triggered, m_traceView->timeline(), &TimelineWidget::zoomOut);
    QAction *fit = addShortcutAction(view, tr("&Fit timeline"), QKeySequence(tr("Ctrl+0")));
    connect(fit, &QAction::triggered, m_traceView->timeline(), &TimelineWidget::fitToWidth);
    view->addSeparator();
    QMenu *theme = view->addMenu(tr("&Theme"));
    m_themeGroup = new QActionGroup(this);
    const QList<std::pair<QString, QString>> themes{
        {QStringLiteral("system"), tr("Follow the &system")},
        {QStringLiteral("light"), tr("&Light")},
        {QStringLiteral("dark"), tr("&Dark")},
    };
    for (const auto &[name, label] : themes) {
        QAction *a = theme->addAction(label);
        a->setCheckable(true);
        a->setData(name);
        m_themeGroup->addAction(a);
        connect(a, &QAction::triggered, this, [this, name = name] { applyTheme(name); });
    }
    QAction *toggleTheme = addShortcutAction(view, tr("Switch light/dark"), QKeySequence(tr("Ctrl+Shift+L")));
    connect(toggleTheme, &QAction::triggered, this,
            [this] { applyTheme(Theme::isDark() ? QStringLiteral("light") : QStringLiteral("dark")); });
    view->addSeparator();
    QMenu *areas = view->addMenu(tr("&Areas"));
    for (QDockWidget *d : std::as_const(m_docks))
        areas->addAction(d->toggleViewAction());
    QAction *resetLayout = view->addAction(tr("&Reset layout"));
    connect(resetLayout, &QAction::triggered, this, [this] {
        for (QDockWidget *d : std::as_const(m_docks))
            d->show();
        restoreState(m_defaultState);
    });

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    QAction *shortcuts = addShortcutAction(help, tr("&Keyboard shortcuts"), QKeySequence(tr("F1")),
                                           QStringLiteral(":/icons/keyboard.svg"));
    connect(shortcuts, &QAction::triggered, this, &MainWindow::showShortcuts);
    QAction *about = help->addAction(tr("&About Sightline"));
    connect(about, &QAction::triggered, this, [this] {
        QMessageBox::about(this, tr("About Sightline"),
                           tr("Sightline %1 — operations visibility for distributors.")
                               .arg(QApplication::applicationVersion()));
    });

    auto *toolbar = addToolBar(tr("Main"));
    toolbar->setObjectName(QStringLiteral("mainToolbar"));
    toolbar->setMovable(false);
    toolbar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    toolbar->addAction(search);
    toolbar->addAction(m_pinAction);
    toolbar->addAction(reload);
    toolbar->addAction(exportJson);
}

void MainWindow::showShortcuts()
{
    ShortcutSheet sheet(m_shortcutActions, this);
    sheet.exec();
}

void MainWindow::applyTheme(const QString &choice)
{
    Theme::apply(Theme::choiceFromName(choice));
    QSettings().setValue(QStringLiteral("view/theme"), choice);
    for (QAction *a : m_themeGroup->actions())
        a->setChecked(a->data().toString() == choice);
    if (m_traceView->traceId() != 0)
        m_traceView->reload(); // colours of the summary and timeline follow the theme
    update();
}

void MainWindow::showSearch(const QString &text)
{
    m_search->popup(text);
}

void MainWindow::openIdentifier(const QString &text)
{
    m_pendingOpen = text.trimmed();
    m_reader->search(m_pendingOpen);
}

void MainWindow::openTrace(qint64 traceId)
{
    m_tracesStack->setCurrentWidget(m_traceView);
    m_docks.front()->show();
    m_docks.front()->raise();
    m_traceView->openTrace(traceId);
}

void MainWindow::onTraceShown()
{
    const qint64 id = m_traceView->traceId();
    m_pinAction->setEnabled(id != 0);
    m_pinAction->setChecked(ConsoleSettings::isPinned(id));
    m_pinAction->setText(m_pinAction->isChecked() ? tr("Un&pin this trace") : tr("&Pin this trace"));
    setWindowTitle(tr("%1 — Sightline").arg(m_traceView->title()));
}

void MainWindow::togglePin()
{
    const qint64 id = m_traceView->traceId();
    if (id == 0)
        return;
    const bool pin = !ConsoleSettings::isPinned(id);
    ConsoleSettings::setPinned(id, m_traceView->title(), pin);
    onTraceShown();
    statusBar()->showMessage(pin ? tr("Pinned: %1").arg(m_traceView->title())
                                 : tr("Unpinned: %1").arg(m_traceView->title()),
                             4000);
}

void MainWindow::exportTrace(const QString &format)
{
    if (m_traceView->traceId() == 0) {
        statusBar()->showMessage(tr("Open a trace first (Ctrl+K)"), 4000);
        return;
    }
    const QString base = m_traceView->title().replace(u' ', u'-').toLower();
    const QString filter = format == QLatin1String("png")   ? tr("PNG image (*.png)")
                           : format == QLatin1String("csv") ? tr("CSV (*.csv)")
                                                            : tr("JSON (*.json)");
    const QString path = QFileDialog::getSaveFileName(this, tr("Export"), base + u'.' + format, filter);
    if (path.isEmpty())
        return;
    const QString error = format == QLatin1String("png")   ? m_traceView->exportTimelinePng(path)
                          : format == QLatin1String("csv") ? m_traceView->exportCsv(path)
                                                           : m_traceView->exportJson(path);
    if (!error.isEmpty())
        QMessageBox::warning(this, tr("Export failed"), error);
    else
        statusBar()->showMessage(tr("Exported %1").arg(path), 5000);
}

void MainWindow::onCommitted(const QSet<qint64> &touchedTraces, bool tracesMerged)
{
    if (!m_countsTimer.isActive())
        m_countsTimer.start();
    // Events arriving for the open trace: reload it, at most a few times a second.
    // A merge may have folded the open trace into another: reload to find out (TraceView::traceMerged).
    const qint64 open = m_traceView->traceId();
    if (open != 0 && (touchedTraces.contains(open) || tracesMerged) && !m_reloadTimer.isActive())
        m_reloadTimer.start();
}

void MainWindow::updateCounts(const StoreCounts &counts)
{
    const QLocale locale;
    m_countsLabel->setText(tr("%1 events · %2 documents · %3 traces · %4 quarantined")
                               .arg(locale.toString(counts.events), locale.toString(counts.documents),
                                    locale.toString(counts.traces), locale.toString(counts.quarantined)));
    Q_EMIT countsShown();
}

void MainWindow::saveLayout()
{
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    settings.setValue(QStringLiteral("window/traceSplitters"), m_traceView->saveSplitters());
}

bool MainWindow::restoreLayout()
{
    QSettings settings;
    restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    const bool restored = restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    m_traceView->restoreSplitters(settings.value(QStringLiteral("window/traceSplitters")).toByteArray());
    const QString theme = settings.value(QStringLiteral("view/theme"), QStringLiteral("system")).toString();
    for (QAction *a : m_themeGroup->actions())
        a->setChecked(a->data().toString() == theme);
    return restored;
}

void MainWindow::showEvent(QShowEvent *event)
{
    QMainWindow::showEvent(event);
    if (!m_hadSavedLayout && !m_sizedDocks) {
        // First run: the trace view gets most of the height, the other areas a strip below it.
        m_sizedDocks = true;
        resizeDocks({m_docks.front(), dock(QStringLiteral("exceptionsDock"))},
                    {height() * 4 / 5, height() / 5}, Qt::Vertical);
    }
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    saveLayout();
    event->accept();
}

void MainWindow::resizeEvent(QResizeEvent *event)
{
    QMainWindow::resizeEvent(event);
    if (m_search && m_search->isVisible())
        m_search->popup();
}

} // namespace sightline
