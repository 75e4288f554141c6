#pragma once

#include "models/exceptions/exceptionitem.h"

#include <QAbstractTableModel>
#include <QList>

namespace sightline {

// The exception queue: a thin adapter over a snapshot of exceptions (loaded by
// ExceptionQueueLoader on a reader thread). Sort through a proxy on SortRole.
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
        SortRole = Qt::UserRole + 1, // a value that sorts as the column should
        IdRole,
        AgeMsRole,    // how long it has been open, at the snapshot's now
        SeverityRole, // int(ExceptionSeverity)
        StatusRole,   // int(ExceptionStatus)
        SignatureRole,
        SnoozedRole, // bool
    };

    explicit ExceptionQueueModel(QObject *parent = nullptr);

    // Replaces the snapshot; nowMs is the time ages are measured at.
    void setItems(QList<ExceptionItem> items, qint64 nowMs);
    const QList<ExceptionItem> &items() const { return m_items; }
    const ExceptionItem *item(int row) const;
    int rowOf(qint64 exceptionId) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // "3 h", "2 d 4 h": an age for a person.
    static QString formatAge(qint64 ms);

private:
    QVariant display(const ExceptionItem &e, int column) const;
    QVariant sortValue(const ExceptionItem &e, int column) const;

    QList<ExceptionItem> m_items;
    qint64 m_nowMs = 0;
};

// Exceptions with one cause across many documents: a group per signature, with its count.
struct ExceptionGroup
{
    QString signature; // empty: every exception
    QString type;
    QString example; // one title
    int count = 0;
    qint64 oldestMs = 0;
    ExceptionSeverity severity = ExceptionSeverity::Low; // the highest in the group
};

QList<ExceptionGroup> groupExceptions(const QList<ExceptionItem> &items);

// The groups, largest first, after a first row for all of them.
class ExceptionGroupModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Group, Count, ColumnCount };
    enum Role { SignatureRole = Qt::UserRole + 1, CountRole };

    explicit ExceptionGroupModel(QObject *parent = nullptr);
    void setItems(const QList<ExceptionItem> &items);
    const ExceptionGroup *group(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<ExceptionGroup> m_groups; // [0]: all
};

} // namespace sightline
