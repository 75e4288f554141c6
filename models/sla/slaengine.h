#pragma once

#include "models/domain/event.h"
#include "models/sla/policy.h"

#include <QObject>
#include <QSet>
#include <QThread>
#include <functional>
#include <memory>

class QTimer;

namespace sightline {

class SlaReader;
class SlaUpdater;
class Store;

// The SLA engine: keeps every measured document's state (open, at_risk, met, breached) current
// on its own thread ("sightline-sla"): from Store::committed() as events arrive, from a clock tick
// as time passes, and by a background recomputation when the policies change.
// All public functions may be called from any thread; the work is queued to the engine's thread.
class SlaEngine : public QObject
{
    Q_OBJECT
public:
    using Clock = std::function<qint64()>; // UTC epoch ms

    // The store must outlive the engine. tickMs = 0: no timer, only tick() moves the clock.
    SlaEngine(Store &store, SlaConfig config, Clock clock = {}, int tickMs = 60'000);
    ~SlaEngine() override;

    // Starts the thread, catches up with the store (sync) and follows its commits.
    void start();
    // Replaces the policies and recomputes every measurement in the background.
    void setConfig(const sightline::SlaConfig &config);
    // Advances open items to the clock's now.
    void tick();

Q_SIGNALS:
    // The SLA tables changed (after each committed write of the engine).
    void updated();
    // A recomputation after a policy change finished.
    void recomputed();
    void slaFailed(const QString &message);

private:
    class Worker;
    QThread m_thread;
    Worker *m_worker = nullptr;
};

} // namespace sightline
