#include "models/sla/slaengine.h"

#include "models/sla/slalog.h"
#include "models/sla/slareader.h"
#include "models/sla/slaupdater.h"
#include "models/store/ingestbatch.h"
#include "models/store/store.h"

#include <QDateTime>
#include <QTimer>

namespace sightline {

// Lives on the engine's thread; owns the reader connection and the updater.
class SlaEngine::Worker : public QObject
{
public:
    Worker(SlaEngine &engine, Store &store, SlaConfig config, Clock clock, int tickMs)
        : m_engine(engine), m_store(store), m_config(std::move(config)), m_clock(std::move(clock)),
          m_tickMs(tickMs)
    {
        if (!m_clock)
            m_clock = [] {
                return QDateTime::currentMSecsSinceEpoch();
            };
    }

    void start()
    {
        auto reader = SlaReader::open(m_store.path());
        if (!reader)
            return fail(reader.error());
        m_reader = std::move(reader.value());
        m_updater = std::make_unique<SlaUpdater>(m_store, *m_reader, m_config);
        connect(&m_store, &Store::committed, this, [this](const IngestReport &, const QSet<qint64> &traces) {
            if (traces.isEmpty())
                return; // our own writes, or a batch without events
            m_pending.unite(traces);
            if (!m_scheduled) {
                m_scheduled = true;
                QTimer::singleShot(0, this, [this] { processPending(); });
            }
        });
        if (m_tickMs > 0) {
            auto *timer = new QTimer(this);
            connect(timer, &QTimer::timeout, this, [this] { tick(); });
            timer->start(m_tickMs);
        }
        report(m_updater->sync(m_clock()));
    }

    void setConfig(const SlaConfig &config)
    {
        if (!m_updater)
            return;
        m_updater->setConfig(config);
        m_pending.clear(); // measured anew below
        report(m_updater->recomputeAll(m_clock()));
        Q_EMIT m_engine.recomputed();
    }

    void setOverridePath(const QString &path) { m_overridePath = path; }

    void applyPolicyChange(const SlaPolicyChange &change, quint64 jobId)
    {
        auto saved = saveSlaPolicyChange(change, SlaConfig::defaults(), m_overridePath);
        // A refusal by role is audited (who tried); an edit that does not validate is the editor's.
        if (saved || !roleMay(change.actor.role, Permission::EditRules))
            audit(slaPolicyAuditEntry(
                change, saved ? saved.value() : slaConfigChanges(change.before, change.after),
                saved ? QStringLiteral("saved") : QStringLiteral("refused: ") + saved.error(),
                QDateTime::currentMSecsSinceEpoch()));
        if (!saved) {
            qCInfo(lcSla) << "policy change refused:" << saved.error();
            Q_EMIT m_engine.policyChangeFailed(jobId, saved.error());
            return;
        }
        m_config = change.after;
        Q_EMIT m_engine.policyChangeSaved(jobId, change.after, saved.value());
        setConfig(change.after);
    }

    void tick()
    {
        if (!m_updater)
            return;
        auto moved = m_updater->tick(m_clock());
        if (!moved)
            return fail(moved.error());
        if (moved.value() > 0)
            Q_EMIT m_engine.updated();
    }

private:
    void processPending()
    {
        m_scheduled = false;
        if (m_pending.isEmpty() || !m_updater)
            return;
        report(m_updater->refresh(std::exchange(m_pending, {}), m_clock()));
    }

    void audit(const AuditEntry &entry)
    {
        IngestBatch batch;
        batch.writes.push_back([entry](QSqlDatabase &db) { return appendAudit(db, entry); });
        m_store.ingest(std::move(batch), this, [this](const Result<IngestReport> &r) {
            if (!r)
                fail(QStringLiteral("The audit log did not record the policy change: ") + r.error());
        });
    }

    void report(const Status &s)
    {
        if (!s)
            return fail(s.error());
        Q_EMIT m_engine.updated();
    }

    void fail(const QString &message)
    {
        qCWarning(lcSla) << message;
        Q_EMIT m_engine.slaFailed(message);
    }

    SlaEngine &m_engine;
    Store &m_store;
    SlaConfig m_config;
    Clock m_clock;
    int m_tickMs;
    QString m_overridePath = SlaConfig::userConfigPath();
    std::unique_ptr<SlaReader> m_reader;
    std::unique_ptr<SlaUpdater> m_updater;
    QSet<qint64> m_pending;
    bool m_scheduled = false;
};

SlaEngine::SlaEngine(Store &store, SlaConfig config, Clock clock, int tickMs)
{
    m_thread.setObjectName(QStringLiteral("sightline-sla"));
    m_worker = new Worker(*this, store, std::move(config), std::move(clock), tickMs);
    m_worker->moveToThread(&m_thread);
}

SlaEngine::~SlaEngine()
{
    // The worker's reader connection belongs to the engine's thread: delete it there.
    if (m_thread.isRunning())
        QMetaObject::invokeMethod(
            m_worker, [w = m_worker] { delete w; }, Qt::BlockingQueuedConnection);
    else
        delete m_worker;
    m_thread.quit();
    m_thread.wait();
}

void SlaEngine::start()
{
    m_thread.start();
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker] { w->start(); }, Qt::QueuedConnection);
}

void SlaEngine::setConfig(const SlaConfig &config)
{
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker, config] { w->setConfig(config); }, Qt::QueuedConnection);
}

void SlaEngine::setOverridePath(const QString &path)
{
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker, path] { w->setOverridePath(path); }, Qt::QueuedConnection);
}

void SlaEngine::applyPolicyChange(const SlaPolicyChange &change, quint64 jobId)
{
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker, change, jobId] { w->applyPolicyChange(change, jobId); },
        Qt::QueuedConnection);
}

void SlaEngine::tick()
{
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker] { w->tick(); }, Qt::QueuedConnection);
}

} // namespace sightline
