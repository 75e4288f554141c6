#pragma once

#include "connectors/health/connectionhealth.h"

#include <QAbstractTableModel>
#include <QList>

namespace sightline {

// Every connection's health as a table for the Connections view and the status bar: a thin
// adapter over ConnectionHealth values, updated by signal (connect SyncService::healthChanged to
// update()). Display text for people; Qt::UserRole gives the raw value (state as int, times in ms
// since the epoch, counts) for sorting and for delegates.
class ConnectionHealthModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        Connection,
        State,
        LastSuccess,
        Lag,
        Requests,
        Errors,
        Retries,
        Events,
        Quarantined,
        LastError,
        ColumnCount
    };

    explicit ConnectionHealthModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    const QList<ConnectionHealth> &connections() const { return m_rows; }

public Q_SLOTS:
    // A connection's new health: its row changes, or a row is added for a new connection.
    void update(const sightline::ConnectionHealth &health);
    // All connections at once (the rows are replaced).
    void reset(const QList<sightline::ConnectionHealth> &connections);

private:
    QVariant display(const ConnectionHealth &h, int column) const;
    QVariant raw(const ConnectionHealth &h, int column) const;

    QList<ConnectionHealth> m_rows;
};

} // namespace sightline
