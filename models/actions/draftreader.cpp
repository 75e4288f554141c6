#include "models/actions/draftreader.h"

#include "models/store/connection.h"

namespace sightline {

DraftReader::DraftReader(QString storePath) : m_path(std::move(storePath)) {}

DraftReader::~DraftReader()
{
    if (!m_connectionName.isEmpty())
        closeConnection(m_connectionName);
}

void DraftReader::load(quint64 job, qint64 exceptionId)
{
    if (m_connectionName.isEmpty()) {
        const QString name = uniqueConnectionName(u"drafts-reader");
        if (auto db = openReadConnection(m_path, name); !db) {
            Q_EMIT loadFailed(job, db.error());
            return;
        }
        m_connectionName = name;
    }
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    auto drafts = draftdb::list(db, exceptionId);
    if (!drafts) {
        Q_EMIT loadFailed(job, drafts.error());
        return;
    }
    Q_EMIT loaded(job, exceptionId, drafts.value());
}

} // namespace sightline
