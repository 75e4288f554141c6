#pragma once

#include "models/exceptions/exceptionquery.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QList>
#include <QSet>
#include <map>

namespace sightline {

// The exception queue: a thin adapter over a window of a query's answer. It knows how many rows
// the answer has and holds the pages loaded so far (by ExceptionQueue's worker, in SQL); a row
// whose page is not here yet shows a placeholder and asks for its page (pageWanted), never
// waiting. Sorting asks for a new query (sortRequested): the model itself never sorts.
class ExceptionQueueModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        Severity,
        Type,
        Document,
        Partner,
        System,
        Status,
        Owner,
        Age,
        Occurrences,
        Detail,
        ColumnCount
    };
    enum Role {
        IdRole = Qt::UserRole + 2,
        AgeMsRole,    // how long it has been open, at the answer's now
        SeverityRole, // int(ExceptionSeverity)
        StatusRole,   // int(ExceptionStatus)
        SignatureRole,
        SnoozedRole, // bool
        LoadedRole,  // bool: false while the row is a placeholder
    };
    static constexpr int kPageSize = 100;
    static constexpr int kMaxPages = 60; // pages kept; the farthest from the last one asked go first

    explicit ExceptionQueueModel(QObject *parent = nullptr);

    // A new answer (a new query, or the same one after the store changed): `total` rows, with
    // these pages already loaded. Pages of an older generation are dropped from then on.
    void setAnswer(quint64 generation, int total, const QList<ExceptionPage> &pages, qint64 nowMs);
    // A page asked for with pageWanted; ignored when it belongs to an older answer.
    void addPage(quint64 generation, const ExceptionPage &page);
    // Forgets pages asked for but not received (the worker failed): they are asked for again.
    void forgetRequests() { m_requested.clear(); }
    // Every row at once (tests and small lists): one page per kPageSize rows.
    void setItems(const QList<ExceptionItem> &items, qint64 nowMs);

    quint64 generation() const { return m_generation; }
    qint64 nowMs() const { return m_nowMs; }
    // The offsets of the pages held, nearest the last page asked for first.
    QList<int> loadedPageOffsets() const;
    // The row's exception, or nullptr while its page is not loaded.
    const ExceptionItem *item(int row) const;
    // The row of an exception among the loaded rows; -1 when not loaded (or not in the answer).
    int rowOf(qint64 exceptionId) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    void sort(int column, Qt::SortOrder order) override;

    // "3 h", "2 d 4 h": an age for a person.
    static QString formatAge(qint64 ms);

Q_SIGNALS:
    void pageWanted(quint64 generation, int offset);
    void sortRequested(const sightline::ExceptionSort &sort);

private:
    QVariant display(const ExceptionItem &e, int column) const;
    void want(int offset) const;
    void evictFarFrom(int offset);

    quint64 m_generation = 0;
    int m_total = 0;
    qint64 m_nowMs = 0;
    std::map<int, QList<ExceptionItem>> m_pages; // offset -> rows
    mutable QSet<int> m_requested;
    mutable int m_lastWanted = 0;
};

// The groups, largest first, after a first row for all of them.
class ExceptionGroupModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Group, Count, ColumnCount };
    enum Role { SignatureRole = Qt::UserRole + 1, CountRole };

    explicit ExceptionGroupModel(QObject *parent = nullptr);
    // The groups (from exceptionqueue::groups) and the number of exceptions in all of them.
    void setGroups(QList<ExceptionGroup> groups, int total);
    const ExceptionGroup *group(int row) const;
    int rowOfSignature(const QString &signature) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<ExceptionGroup> m_groups; // [0]: all
};

} // namespace sightline
