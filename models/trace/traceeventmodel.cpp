#include "models/trace/traceeventmodel.h"

#include "models/export/traceexport.h"

#include <QDateTime>
#include <QTimeZone>

namespace sightline {

QString formatConsoleTime(qint64 epochMs)
{
    return QDateTime::fromMSecsSinceEpoch(epochMs, QTimeZone::utc())
        .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
}

TraceEventModel::TraceEventModel(QObject *parent) : QAbstractTableModel(parent) {}

void TraceEventModel::setTrace(const Trace &trace, const QSet<qint64> &conflictEvents)
{
    beginResetModel();
    m_trace = trace;
    m_conflicts = conflictEvents;
    endResetModel();
}

int TraceEventModel::rowOfEvent(qint64 eventRowId) const
{
    for (int i = 0; i < m_trace.events.size(); ++i) {
        if (m_trace.events[i].rowId == eventRowId)
            return i;
    }
    return -1;
}

int TraceEventModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_trace.events.size());
}

int TraceEventModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant TraceEventModel::display(const TraceEvent &e, int column) const
{
    switch (column) {
    case TimeColumn:
        return e.occurredEstimated ? formatConsoleTime(e.occurredMs) + QStringLiteral(" ~")
                                   : formatConsoleTime(e.occurredMs);
    case ReceivedColumn:
        return formatConsoleTime(e.receivedMs);
    case LagColumn:
        return formatDuration(e.lagMs());
    case SystemColumn:
        return e.system;
    case MilestoneColumn:
        return e.milestone.isEmpty() ? e.type : e.milestone;
    case StatusColumn:
        return e.duplicates > 0 ? tr("%1 (+%2 duplicates)").arg(e.status).arg(e.duplicates) : e.status;
    case DocumentColumn: {
        const TraceDocument *d = m_trace.document(e.documentId);
        return d ? QStringLiteral("%1 %2").arg(documentKindLabel(d->ref.kind), d->ref.key) : QString();
    }
    default:
        return {};
    }
}

QVariant TraceEventModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const TraceEvent &e = m_trace.events[index.row()];
    switch (role) {
    case Qt::DisplayRole:
        return display(e, index.column());
    case Qt::ToolTipRole:
        if (m_conflicts.contains(e.rowId))
            return tr("This event takes part in a cross-system status conflict");
        if (e.occurredEstimated && index.column() == TimeColumn)
            return tr("The event carried no time: this is when it arrived");
        return display(e, index.column());
    case EventRowIdRole:
        return e.rowId;
    case DocumentIdRole:
        return e.documentId;
    case OccurredMsRole:
        return e.occurredMs;
    case ConflictRole:
        return m_conflicts.contains(e.rowId);
    default:
        return {};
    }
}

QVariant TraceEventModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case TimeColumn:
        return tr("Time (UTC)");
    case ReceivedColumn:
        return tr("Received");
    case LagColumn:
        return tr("Lag");
    case SystemColumn:
        return tr("System");
    case MilestoneColumn:
        return tr("Milestone / type");
    case StatusColumn:
        return tr("Status");
    case DocumentColumn:
        return tr("Document");
    default:
        return {};
    }
}

} // namespace sightline
