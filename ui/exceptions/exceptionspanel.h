#pragma once

#include "models/actions/actionservice.h"
#include "models/exceptions/exceptionitem.h"

#include <QThread>
#include <QTimer>
#include <QWidget>
#include <memory>

class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QTableView;
class QTextBrowser;

namespace sightline {

class ActionOutboxThread;
class ExceptionChangeListener;
class ExceptionEngineThread;
class ExceptionFilterBar;
class ExceptionQueue;
class SavedViewModel;
class SavedViewsPane;
class ExceptionQueueLoader;
class ExceptionQueueModel;
class ResubmitDialog;
class CorrectionDialog;
class BulkJobDialog;
class Store;
class WriteService;
class WritePathReplaySender;

// The exception queue: filters, groups by signature with counts, the queue with aging colours,
// and a detail pane (error, payload, history, comments, the trace) with the actions the user's
// role allows (the action service checks again). Reads on a reader thread; detection runs on its
// own thread when the console has the store open for writing. Problems go to problem(), for the
// window's non-modal banner.
class ExceptionsPanel : public QWidget
{
    Q_OBJECT
public:
    ExceptionsPanel(const QString &storePath, Store *store, QWidget *parent = nullptr);
    ~ExceptionsPanel() override;

    // Asks the queue again with the filters as they are now (a new question: back to the top).
    void reload();
    // The same question again (the store changed): the rows in view stay.
    void refresh();
    ExceptionQueueModel *queueModel() const;
    ExceptionQueue *queue() const { return m_queue; }
    QTableView *queueView() const { return m_table; }
    const Identity &identity() const;
    // What the queue shows now (bulk jobs select by it).
    ExceptionFilter currentFilter() const;
    // The selected exceptions' ids (loaded rows only: a placeholder row has no id yet).
    QList<qint64> selectedExceptionIds() const;
    // A connection is back: what waits for it in the outbox is sent now, not at the next tick.
    void connectionBack(const QString &connection);
    // Selects an exception by id: found in SQL when its row is not loaded (screenshots, tests,
    // the trace view).
    void selectException(qint64 id);
    // Opens the non-modal edit-and-resubmit dialog on the selected exception (null when none).
    ResubmitDialog *openResubmitDialog();
    CorrectionDialog *openCorrectionDialog(); // for the selected exception, with its trace's documents
    // Opens the non-modal bulk replay dialog on these exceptions (the selected ones when empty).
    BulkJobDialog *openBulkJobDialog(QList<qint64> exceptionIds = {});

Q_SIGNALS:
    void problem(const QString &message);
    void openTraceRequested(qint64 traceId);
    void openCountChanged(int open);        // every open exception, whatever the view (the tab's title)
    void outboxPendingChanged(int pending); // actions waiting in the outbox for their target
    void loadedForTest();                   // a queue load has been shown

private:
    QWidget *buildQueue();
    QWidget *buildDetail();
    // Saved views: loaded for the user's role, applied, saved, deleted, counted.
    void loadViews();
    void applyView(int row);
    void saveCurrentView();
    void deleteView(int row);
    void askCounts();
    void startWorkers(Store *store);
    void listenForTeamChanges(Store *store);
    void onAnswered(int total);
    void onLocated(qint64 id, int row);

    void onDetail(quint64 job, const ExceptionItem &item, const QByteArray &payload);
    void onSelectionChanged();
    void onGroupChosen();
    void showDetail(const ExceptionItem &item, const QByteArray &payload);
    void updateButtons();
    void run(ActionRequest request);
    void askAndRun(ActionKind kind);
    const ExceptionItem *selected() const;

    QString m_storePath;
    ExceptionQueue *m_queue = nullptr;
    ExceptionQueueLoader *m_loader = nullptr; // the queue's, for the detail pane
    ExceptionChangeListener *m_teamChanges = nullptr;
    std::unique_ptr<ExceptionEngineThread> m_engine;
    std::unique_ptr<ActionOutboxThread> m_outbox;
    std::unique_ptr<WriteService> m_writes;
    std::unique_ptr<WritePathReplaySender> m_sender;
    Store *m_store = nullptr;
    ActionService *m_actions = nullptr;
    QTableView *m_table = nullptr;
    QTableView *m_groupView = nullptr;
    ExceptionFilterBar *m_filters = nullptr;
    SavedViewModel *m_views = nullptr;
    SavedViewsPane *m_viewsPane = nullptr;
    QString m_viewsPath;
    QLabel *m_detailTitle = nullptr;
    QTextBrowser *m_detailText = nullptr;
    QPlainTextEdit *m_payload = nullptr;
    QLineEdit *m_comment = nullptr;
    QList<std::pair<ActionKind, QPushButton *>> m_buttons;
    QPushButton *m_traceButton = nullptr;
    QTimer m_reloadTimer;
    QTimer m_ageTimer;
    quint64 m_detailJob = 0;
    quint64 m_countsJob = 0;
    qint64 m_selectedId = 0;
    qint64 m_pendingSelect = 0;
    std::optional<ExceptionItem> m_detail;
    QByteArray m_detailPayload;
};

} // namespace sightline
