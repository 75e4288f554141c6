#include "models/audit/auditlogmodel.h"

#include <QDateTime>
#include <algorithm>

namespace sightline {

AuditLogModel::AuditLogModel(QObject *parent) : QAbstractTableModel(parent) {}

void AuditLogModel::setEntries(QList<AuditEntry> entries)
{
    beginResetModel();
    m_entries = std::move(entries);
    std::reverse(m_entries.begin(), m_entries.end());
    endResetModel();
}

const AuditEntry *AuditLogModel::entry(int row) const
{
    return row >= 0 && row < m_entries.size() ? &m_entries.at(row) : nullptr;
}

int AuditLogModel::rowOfSeq(qint64 seq) const
{
    for (int i = 0; i < m_entries.size(); ++i) {
        if (m_entries.at(i).seq == seq)
            return i;
    }
    return -1;
}

int AuditLogModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}

int AuditLogModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant AuditLogModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_entries.size() || index.column() >= ColumnCount)
        return {};
    const AuditEntry &e = m_entries.at(index.row());
    if (role == Qt::ToolTipRole)
        return QStringLiteral("request: %1\nresponse: %2\nbefore: %3\nafter: %4\nhash: %5")
            .arg(e.request, e.response.left(500), e.before, e.after, e.hash);
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Seq:
        return e.seq;
    case Time:
        return QDateTime::fromMSecsSinceEpoch(e.atMs, Qt::UTC)
            .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
    case Actor:
        return e.actor;
    case Role:
        return e.role;
    case Action:
        return e.action;
    case Exception:
        return e.exceptionId ? QVariant(e.exceptionId) : QVariant();
    case Result:
        return e.result;
    case Reason:
        return e.reason;
    }
    return {};
}

QVariant AuditLogModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    static const char *names[] = {"#",      "When (UTC)", "Who",    "Role",
                                  "Action", "Exception",  "Result", "Reason"};
    return section >= 0 && section < ColumnCount ? QString::fromLatin1(names[section]) : QVariant();
}

} // namespace sightline
