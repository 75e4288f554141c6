#pragma once

#include "models/domain/event.h"
#include "models/exceptions/exceptionrules.h"
#include "models/exceptions/ruleevaluation.h"
#include "models/store/ingestbatch.h"

#include <QHash>
#include <QObject>
#include <QSet>
#include <QThread>
#include <QTimer>
#include <functional>
#include <memory>

namespace sightline {

class Store;
class StoreReader;

// Detects exceptions as events arrive and as time passes. Fed by Store::committed: reads the
// touched traces on its own reader connection, evaluates the rules, and hands what changed to
// the store's writer (IngestBatch::writes). Time-based rules (PO not acknowledged, orphan, status
// conflict past its grace) are looked at again when they could change, on a timer driven by an
// injectable clock. Lives on its own thread (ExceptionEngineThread); call it queued.
class ExceptionEngine : public QObject
{
    Q_OBJECT
public:
    using Clock = std::function<qint64()>;

    ExceptionEngine(Store *store, ExceptionRules rules, Clock clock = {});
    ~ExceptionEngine() override;

    // How often the time-based rules are looked at (default one minute).
    void setTimerInterval(int ms) { m_timerIntervalMs = ms; }

public Q_SLOTS:
    // Opens the reader, starts the timer and raises what the quarantine holds; with catchUp,
    // evaluates what changed since the store's last evaluation (catchUp()).
    void start(bool catchUp);
    void stop();
    void onCommitted(const sightline::IngestReport &report, const QSet<qint64> &touchedTraces);
    // Evaluates these traces now; passFinished follows once the changes are committed.
    void evaluate(const QSet<qint64> &traces);
    // Looks again at the traces whose time-based rules may have changed their answer by now.
    void checkTime();
    void scanAll();
    // Evaluates only the traces with events the engine has not evaluated yet (each trace's last
    // evaluated event is kept in the store), and takes up the time-based rules' next looks where
    // the last run left them. Under other rules than last time, every trace is evaluated again.
    void catchUp();

Q_SIGNALS:
    // One detection pass is committed: traces evaluated and exceptions raised, changed or resolved.
    void passFinished(int traces);
    void engineFailed(const QString &message);

private:
    Result<TraceFacts> factsOf(qint64 traceId);
    void checkQuarantine();
    void commit(std::vector<StoreWrite> writes, int traces);
    qint64 now() const;

    Store *m_store;
    ExceptionRules m_rules;
    Clock m_clock;
    std::unique_ptr<StoreReader> m_reader;
    QString m_connectionName;
    QTimer *m_timer = nullptr;
    int m_timerIntervalMs = 60 * 1000;
    QHash<qint64, qint64> m_nextCheck; // trace -> when to look again
    qint64 m_quarantineSeen = -1;
};

// The engine on its own named thread ("sightline-exceptions"), fed by the store's commits.
class ExceptionEngineThread
{
public:
    ExceptionEngineThread(Store *store, ExceptionRules rules, ExceptionEngine::Clock clock = {},
                          bool catchUp = false);
    ~ExceptionEngineThread();
    ExceptionEngine *engine() const { return m_engine; }

private:
    QThread m_thread;
    ExceptionEngine *m_engine;
};

} // namespace sightline
