#pragma once

#include "models/trace/searchhit.h"

#include <QAbstractItemModel>
#include <QList>

namespace sightline {

// Search results as a two-level tree: one group per document kind (and one for partners, one
// for recent searches and pinned traces), each with its hits.
class SearchResultModel : public QAbstractItemModel
{
    Q_OBJECT
public:
    enum Role { TraceIdRole = Qt::UserRole + 1, QueryRole, IsGroupRole };

    struct Group
    {
        QString title;
        QList<SearchHit> hits;
        qsizetype found = 0; // hits the search returned for this group, shown or not
    };

    // A group shows its first hits; a longer prefix narrows it down.
    static constexpr int maxHitsPerGroup = 8;

    explicit SearchResultModel(QObject *parent = nullptr);

    // Replaces the contents with results grouped by kind, in the order of DocumentKind.
    void setResults(const SearchResults &results);
    // When nothing is typed: recent searches (their hits carry only the query in `matched`) and
    // pinned traces.
    void setSuggestions(const QStringList &recentSearches, const QList<SearchHit> &pinned);

    const QList<Group> &groups() const { return m_groups; }
    int hitCount() const;
    // The first hit (not group) index, or an invalid index.
    QModelIndex firstHit() const;

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;

private:
    static constexpr quintptr groupTag = ~quintptr(0);
    QList<Group> m_groups;
};

QString schemeLabel(const QString &scheme);

} // namespace sightline
