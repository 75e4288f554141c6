#include "models/sla/slaquery.h"

#include "models/exceptions/exceptionrules.h"
#include "models/sla/slareader.h"
#include "models/sla/slatables.h"

namespace sightline {

SlaQueryWorker::SlaQueryWorker(QString storePath, std::shared_ptr<std::atomic<quint64>> latestDashboard)
    : m_storePath(std::move(storePath)), m_latestDashboard(std::move(latestDashboard))
{}

SlaQueryWorker::~SlaQueryWorker() = default;

SlaReader *SlaQueryWorker::reader(quint64 job)
{
    if (!m_reader) {
        auto opened = SlaReader::open(m_storePath);
        if (!opened) {
            Q_EMIT failed(job, opened.error());
            return nullptr;
        }
        m_reader = std::move(opened.value());
    }
    return m_reader.get();
}

namespace {

// Buckets are whole UTC days: on an edge day, count only the part inside [fromMs, toMs). The
// smaller part of the day is read (at most half a day of rows, counted in SQL per policy).
Status trimToPeriod(SlaReader &reader, const SlaFilter &filter, const QStringList &policies,
                    QList<SlaBucket> &buckets)
{
    const qint64 day = slatables::kDayMs;
    QList<qint64> edges;
    if (filter.fromMs > slatables::dayOf(filter.fromMs) || filter.toMs - filter.fromMs < day)
        edges.append(slatables::dayOf(filter.fromMs));
    if (filter.toMs > slatables::dayOf(filter.toMs) && !edges.contains(slatables::dayOf(filter.toMs)))
        edges.append(slatables::dayOf(filter.toMs));
    for (const qint64 d : std::as_const(edges)) {
        const qint64 in0 = std::max(filter.fromMs, d), in1 = std::min(filter.toMs, d + day);
        const bool readInside = in1 - in0 <= day / 2 || (in0 > d && in1 < d + day);
        for (const QString &policy : policies) {
            if (!filter.policy.isEmpty() && filter.policy != policy)
                continue;
            // Outside of an edge day that the period starts in: [d, in0); that it ends in: [in1, d + day).
            auto counts = readInside ? reader.stateCounts(policy, in0, in1)
                          : in0 > d  ? reader.stateCounts(policy, d, in0)
                                     : reader.stateCounts(policy, in1, d + day);
            if (!counts)
                return Error{counts.error()};
            trimDayBuckets(buckets, d, policy, counts.value(),
                           readInside ? EdgePart::Inside : EdgePart::Outside);
        }
    }
    return {};
}

} // namespace

void SlaQueryWorker::loadDashboard(quint64 job, const SlaFilter &filter, const QStringList &policyOrder)
{
    if (job < m_latestDashboard->load())
        return; // superseded before it started
    SlaReader *r = reader(job);
    if (!r)
        return;
    auto buckets = r->buckets(filter.fromMs, filter.toMs);
    if (!buckets)
        return Q_EMIT failed(job, buckets.error());
    if (Status trimmed = trimToPeriod(*r, filter, policyOrder, buckets.value()); !trimmed)
        return Q_EMIT failed(job, trimmed.error());
    const QStringList rules{QString::fromUtf16(rule::AsnQuantity), QString::fromUtf16(rule::InvoiceMismatch)};
    auto counts = r->exceptionCounts(rules, filter.fromMs, filter.toMs);
    if (!counts)
        return Q_EMIT failed(job, counts.error());
    const SupplierExceptionCounts exceptions{counts->value(rules.at(0)), counts->value(rules.at(1))};
    SlaDashboardData data = buildDashboard(filter, buckets.value(), policyOrder, exceptions);
    auto atRisk = r->atRisk(filter, SlaQuery::maxItems);
    if (!atRisk)
        return Q_EMIT failed(job, atRisk.error());
    data.atRisk = atRisk.value();
    Q_EMIT dashboardLoaded(job, data);
}

void SlaQueryWorker::loadItems(quint64 job, const SlaFilter &filter, std::optional<SlaState> state,
                               bool mostOverdueFirst)
{
    SlaReader *r = reader(job);
    if (!r)
        return;
    auto items = r->items(filter, state, mostOverdueFirst ? 50 : SlaQuery::maxItems, mostOverdueFirst);
    if (!items)
        return Q_EMIT failed(job, items.error());
    Q_EMIT itemsLoaded(job, items.value());
}

SlaQuery::SlaQuery(const QString &storePath, QObject *parent) : QObject(parent)
{
    qRegisterMetaType<SlaDashboardData>();
    qRegisterMetaType<QList<SlaItem>>();
    m_thread.setObjectName(QStringLiteral("sightline-sla-query"));
    m_worker = new SlaQueryWorker(storePath, m_latestDashboard);
    m_worker->moveToThread(&m_thread);
    connect(m_worker, &SlaQueryWorker::dashboardLoaded, this, [this](quint64 job, const SlaDashboardData &d) {
        if (job == m_dashboardJob)
            Q_EMIT dashboardReady(d);
    });
    connect(m_worker, &SlaQueryWorker::itemsLoaded, this, [this](quint64 job, const QList<SlaItem> &items) {
        if (job == m_itemsJob)
            Q_EMIT itemsReady(items);
        else if (job == m_worstJob)
            Q_EMIT worstReady(items);
    });
    connect(m_worker, &SlaQueryWorker::failed, this,
            [this](quint64, const QString &message) { Q_EMIT queryFailed(message); });
    m_thread.start();
}

SlaQuery::~SlaQuery()
{
    // The reader's connection belongs to the worker's thread: delete the worker there.
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker] { delete w; }, Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
}

void SlaQuery::refresh(const SlaFilter &filter, const QStringList &policyOrder)
{
    const quint64 job = m_dashboardJob = ++m_nextJob;
    m_latestDashboard->store(job);
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker, job, filter, policyOrder] { w->loadDashboard(job, filter, policyOrder); },
        Qt::QueuedConnection);
}

void SlaQuery::drillDown(const SlaFilter &filter, std::optional<SlaState> state)
{
    const quint64 job = m_itemsJob = ++m_nextJob;
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker, job, filter, state] { w->loadItems(job, filter, state, false); },
        Qt::QueuedConnection);
}

void SlaQuery::loadWorst(const SlaFilter &filter)
{
    const quint64 job = m_worstJob = ++m_nextJob;
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker, job, filter] { w->loadItems(job, filter, SlaState::Breached, true); },
        Qt::QueuedConnection);
}

} // namespace sightline
