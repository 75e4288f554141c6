#include "models/exceptions/exceptionqueue.h"

#include "models/exceptions/exceptionqueueloader.h"
#include "models/exceptions/exceptionqueuemodel.h"
#include "models/store/store.h"

namespace sightline {

ExceptionQueue::ExceptionQueue(const QString &storePath, Store *store, QObject *parent) : QObject(parent)
{
    m_model = new ExceptionQueueModel(this);
    m_groups = new ExceptionGroupModel(this);
    m_thread.setObjectName(QStringLiteral("sightline-exceptions-reader"));
    m_loader = new ExceptionQueueLoader(storePath);
    m_loader->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_loader, &QObject::deleteLater);
    m_countsThread.setObjectName(QStringLiteral("sightline-exceptions-counts"));
    m_counter = new ExceptionQueueLoader(storePath);
    m_counter->moveToThread(&m_countsThread);
    connect(&m_countsThread, &QThread::finished, m_counter, &QObject::deleteLater);
    connect(m_loader, &ExceptionQueueLoader::answered, this, &ExceptionQueue::onAnswered);
    connect(m_loader, &ExceptionQueueLoader::pageLoaded, m_model, &ExceptionQueueModel::addPage);
    connect(m_counter, &ExceptionQueueLoader::groupsLoaded, this,
            [this](quint64 job, const QList<ExceptionGroup> &groups, int total) {
                if (job != m_groupJob)
                    return;
                m_groups->setGroups(groups, total);
                Q_EMIT groupsAnswered(total);
            });
    connect(m_loader, &ExceptionQueueLoader::located, this, [this](quint64 job, qint64 id, int row) {
        if (job != m_locateJob)
            return;
        if (row >= 0)
            m_model->index(row, 0).data(); // asks for its page when it is not here
        Q_EMIT located(id, row);
    });
    connect(m_counter, &ExceptionQueueLoader::countsLoaded, this, &ExceptionQueue::countsLoaded);
    connect(m_loader, &ExceptionQueueLoader::loadFailed, this, [this](quint64 job, const QString &message) {
        if (job == m_model->generation())
            m_model->forgetRequests();
        if (job == m_job || job == m_model->generation())
            Q_EMIT failed(message);
    });
    connect(m_counter, &ExceptionQueueLoader::loadFailed, this, [this](quint64 job, const QString &message) {
        if (job == m_groupJob)
            Q_EMIT failed(message);
    });
    connect(m_model, &ExceptionQueueModel::pageWanted, this, &ExceptionQueue::onPageWanted);
    connect(m_model, &ExceptionQueueModel::sortRequested, this, &ExceptionQueue::setSort);
    m_thread.start();
    m_countsThread.start();
    if (store)
        store->ingest(IngestBatch{{}, {}, {}, {exceptionqueue::analyzeWrite()}}, this,
                      [this](Result<IngestReport> r) {
                          if (!r)
                              Q_EMIT failed(r.error());
                      });
}

ExceptionQueue::~ExceptionQueue()
{
    m_thread.quit();
    m_countsThread.quit();
    m_thread.wait();
    m_countsThread.wait();
}

void ExceptionQueue::setQuery(const ExceptionQuery &query)
{
    m_query.sort = query.sort;
    setFilter(query.filter);
}

void ExceptionQueue::setFilter(const ExceptionFilter &filter)
{
    const bool sameGroups = [&] {
        ExceptionFilter a = filter, b = m_query.filter;
        a.signature.clear();
        b.signature.clear();
        return a == b;
    }();
    m_query.filter = filter;
    ask(false);
    if (!sameGroups || m_groupJob == 0)
        askGroups();
}

void ExceptionQueue::setSort(const ExceptionSort &sort)
{
    m_query.sort = sort;
    ask(false);
}

void ExceptionQueue::refresh()
{
    ask(true);
    askGroups();
}

void ExceptionQueue::ask(bool keepPages)
{
    const quint64 job = ++m_nextJob;
    m_job = job;
    m_loader->noteAsked(ExceptionQueueLoader::Kind::Answer, job);
    QList<int> offsets{0};
    if (keepPages) {
        offsets = m_model->loadedPageOffsets().mid(0, 8); // the rows in view, and a few around them
        if (offsets.isEmpty())
            offsets = {0};
    }
    QMetaObject::invokeMethod(
        m_loader,
        [loader = m_loader, job, q = m_query, offsets] {
            loader->answer(job, q, offsets, ExceptionQueueModel::kPageSize);
        },
        Qt::QueuedConnection);
}

void ExceptionQueue::askGroups()
{
    const quint64 job = ++m_nextJob;
    m_groupJob = job;
    m_counter->noteAsked(ExceptionQueueLoader::Kind::Groups, job);
    QMetaObject::invokeMethod(
        m_counter, [loader = m_counter, job, f = m_query.filter] { loader->loadGroups(job, f); },
        Qt::QueuedConnection);
}

void ExceptionQueue::onAnswered(quint64 job, int total, const QList<ExceptionPage> &pages, qint64 nowMs)
{
    if (job != m_job)
        return; // a newer question is on its way
    m_shownQuery = m_query;
    m_model->setAnswer(job, total, pages, nowMs);
    Q_EMIT answered(total);
}

void ExceptionQueue::onPageWanted(quint64 generation, int offset)
{
    QMetaObject::invokeMethod(
        m_loader,
        [loader = m_loader, generation, q = m_shownQuery, offset] {
            loader->loadPage(generation, q, offset, ExceptionQueueModel::kPageSize);
        },
        Qt::QueuedConnection);
}

void ExceptionQueue::locate(qint64 exceptionId)
{
    const quint64 job = ++m_nextJob;
    m_locateJob = job;
    QMetaObject::invokeMethod(
        m_loader,
        [loader = m_loader, job, q = m_shownQuery, exceptionId] { loader->locate(job, q, exceptionId); },
        Qt::QueuedConnection);
}

quint64 ExceptionQueue::countEach(const QList<ExceptionFilter> &filters)
{
    const quint64 job = ++m_nextJob;
    m_counter->noteAsked(ExceptionQueueLoader::Kind::Counts, job);
    QMetaObject::invokeMethod(
        m_counter, [loader = m_counter, job, filters] { loader->countEach(job, filters); },
        Qt::QueuedConnection);
    return job;
}

} // namespace sightline
