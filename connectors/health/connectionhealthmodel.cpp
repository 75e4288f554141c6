#include "connectors/health/connectionhealthmodel.h"

#include "models/export/traceexport.h"

#include <QCoreApplication>
#include <QDateTime>

namespace sightline {

ConnectionHealthModel::ConnectionHealthModel(QObject *parent) : QAbstractTableModel(parent)
{
    qRegisterMetaType<sightline::ConnectionHealth>();
}

int ConnectionHealthModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ConnectionHealthModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ConnectionHealthModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const ConnectionHealth &h = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return display(h, index.column());
    case Qt::UserRole:
        return raw(h, index.column());
    case Qt::ToolTipRole:
        return h.lastError.isEmpty() ? QVariant() : QVariant(h.lastError);
    case Qt::TextAlignmentRole:
        return index.column() >= Lag && index.column() <= Quarantined
                   ? QVariant(int(Qt::AlignRight | Qt::AlignVCenter))
                   : QVariant();
    default:
        return {};
    }
}

QVariant ConnectionHealthModel::display(const ConnectionHealth &h, int column) const
{
    switch (column) {
    case Connection:
        return h.connection;
    case State:
        return healthStateName(h.state);
    case LastSuccess:
        return h.lastSuccessMs > 0 ? QVariant(QDateTime::fromMSecsSinceEpoch(h.lastSuccessMs)
                                                  .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")))
                                   : QVariant(tr("never"));
    case Lag:
        return formatDuration(h.lagMs);
    case LastError:
        return h.lastError;
    default:
        return raw(h, column);
    }
}

QVariant ConnectionHealthModel::raw(const ConnectionHealth &h, int column) const
{
    switch (column) {
    case Connection:
        return h.connection;
    case State:
        return int(h.state);
    case LastSuccess:
        return h.lastSuccessMs;
    case Lag:
        return h.lagMs;
    case Requests:
        return h.requests;
    case Errors:
        return h.errors;
    case Retries:
        return h.retries;
    case Events:
        return h.events;
    case Quarantined:
        return h.quarantined;
    case LastError:
        return h.lastError;
    default:
        return {};
    }
}

QVariant ConnectionHealthModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Connection:
        return tr("Connection");
    case State:
        return tr("State");
    case LastSuccess:
        return tr("Last success");
    case Lag:
        return tr("Lag");
    case Requests:
        return tr("Requests");
    case Errors:
        return tr("Errors");
    case Retries:
        return tr("Retries");
    case Events:
        return tr("Events");
    case Quarantined:
        return tr("Quarantined");
    case LastError:
        return tr("Last error");
    default:
        return {};
    }
}

void ConnectionHealthModel::update(const ConnectionHealth &health)
{
    for (qsizetype row = 0; row < m_rows.size(); ++row) {
        if (m_rows.at(row).connection == health.connection) {
            m_rows[row] = health;
            Q_EMIT dataChanged(index(int(row), 0), index(int(row), ColumnCount - 1));
            return;
        }
    }
    const int row = int(m_rows.size());
    beginInsertRows({}, row, row);
    m_rows.append(health);
    endInsertRows();
}

void ConnectionHealthModel::reset(const QList<ConnectionHealth> &connections)
{
    beginResetModel();
    m_rows = connections;
    endResetModel();
}

} // namespace sightline
