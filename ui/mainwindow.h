#pragma once

#include "connectors/health/connectionhealth.h"
#include "models/store/storereader.h"

#include <QMainWindow>
#include <QMap>
#include <QSet>
#include <QTimer>

class QAction;
class QActionGroup;
class QDockWidget;
class QLabel;
class QStackedWidget;
class QToolBar;

namespace sightline {

class ConnectionHealthModel;
class ExceptionsPanel;
class NoticeBanner;
class SearchPopup;
class Store;
class TraceReader;
class TraceView;

// The console's main window: dockable areas for Traces, Exceptions, SLA, Connections and Audit
// (layout remembered), search anywhere (Ctrl+K), the trace view, a status bar with the store and
// its counts, light/dark themes, and every action on the keyboard (F1 lists them).
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    // store may be null (read-only console); when given, open traces reload as events commit.
    explicit MainWindow(const QString &storePath, Store *store = nullptr, QWidget *parent = nullptr);
    ~MainWindow() override;

    // Searches text and opens the first trace found (command line, screenshots).
    void openIdentifier(const QString &text);
    void openTrace(qint64 traceId);
    void showSearch(const QString &text = {});

    static constexpr int liveReloadMs = 250;

    TraceView *traceView() const { return m_traceView; }
    SearchPopup *searchPopup() const { return m_search; }
    TraceReader *reader() const { return m_reader; }
    QList<QAction *> shortcutActions() const { return m_shortcutActions; }
    QDockWidget *dock(const QString &objectName) const;

    void applyTheme(const QString &choice);

    // A problem a person should know of, in a banner above the work (never a dialog).
    void showProblem(const QString &message);
    NoticeBanner *noticeBanner() const { return m_banner; }
    ConnectionHealthModel *connectionHealth() const { return m_healthModel; }
    // A connection's health, shown in the status bar. A connection that is back sends what waits
    // for it in the outbox at once.
    void showConnectionHealth(const sightline::ConnectionHealth &health);
    QLabel *outboxLabel() const { return m_outboxLabel; }
    // The connection wizard, on demand (the first run shows it by itself).
    void setUpConnection();
    void showShortcuts();

Q_SIGNALS:
    void countsShown();

protected:
    void closeEvent(QCloseEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void showEvent(QShowEvent *event) override;

private:
    QDockWidget *addArea(const QString &objectName, const QString &title, QWidget *content,
                         Qt::DockWidgetArea area);
    QWidget *emptyState(const QString &title, const QString &text, const QString &icon);
    // Each area's content, built by the feature that owns it.
    QWidget *exceptionsArea();
    QWidget *slaArea();
    QWidget *connectionsArea();
    QWidget *auditArea();
    QWidget *welcomePage();
    void createNoticeBar();
    void createActions();
    QAction *addShortcutAction(QMenu *menu, const QString &text, const QKeySequence &key,
                               const QString &icon = {});
    void saveLayout();
    bool restoreLayout();
    void onCommitted(const QSet<qint64> &touchedTraces, bool tracesMerged);
    void onTraceShown();
    void togglePin();
    void exportTrace(const QString &format);
    void updateCounts(const StoreCounts &counts);
    void showOutboxPending(int pending);

    QString m_storePath;
    Store *m_store = nullptr;
    TraceReader *m_reader = nullptr;
    TraceView *m_traceView = nullptr;
    QStackedWidget *m_tracesStack = nullptr;
    SearchPopup *m_search = nullptr;
    QLabel *m_countsLabel = nullptr;
    QLabel *m_connectionsLabel = nullptr;
    QLabel *m_outboxLabel = nullptr; // actions waiting for their target; hidden when none
    NoticeBanner *m_banner = nullptr;
    ExceptionsPanel *m_exceptionsPanel = nullptr;
    ConnectionHealthModel *m_healthModel = nullptr;
    QToolBar *m_noticeBar = nullptr;
    QMap<QString, ConnectionHealth> m_health;
    QAction *m_pinAction = nullptr;
    QActionGroup *m_themeGroup = nullptr;
    QList<QAction *> m_shortcutActions;
    QList<QDockWidget *> m_docks;
    QByteArray m_defaultState;
    QTimer m_countsTimer;
    QTimer m_reloadTimer;
    QString m_pendingOpen;
    bool m_hadSavedLayout = false;
    bool m_sizedDocks = false;
};

} // namespace sightline
