#pragma once

#include "models/audit/auditlog.h"
#include "models/exceptions/exceptionitem.h"

#include <QObject>

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

    // A kept payload for a person: JSON indented, anything else as text.
    static QString readablePayload(const QByteArray &raw);

public Q_SLOTS:
    void load(quint64 job, const sightline::ExceptionFilter &filter);
    void loadDetail(quint64 job, qint64 exceptionId);
    void loadAudit(quint64 job);

Q_SIGNALS:
    void loaded(quint64 job, const QList<sightline::ExceptionItem> &items, qint64 nowMs);
    // The exception with comments and history, and its kept payload (an event's or a quarantined input's).
    void detailLoaded(quint64 job, const sightline::ExceptionItem &item, const QByteArray &payload);
    void auditLoaded(quint64 job, const QList<sightline::AuditEntry> &entries,
                     const sightline::AuditVerification &verification);
    void loadFailed(quint64 job, const QString &message);

private:
    bool ensureOpen(quint64 job);

    QString m_path;
    QString m_connectionName;
};

} // namespace sightline

Q_DECLARE_METATYPE(sightline::ExceptionFilter)
Q_DECLARE_METATYPE(sightline::AuditVerification)
