#pragma once

#include "models/audit/auditlog.h"

#include <QAbstractTableModel>

namespace sightline {

// The audit log as a table: a thin adapter over a snapshot of entries, newest first.
class AuditLogModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Seq, Time, Actor, Role, Action, Exception, Result, Reason, ColumnCount };

    explicit AuditLogModel(QObject *parent = nullptr);
    void setEntries(QList<AuditEntry> entries);
    const AuditEntry *entry(int row) const;
    int rowOfSeq(qint64 seq) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<AuditEntry> m_entries;
};

} // namespace sightline
