#pragma once

#include "models/domain/trace.h"
#include "models/trace/traceassessment.h"

#include <QAbstractTableModel>

namespace sightline {

// What is missing, late or contradictory in the open trace, one row each: severity, what,
// document, due. Rows point at an event (conflicts) or a document (gaps).
class TraceIssueModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { SeverityColumn, WhatColumn, DocumentColumn, DueColumn, ColumnCount };
    enum Role { SeverityRole = Qt::UserRole + 20, DocumentIdRole, EventRowIdRole };

    // SeverityRole values: the GapSeverity for gaps, and Breached for conflicts.
    explicit TraceIssueModel(QObject *parent = nullptr);

    void setAssessment(const Trace &trace, const TraceAssessment &assessment);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct Row
    {
        GapSeverity severity;
        QString severityText;
        QString what;
        QString document;
        QString due;
        qint64 documentId = 0;
        qint64 eventRowId = 0;
    };
    QList<Row> m_rows;
};

} // namespace sightline
