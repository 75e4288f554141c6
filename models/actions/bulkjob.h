#pragma once

#include "models/actions/actionservice.h"
#include "models/result.h"

#include <QAbstractTableModel>
#include <QElapsedTimer>
#include <QObject>
#include <QSqlDatabase>
#include <QTimer>

namespace sightline {

// One item of a bulk job and what became of it (SPEC.md §4, bulk).
struct BulkItem
{
    int seq = 0;
    qint64 exceptionId = 0;
    QString preview;                           // what will happen: the call, or why it will be refused
    QString idempotencyKey;                    // the call's key, once known
    QString state = QStringLiteral("pending"); // pending, sending, sent, refused, failed, skipped
    int httpStatus = 0;
    QString message;
    bool finished() const { return state != u"pending" && state != u"sending"; }
    bool resumed = false; // was "sending" when its run stopped: sent again with the same key
};

struct BulkJob
{
    qint64 id = 0;
    QString action = QStringLiteral("replay");
    QString actor;
    QString role;
    QString reason;
    QString selection; // the filter or group it was made from, for a person
    bool dryRun = false;
    int ratePerSecond = 0;                   // 0: as fast as the target answers
    QString state = QStringLiteral("ready"); // ready, running, cancelled, done
    int total = 0;
    qint64 createdMs = 0;
    qint64 updatedMs = 0;
};

namespace bulkdb {
// Creates the job and its items (seq 1..n) in one transaction; returns the job id. Writer only.
Result<qint64> create(QSqlDatabase &db, const BulkJob &job, const QList<BulkItem> &items);
Result<std::optional<BulkJob>> load(QSqlDatabase &db, qint64 jobId);
// The most recent job that is not done or cancelled, if any.
Result<std::optional<BulkJob>> latestUnfinished(QSqlDatabase &db);
Result<QList<BulkItem>> items(QSqlDatabase &db, qint64 jobId);
Status updateItem(QSqlDatabase &db, qint64 jobId, const BulkItem &item, qint64 atMs);
Status setState(QSqlDatabase &db, qint64 jobId, const QString &state, qint64 atMs);
} // namespace bulkdb

// The results as CSV (seq, exception, state, HTTP status, key, message, preview), for export.
QByteArray bulkResultsCsv(const BulkJob &job, const QList<BulkItem> &items);

// Runs a bulk job through the action service, one item at a time at the job's rate: each item's
// state is written before its call ("sending") and after it (sent, refused, failed), so a run
// killed at any point resumes where it stopped: an item that was "sending" is sent again with the
// same idempotency key (the target applies it once), every other item is sent at most once.
// Lives on the thread of the service it is given.
class BulkJobRunner : public QObject
{
    Q_OBJECT
public:
    BulkJobRunner(Store *store, ActionService *service);
    ~BulkJobRunner() override;

    // Creates the job with one item per exception and its preview (what will happen: the call,
    // or why the service will refuse it); done gets the job and its items.
    void create(BulkJob job, const QList<qint64> &exceptionIds,
                std::function<void(Result<std::pair<BulkJob, QList<BulkItem>>>)> done);
    // A job and its items as they are now.
    void load(qint64 jobId, std::function<void(Result<std::pair<BulkJob, QList<BulkItem>>>)> done);
    // Runs (or resumes) a job: items not finished, in order.
    void run(qint64 jobId);
    void cancel();
    bool isRunning() const { return m_jobId != 0; }
    // For the command line and tests only: creates nothing, runs a job and waits.
    Result<BulkJob> runAndWait(qint64 jobId);

Q_SIGNALS:
    void progress(qint64 jobId, int finished, int total);
    void itemFinished(qint64 jobId, const sightline::BulkItem &item);
    void jobFinished(qint64 jobId, const QString &state); // done or cancelled
    void jobFailed(qint64 jobId, const QString &message);

private:
    void next();
    void send(BulkItem item);
    void record(BulkItem item, std::function<void()> then);
    void finish(const QString &state);

    Store *m_store;
    ActionService *m_service;
    BulkJob m_job;
    qint64 m_jobId = 0;
    QList<BulkItem> m_queue;
    int m_finished = 0;
    bool m_cancel = false;
    QTimer m_pace;
    QElapsedTimer m_clock;
    qint64 m_lastStartMs = -1;
};

// The per-item results of a bulk job for a table: thin adapter over value snapshots.
class BulkResultModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Seq, Exception, State, Status, Message, Preview, ColumnCount };
    using QAbstractTableModel::QAbstractTableModel;

    void setItems(const QList<BulkItem> &items);
    void updateItem(const BulkItem &item); // by seq
    const QList<BulkItem> &items() const { return m_items; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<BulkItem> m_items;
    QHash<int, int> m_rowOfSeq;
};

} // namespace sightline

Q_DECLARE_METATYPE(sightline::BulkItem)
