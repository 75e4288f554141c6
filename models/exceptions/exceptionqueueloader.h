#pragma once

#include "models/audit/auditlog.h"
#include "models/exceptions/exceptionquery.h"

#include <QObject>
#include <atomic>

namespace sightline {

// Reads exceptions and the audit log for the console on its own connection. A worker: move it to
// a named reader thread, call its slots queued; results come back by signal with the caller's
// job id so that stale answers can be dropped.
class ExceptionQueueLoader : public QObject
{
    Q_OBJECT
public:
    explicit ExceptionQueueLoader(QString storePath);
    ~ExceptionQueueLoader() override;

    // The newest job of each kind asked so far (any thread): an older one still waiting in the
    // queue is skipped instead of run, so that a burst of questions costs one answer.
    enum class Kind { Answer, Groups, Counts };
    void noteAsked(Kind kind, quint64 job) { m_latestAsked[int(kind)].store(job); }

    // A kept payload for a person: JSON indented, anything else as text.
    static QString readablePayload(const QByteArray &raw);

public Q_SLOTS:
    void load(quint64 job, const sightline::ExceptionFilter &filter);
    // The query's row count with the pages at these offsets (kPageSize rows each).
    void answer(quint64 job, const sightline::ExceptionQuery &query, const QList<int> &pageOffsets,
                int pageSize);
    void loadPage(quint64 job, const sightline::ExceptionQuery &query, int offset, int pageSize);
    void loadGroups(quint64 job, const sightline::ExceptionFilter &filter);
    void locate(quint64 job, const sightline::ExceptionQuery &query, qint64 exceptionId);
    // How many exceptions each filter matches (saved views' badges).
    void countEach(quint64 job, const QList<sightline::ExceptionFilter> &filters);
    void loadDetail(quint64 job, qint64 exceptionId);
    void loadAudit(quint64 job);

Q_SIGNALS:
    void answered(quint64 job, int total, const QList<sightline::ExceptionPage> &pages, qint64 nowMs);
    void pageLoaded(quint64 job, const sightline::ExceptionPage &page);
    void groupsLoaded(quint64 job, const QList<sightline::ExceptionGroup> &groups, int total);
    void located(quint64 job, qint64 exceptionId, int row);
    void countsLoaded(quint64 job, const QList<int> &counts);
    void loaded(quint64 job, const QList<sightline::ExceptionItem> &items, qint64 nowMs);
    // The exception with comments and history, and its kept payload (an event's or a quarantined input's).
    void detailLoaded(quint64 job, const sightline::ExceptionItem &item, const QByteArray &payload);
    void auditLoaded(quint64 job, const QList<sightline::AuditEntry> &entries,
                     const sightline::AuditVerification &verification);
    void loadFailed(quint64 job, const QString &message);

private:
    bool ensureOpen(quint64 job);
    bool isStale(Kind kind, quint64 job) const { return job < m_latestAsked[int(kind)].load(); }

    QString m_path;
    QString m_connectionName;
    std::atomic<quint64> m_latestAsked[3] = {0, 0, 0};
};

} // namespace sightline

Q_DECLARE_METATYPE(sightline::ExceptionFilter)
Q_DECLARE_METATYPE(sightline::AuditVerification)
