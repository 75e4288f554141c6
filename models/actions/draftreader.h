#pragma once

#include "models/actions/resubmitdrafts.h"

#include <QObject>

namespace sightline {

// Reads an exception's edit drafts on its own connection. A worker: move it to a named reader
// thread, call load() queued; the answer comes back by signal with the caller's job id.
class DraftReader : public QObject
{
    Q_OBJECT
public:
    explicit DraftReader(QString storePath);
    ~DraftReader() override;

public Q_SLOTS:
    void load(quint64 job, qint64 exceptionId);

Q_SIGNALS:
    void loaded(quint64 job, qint64 exceptionId, const QList<sightline::ResubmitDraft> &drafts);
    void loadFailed(quint64 job, const QString &message);

private:
    QString m_path;
    QString m_connectionName;
};

} // namespace sightline

Q_DECLARE_METATYPE(sightline::ResubmitDraft)
