#include "models/exceptions/exceptionqueuemodel.h"

#include <algorithm>
#include <cstdlib>

namespace sightline {

static_assert(int(ExceptionSortKey::Detail) == ExceptionQueueModel::Detail, "sort keys are the columns");

ExceptionQueueModel::ExceptionQueueModel(QObject *parent) : QAbstractTableModel(parent) {}

void ExceptionQueueModel::setAnswer(quint64 generation, int total, const QList<ExceptionPage> &pages,
                                    qint64 nowMs)
{
    beginResetModel();
    m_generation = generation;
    m_total = std::max(total, 0);
    m_nowMs = nowMs;
    m_pages.clear();
    m_requested.clear();
    for (const ExceptionPage &p : pages) {
        if (p.offset >= 0 && p.offset < m_total && !p.rows.isEmpty())
            m_pages[p.offset] = p.rows.mid(0, m_total - p.offset);
    }
    endResetModel();
}

void ExceptionQueueModel::addPage(quint64 generation, const ExceptionPage &page)
{
    if (generation != m_generation)
        return; // an answer to an older question
    m_requested.remove(page.offset);
    if (page.offset < 0 || page.offset >= m_total || page.rows.isEmpty())
        return;
    evictFarFrom(page.offset);
    const QList<ExceptionItem> rows = page.rows.mid(0, m_total - page.offset);
    m_pages[page.offset] = rows;
    Q_EMIT dataChanged(index(page.offset, 0), index(page.offset + int(rows.size()) - 1, ColumnCount - 1));
}

void ExceptionQueueModel::setItems(const QList<ExceptionItem> &items, qint64 nowMs)
{
    QList<ExceptionPage> pages;
    for (int offset = 0; offset < items.size(); offset += kPageSize)
        pages.append({offset, items.mid(offset, kPageSize)});
    setAnswer(m_generation + 1, int(items.size()), pages, nowMs);
}

void ExceptionQueueModel::evictFarFrom(int offset)
{
    while (m_pages.size() >= std::size_t(kMaxPages)) {
        const int first = m_pages.begin()->first;
        const int last = m_pages.rbegin()->first;
        m_pages.erase(std::abs(first - offset) >= std::abs(last - offset) ? first : last);
    }
}

QList<int> ExceptionQueueModel::loadedPageOffsets() const
{
    QList<int> out;
    for (const auto &[offset, rows] : m_pages)
        out.append(offset);
    std::sort(out.begin(), out.end(),
              [this](int a, int b) { return std::abs(a - m_lastWanted) < std::abs(b - m_lastWanted); });
    return out;
}

const ExceptionItem *ExceptionQueueModel::item(int row) const
{
    if (row < 0 || row >= m_total)
        return nullptr;
    const int offset = row - row % kPageSize;
    const auto it = m_pages.find(offset);
    if (it == m_pages.end() || row - offset >= it->second.size())
        return nullptr;
    return &it->second.at(row - offset);
}

int ExceptionQueueModel::rowOf(qint64 exceptionId) const
{
    for (const auto &[offset, rows] : m_pages) {
        for (int i = 0; i < rows.size(); ++i) {
            if (rows.at(i).id == exceptionId)
                return offset + i;
        }
    }
    return -1;
}

void ExceptionQueueModel::want(int offset) const
{
    m_lastWanted = offset;
    if (m_requested.contains(offset))
        return;
    m_requested.insert(offset);
    Q_EMIT const_cast<ExceptionQueueModel *>(this)->pageWanted(m_generation, offset);
}

void ExceptionQueueModel::sort(int column, Qt::SortOrder order)
{
    if (column >= 0 && column < ColumnCount)
        Q_EMIT sortRequested(ExceptionSort{ExceptionSortKey(column), order});
}

int ExceptionQueueModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : m_total;
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

QVariant ExceptionQueueModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_total || index.column() >= ColumnCount)
        return {};
    const ExceptionItem *loaded = item(index.row());
    if (!loaded) {
        // Not here yet: ask for its page and show a placeholder meanwhile.
        want(index.row() - index.row() % kPageSize);
        if (role == Qt::DisplayRole && index.column() == Type)
            return tr("Loading…");
        return role == LoadedRole ? QVariant(false) : QVariant();
    }
    const ExceptionItem &e = *loaded;
    switch (role) {
    case Qt::DisplayRole:
        return display(e, index.column());
    case Qt::ToolTipRole:
        return QString(e.title + u'\n' + e.detail);
    case LoadedRole:
        return true;
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

ExceptionGroupModel::ExceptionGroupModel(QObject *parent) : QAbstractTableModel(parent) {}

void ExceptionGroupModel::setGroups(QList<ExceptionGroup> groups, int total)
{
    beginResetModel();
    m_groups = std::move(groups);
    ExceptionGroup all;
    all.type = tr("All exceptions");
    all.count = total;
    m_groups.prepend(all);
    endResetModel();
}

int ExceptionGroupModel::rowOfSignature(const QString &signature) const
{
    for (int r = 1; r < m_groups.size(); ++r) {
        if (m_groups.at(r).signature == signature)
            return r;
    }
    return 0;
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
        return g.example.isEmpty() ? g.type : g.example;
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
