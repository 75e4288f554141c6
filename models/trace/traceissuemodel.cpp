#include "models/trace/traceissuemodel.h"

#include "models/trace/traceeventmodel.h"

namespace sightline {
namespace {

QString documentName(const Trace &trace, qint64 documentId)
{
    const TraceDocument *d = trace.document(documentId);
    return d ? QStringLiteral("%1 %2").arg(documentKindLabel(d->ref.kind), d->ref.key) : QString();
}

} // namespace

TraceIssueModel::TraceIssueModel(QObject *parent) : QAbstractTableModel(parent) {}

void TraceIssueModel::setAssessment(const Trace &trace, const TraceAssessment &assessment)
{
    beginResetModel();
    m_rows.clear();
    for (const StatusConflict &c : assessment.conflicts) {
        m_rows.append({GapSeverity::Breached, tr("conflict"), describeConflict(c),
                       documentName(trace, c.documentId), tr("since %1").arg(formatConsoleTime(c.sinceMs)),
                       c.documentId, c.aheadEventRowId});
    }
    for (const MilestoneGap &g : assessment.gaps) {
        const QString severity = g.skipped ? tr("missing") : gapSeverityName(g.severity);
        m_rows.append({g.severity, severity, describeGap(g), documentName(trace, g.documentId),
                       g.skipped ? QString() : formatConsoleTime(g.dueMs), g.documentId, 0});
    }
    endResetModel();
}

int TraceIssueModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int TraceIssueModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant TraceIssueModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &r = m_rows[index.row()];
    switch (role) {
    case Qt::DisplayRole:
    case Qt::ToolTipRole:
        switch (index.column()) {
        case SeverityColumn:
            return r.severityText;
        case WhatColumn:
            return r.what;
        case DocumentColumn:
            return r.document;
        case DueColumn:
            return r.due;
        default:
            return {};
        }
    case SeverityRole:
        return static_cast<int>(r.severity);
    case DocumentIdRole:
        return r.documentId;
    case EventRowIdRole:
        return r.eventRowId;
    default:
        return {};
    }
}

QVariant TraceIssueModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case SeverityColumn:
        return tr("State");
    case WhatColumn:
        return tr("What");
    case DocumentColumn:
        return tr("Document");
    case DueColumn:
        return tr("Due");
    default:
        return {};
    }
}

} // namespace sightline
