#pragma once

#include "models/domain/trace.h"

#include <QAbstractTableModel>
#include <QSet>

namespace sightline {

// The events of a trace in occurrence order: time, received, lag, system, milestone, status,
// document. Events in a cross-system conflict are flagged (ConflictRole).
class TraceEventModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        TimeColumn,
        ReceivedColumn,
        LagColumn,
        SystemColumn,
        MilestoneColumn,
        StatusColumn,
        DocumentColumn,
        ColumnCount
    };
    enum Role { EventRowIdRole = Qt::UserRole + 1, DocumentIdRole, OccurredMsRole, ConflictRole };

    explicit TraceEventModel(QObject *parent = nullptr);

    void setTrace(const Trace &trace, const QSet<qint64> &conflictEvents = {});
    const Trace &trace() const { return m_trace; }
    int rowOfEvent(qint64 eventRowId) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QVariant display(const TraceEvent &e, int column) const;

    Trace m_trace;
    QSet<qint64> m_conflicts;
};

// "2026-11-20 08:15:00" in UTC, the way the console shows times.
QString formatConsoleTime(qint64 epochMs);

} // namespace sightline
