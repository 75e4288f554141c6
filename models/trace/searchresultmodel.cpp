#include "models/trace/searchresultmodel.h"

#include <QMap>

namespace sightline {

QString schemeLabel(const QString &scheme)
{
    if (scheme == QLatin1String("key"))
        return QObject::tr("number");
    if (scheme == QLatin1String("partner"))
        return QObject::tr("partner");
    QString label = scheme;
    label.replace(u'_', u' ');
    return label;
}

SearchResultModel::SearchResultModel(QObject *parent) : QAbstractItemModel(parent) {}

void SearchResultModel::setResults(const SearchResults &results)
{
    QMap<int, Group> byKind;
    Group partners{tr("Customers and suppliers"), {}, 0};
    for (const SearchHit &hit : results.hits) {
        if (hit.isPartner()) {
            partners.hits.append(hit);
            ++partners.found;
            continue;
        }
        Group &g = byKind[static_cast<int>(hit.kind)];
        if (g.title.isEmpty())
            g.title = documentKindLabel(hit.kind);
        ++g.found;
        if (g.hits.size() < maxHitsPerGroup)
            g.hits.append(hit);
    }
    beginResetModel();
    m_groups = byKind.values();
    if (!partners.hits.isEmpty())
        m_groups.append(partners);
    endResetModel();
}

void SearchResultModel::setSuggestions(const QStringList &recentSearches, const QList<SearchHit> &pinned)
{
    beginResetModel();
    m_groups.clear();
    if (!pinned.isEmpty())
        m_groups.append({tr("Pinned traces"), pinned, pinned.size()});
    if (!recentSearches.isEmpty()) {
        Group recent{tr("Recent searches"), {}, recentSearches.size()};
        for (const QString &query : recentSearches) {
            SearchHit hit;
            hit.matched = query;
            hit.scheme = QStringLiteral("recent");
            recent.hits.append(hit);
        }
        m_groups.append(recent);
    }
    endResetModel();
}

int SearchResultModel::hitCount() const
{
    int n = 0;
    for (const Group &g : m_groups)
        n += static_cast<int>(g.hits.size());
    return n;
}

QModelIndex SearchResultModel::firstHit() const
{
    for (int g = 0; g < m_groups.size(); ++g) {
        if (!m_groups[g].hits.isEmpty())
            return index(0, 0, index(g, 0));
    }
    return {};
}

QModelIndex SearchResultModel::index(int row, int column, const QModelIndex &parent) const
{
    if (!hasIndex(row, column, parent))
        return {};
    if (!parent.isValid())
        return createIndex(row, column, groupTag);
    return createIndex(row, column, static_cast<quintptr>(parent.row()));
}

QModelIndex SearchResultModel::parent(const QModelIndex &child) const
{
    if (!child.isValid() || child.internalId() == groupTag)
        return {};
    return createIndex(static_cast<int>(child.internalId()), 0, groupTag);
}

int SearchResultModel::rowCount(const QModelIndex &parent) const
{
    if (!parent.isValid())
        return static_cast<int>(m_groups.size());
    if (parent.internalId() == groupTag && parent.column() == 0)
        return static_cast<int>(m_groups[parent.row()].hits.size());
    return 0;
}

int SearchResultModel::columnCount(const QModelIndex &) const
{
    return 2;
}

QVariant SearchResultModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    if (index.internalId() == groupTag) {
        const Group &g = m_groups[index.row()];
        if (role == IsGroupRole)
            return true;
        if (role == Qt::DisplayRole)
            return index.column() == 0       ? g.title
                   : g.found > g.hits.size() ? tr("%1 of %2+").arg(g.hits.size()).arg(g.found)
                                             : QString::number(g.hits.size());
        return {};
    }
    const SearchHit &hit = m_groups[static_cast<int>(index.internalId())].hits[index.row()];
    const bool recent = hit.scheme == QLatin1String("recent");
    switch (role) {
    case IsGroupRole:
        return false;
    case TraceIdRole:
        return hit.traceId;
    case QueryRole:
        return hit.matched;
    case Qt::DisplayRole:
        if (index.column() == 0) {
            if (recent)
                return hit.matched;
            if (hit.isPartner())
                return tr("%1 %2").arg(documentKindLabel(hit.kind), hit.documentKey);
            return hit.scheme == QLatin1String("key") ? hit.documentKey : hit.matched;
        }
        if (recent)
            return tr("recent search");
        if (hit.isPartner())
            return hit.matched;
        if (hit.scheme != QLatin1String("key"))
            return tr("%1 %2").arg(documentKindLabel(hit.kind), hit.documentKey);
        return tr("trace %1").arg(hit.traceId);
    case Qt::ToolTipRole:
        return tr("%1 (%2) in trace %3").arg(hit.matched, schemeLabel(hit.scheme)).arg(hit.traceId);
    default:
        return {};
    }
}

Qt::ItemFlags SearchResultModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    if (index.internalId() == groupTag)
        return Qt::ItemIsEnabled;
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemNeverHasChildren;
}

} // namespace sightline
