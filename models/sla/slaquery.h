#pragma once

#include "models/sla/policy.h"
#include "models/sla/slareport.h"

#include <QObject>
#include <QThread>
#include <atomic>
#include <memory>
#include <optional>

namespace sightline {

class SlaReader;

// Runs dashboard queries on its own thread ("sightline-sla-query") with its own SlaReader.
class SlaQueryWorker : public QObject
{
    Q_OBJECT
public:
    // latestDashboard: the newest dashboard job asked for; older ones still queued are skipped.
    SlaQueryWorker(QString storePath, std::shared_ptr<std::atomic<quint64>> latestDashboard);
    ~SlaQueryWorker() override;

    void loadDashboard(quint64 job, const sightline::SlaFilter &filter, const QStringList &policyOrder);
    void loadItems(quint64 job, const sightline::SlaFilter &filter, std::optional<sightline::SlaState> state,
                   bool mostOverdueFirst);

Q_SIGNALS:
    void dashboardLoaded(quint64 job, const sightline::SlaDashboardData &data);
    void itemsLoaded(quint64 job, const QList<sightline::SlaItem> &items);
    void failed(quint64 job, const QString &message);

private:
    SlaReader *reader(quint64 job);

    QString m_storePath;
    std::shared_ptr<std::atomic<quint64>> m_latestDashboard;
    std::unique_ptr<SlaReader> m_reader;
};

// The GUI side: queues dashboard and drill-down queries and hands back only the newest result of
// each (a late, superseded one is dropped). Never blocks the caller.
class SlaQuery : public QObject
{
    Q_OBJECT
public:
    explicit SlaQuery(const QString &storePath, QObject *parent = nullptr);
    ~SlaQuery() override;

    // At-risk items listed with a dashboard, and items listed per drill-down.
    static constexpr int maxItems = 500;

    void refresh(const SlaFilter &filter, const QStringList &policyOrder);
    void drillDown(const SlaFilter &filter, std::optional<SlaState> state);
    // The worst offenders for a report: up to 50 breached items, most overdue first (worstReady).
    void loadWorst(const SlaFilter &filter);

Q_SIGNALS:
    void dashboardReady(const sightline::SlaDashboardData &data);
    void itemsReady(const QList<sightline::SlaItem> &items);
    void worstReady(const QList<sightline::SlaItem> &items);
    void queryFailed(const QString &message);

private:
    QThread m_thread;
    SlaQueryWorker *m_worker = nullptr;
    std::shared_ptr<std::atomic<quint64>> m_latestDashboard = std::make_shared<std::atomic<quint64>>(0);
    quint64 m_nextJob = 0;
    quint64 m_dashboardJob = 0;
    quint64 m_itemsJob = 0;
    quint64 m_worstJob = 0;
};

} // namespace sightline

Q_DECLARE_METATYPE(sightline::SlaDashboardData)
Q_DECLARE_METATYPE(sightline::SlaFilter)
