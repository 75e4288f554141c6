#include "models/exceptions/exceptionqueuemodel.h"

#include <QHash>
#include <algorithm>

namespace sightline {

ExceptionQueueModel::ExceptionQueueModel(QObject *parent) : QAbstractTableModel(parent) {}

void ExceptionQueueModel::setItems(QList<ExceptionItem> items, qint64 nowMs)
{
    beginResetModel();
    m_items = std::move(items);
    m_nowMs = nowMs;
    endResetModel();
}

const ExceptionItem *ExceptionQueueModel::item(int row) const
{
    return row >= 0 && row < m_items.size() ? &m_items.at(row) : nullptr;
}

int ExceptionQueueModel::rowOf(qint64 exceptionId) const
{
    for (int i = 0; i < m_items.size(); ++i) {
        if (m_items.at(i).id == exceptionId)
            return i;
    }
    return -1;
}

int ExceptionQueueModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_items.size());
}

int ExceptionQueueModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString ExceptionQueueModel::formatAge(qint64 ms)
{
    const qint64 minutes = std::max<qint64>(ms, 0) / 60000;
    if (minutes < 60)
        return QStringLiteral("%1 min").arg(minutes);
    const qint64 hours = minutes / 60;
    if (hours < 24)
        return QStringLiteral("%1 h").arg(hours);
    return QStringLiteral("%1 d %2 h").arg(hours / 24).arg(hours % 24);
}

QVariant ExceptionQueueModel::display(const ExceptionItem &e, int column) const
{
    switch (column) {
    case Severity:
        return exceptionSeverityName(e.severity);
    case Type:
        return e.type;
    case Document:
        return e.documentKey.isEmpty() ? e.system : e.documentKey;
    case Partner:
        return e.partner;
    case System:
        return e.system;
    case Status:
        return e.isSnoozed(m_nowMs) ? QString(exceptionStatusName(e.status) + QStringLiteral(" (snoozed)"))
                                    : exceptionStatusName(e.status);
    case Owner:
        return e.owner;
    case Age:
        return formatAge(e.ageMs(m_nowMs));
    case Occurrences:
        return e.occurrences;
    case Detail:
        return e.detail;
    }
    return {};
}

QVariant ExceptionQueueModel::sortValue(const ExceptionItem &e, int column) const
{
    switch (column) {
    case Severity:
        return int(e.severity);
    case Status:
        return int(e.status);
    case Age:
        return e.ageMs(m_nowMs);
    case Occurrences:
        return e.occurrences;
    default:
        return display(e, column);
    }
}

QVariant ExceptionQueueModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_items.size() || index.column() >= ColumnCount)
        return {};
    const ExceptionItem &e = m_items.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return display(e, index.column());
    case Qt::ToolTipRole:
        return QString(e.title + u'\n' + e.detail);
    case SortRole:
        return sortValue(e, index.column());
    case IdRole:
        return e.id;
    case AgeMsRole:
        return e.ageMs(m_nowMs);
    case SeverityRole:
        return int(e.severity);
    case StatusRole:
        return int(e.status);
    case SignatureRole:
        return e.signature;
    case SnoozedRole:
        return e.isSnoozed(m_nowMs);
    default:
        return {};
    }
}

QVariant ExceptionQueueModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    static const char *names[] = {"Severity", "Type",  "Document", "Partner", "System",
                                  "Status",   "Owner", "Age",      "Seen",    "Detail"};
    return section >= 0 && section < ColumnCount ? QString::fromLatin1(names[section]) : QVariant();
}

QList<ExceptionGroup> groupExceptions(const QList<ExceptionItem> &items)
{
    QHash<QString, int> index;
    QList<ExceptionGroup> groups;
    for (const ExceptionItem &e : items) {
        auto it = index.constFind(e.signature);
        if (it == index.cend()) {
            it = index.insert(e.signature, int(groups.size()));
            groups.append({e.signature, e.type, e.title, 0, e.firstSeenMs, e.severity});
        }
        ExceptionGroup &g = groups[*it];
        ++g.count;
        g.oldestMs = std::min(g.oldestMs, e.firstSeenMs);
        g.severity = std::max(g.severity, e.severity);
    }
    std::stable_sort(groups.begin(), groups.end(),
                     [](const ExceptionGroup &a, const ExceptionGroup &b) { return a.count > b.count; });
    return groups;
}

ExceptionGroupModel::ExceptionGroupModel(QObject *parent) : QAbstractTableModel(parent) {}

void ExceptionGroupModel::setItems(const QList<ExceptionItem> &items)
{
    beginResetModel();
    m_groups = groupExceptions(items);
    ExceptionGroup all;
    all.type = QStringLiteral("All exceptions");
    all.count = int(items.size());
    m_groups.prepend(all);
    endResetModel();
}

const ExceptionGroup *ExceptionGroupModel::group(int row) const
{
    return row >= 0 && row < m_groups.size() ? &m_groups.at(row) : nullptr;
}

int ExceptionGroupModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_groups.size());
}

int ExceptionGroupModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ExceptionGroupModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_groups.size() || index.column() >= ColumnCount)
        return {};
    const ExceptionGroup &g = m_groups.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        if (index.column() == Count)
            return g.count;
        if (g.signature.isEmpty() && index.row() == 0)
            return g.type;
        return g.count > 1 ? QString(g.type + QStringLiteral(": ") + g.signature.section(u'|', 1))
                           : g.example;
    case Qt::ToolTipRole:
        return g.signature;
    case SignatureRole:
        return g.signature;
    case CountRole:
        return g.count;
    default:
        return {};
    }
}

QVariant ExceptionGroupModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    return section == Group   ? QStringLiteral("Group")
           : section == Count ? QStringLiteral("Count")
                              : QVariant();
}

} // namespace sightline
