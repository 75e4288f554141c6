#pragma once

#include "models/domain/event.h"
#include "models/sla/policy.h"
#include "models/sla/policychange.h"

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
    // Where applyPolicyChange saves (default SlaConfig::userConfigPath()). Call before start().
    void setOverridePath(const QString &path);
    // A manager's edit: the role is checked, the change saved and audited, then every measurement is
    // recomputed in the background. Answers with policyChangeSaved or policyChangeFailed (jobId).
    void applyPolicyChange(const sightline::SlaPolicyChange &change, quint64 jobId);

Q_SIGNALS:
    // The SLA tables changed (after each committed write of the engine).
    void updated();
    // A recomputation after a policy change finished.
    void recomputed();
    void slaFailed(const QString &message);
    // The change is saved and audited; recomputation follows (recomputed()).
    void policyChangeSaved(quint64 jobId, const sightline::SlaConfig &config, const QStringList &changes);
    void policyChangeFailed(quint64 jobId, const QString &message);

private:
    class Worker;
    QThread m_thread;
    Worker *m_worker = nullptr;
};

} // namespace sightline
