#pragma once

#include "models/exceptions/exceptionquery.h"

#include <QObject>
#include <QThread>

namespace sightline {

class ExceptionGroupModel;
class ExceptionQueueLoader;
class ExceptionQueueModel;
class Store;

// The exception queue's questions and answers: owns two reader threads, each with its
// ExceptionQueueLoader and connection: "sightline-exceptions-reader" for the rows (answers, pages,
// positions, the detail pane) and "sightline-exceptions-counts" for what reads every matching row
// (groups, saved views' counts), so that a slow count never delays the rows in view. Feeds the
// queue and group models. Every query runs on a worker, called queued with a job id; a question
// superseded before it ran is skipped and an answer to an older question is dropped. Lives on the
// GUI thread and never waits.
class ExceptionQueue : public QObject
{
    Q_OBJECT
public:
    // With a store, the exception tables' statistics are refreshed through its writer at start
    // (the planner needs them to pick the queue's indexes).
    ExceptionQueue(const QString &storePath, Store *store, QObject *parent = nullptr);
    ~ExceptionQueue() override;

    ExceptionQueueModel *model() const { return m_model; }
    ExceptionGroupModel *groups() const { return m_groups; }
    // For other questions on the same reader thread (detail, audit): call its slots queued.
    ExceptionQueueLoader *loader() const { return m_loader; }

    const ExceptionQuery &query() const { return m_query; }
    // A new question: the model starts over from its first page; the groups are asked again.
    void setFilter(const ExceptionFilter &filter);
    void setSort(const ExceptionSort &sort);
    void setQuery(const ExceptionQuery &query); // filter and sort at once: one question
    // Asks the same question again (the store changed): the pages held are read again with the
    // new count, so the rows in view do not flicker to placeholders.
    void refresh();
    // Finds the row of an exception in the current answer (located() follows, -1 when absent)
    // and loads its page.
    void locate(qint64 exceptionId);
    // Counts for saved views: countsLoaded(job, counts) follows, in the filters' order.
    quint64 countEach(const QList<ExceptionFilter> &filters);

Q_SIGNALS:
    void answered(int total); // the model holds a new answer
    void groupsAnswered(int total);
    void located(qint64 exceptionId, int row);
    void countsLoaded(quint64 job, const QList<int> &counts);
    void failed(const QString &message);

private:
    void ask(bool keepPages);
    void askGroups();
    void onAnswered(quint64 job, int total, const QList<ExceptionPage> &pages, qint64 nowMs);
    void onPageWanted(quint64 generation, int offset);

    QThread m_thread;
    QThread m_countsThread;
    ExceptionQueueLoader *m_loader = nullptr;
    ExceptionQueueLoader *m_counter = nullptr;
    ExceptionQueueModel *m_model = nullptr;
    ExceptionGroupModel *m_groups = nullptr;
    ExceptionQuery m_query;      // the latest question
    ExceptionQuery m_shownQuery; // the question the model's rows answer (pages are asked with it)
    quint64 m_job = 0;           // the question the model waits an answer to
    quint64 m_groupJob = 0;      // the groups' question
    quint64 m_locateJob = 0;     // the last locate
    quint64 m_nextJob = 0;
};

} // namespace sightline
