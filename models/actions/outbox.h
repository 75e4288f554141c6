#pragma once

#include "models/actions/replay.h"
#include "models/result.h"

#include <QObject>
#include <QSqlDatabase>
#include <QThread>
#include <QTimer>
#include <chrono>
#include <functional>
#include <memory>

namespace sightline {

class Store;

// An action whose target was unreachable (no answer, 5xx or 429 after every retry, circuit open),
// waiting to be sent again with the same idempotency key (SPEC.md §4, offline).
struct OutboxEntry
{
    qint64 id = 0;
    qint64 exceptionId = 0;
    QString action; // replay, resubmit, correct
    QString actor;
    QString role;
    QString reason;
    ReplayAction call;
    QString state = QStringLiteral("pending"); // pending, sent, rejected, cancelled
    int attempts = 0;
    QString lastError;
    qint64 createdMs = 0;
    qint64 updatedMs = 0;
    qint64 nextAttemptMs = 0;
};

namespace outboxdb {
// Queues an entry once per idempotency key (a second enqueue of the same call is a no-op). Writer only.
Status enqueue(QSqlDatabase &db, const OutboxEntry &entry);
// Pending entries whose next attempt is due, oldest first; an entry for a connection that is back
// is due whatever its backoff said.
Result<QList<OutboxEntry>> due(QSqlDatabase &db, qint64 nowMs, int limit, const QString &connectionBack = {});
Result<int> pendingCount(QSqlDatabase &db);
Result<bool> hasPending(QSqlDatabase &db, qint64 exceptionId);
// After an attempt: the new state, attempts, error and next attempt. Writer only.
Status updateAfterAttempt(QSqlDatabase &db, const OutboxEntry &entry);
} // namespace outboxdb

// Sends what waits in the outbox, one entry at a time, on its own thread: on a timer, and at once
// when told a target is back (a health change). Each entry is re-validated before it is sent
// (its exception still open), sent with its own idempotency key (so a crash between sending and
// recording, or a target that applied it before going down, still applies once), and recorded on
// the exception with history and audit. Unreachable again: it waits longer (exponential, capped).
class ActionOutbox : public QObject
{
    Q_OBJECT
public:
    using SenderFactory = std::function<std::unique_ptr<ReplaySender>()>;
    using Clock = std::function<qint64()>;

    ActionOutbox(Store *store, QString storePath, SenderFactory makeSender,
                 std::chrono::milliseconds interval = std::chrono::seconds(30), Clock clock = {});
    ~ActionOutbox() override;

public Q_SLOTS:
    // On the outbox's thread: makes the sender, starts the timer and looks at once.
    void start();
    // A target may be back: look now rather than at the next tick.
    void drainNow();
    // This connection is back (its health turned connected): its entries are sent now, however
    // long their backoff would have waited.
    void connectionBack(const QString &connection);

Q_SIGNALS:
    void pendingChanged(int pending);
    // An entry left the outbox: sent (2xx), rejected (4xx) or cancelled (its exception closed).
    void entryFinished(qint64 exceptionId, const QString &idempotencyKey, const QString &state);
    void outboxFailed(const QString &message);

private:
    void sendNext();
    void finish(OutboxEntry entry, const ReplayResponse &response);
    void recordCancel(OutboxEntry entry, const QString &why);
    void done();
    bool openReader();
    qint64 now() const;

    Store *m_store;
    QString m_path;
    SenderFactory m_makeSender;
    std::unique_ptr<ReplaySender> m_sender;
    std::chrono::milliseconds m_interval;
    Clock m_clock;
    QTimer *m_timer = nullptr;
    QString m_connectionName;
    QList<OutboxEntry> m_batch;
    bool m_draining = false;
    bool m_again = false;
    QStringList m_back; // connections back since the last look
};

// The outbox on a named thread ("sightline-outbox"), started at once and stopped on destruction.
class ActionOutboxThread
{
public:
    ActionOutboxThread(Store *store, const QString &storePath, ActionOutbox::SenderFactory makeSender,
                       std::chrono::milliseconds interval = std::chrono::seconds(30));
    ~ActionOutboxThread();
    ActionOutbox *outbox() const { return m_outbox; }
    void drainNow();
    void connectionBack(const QString &connection);

private:
    QThread m_thread;
    ActionOutbox *m_outbox = nullptr;
};

} // namespace sightline
