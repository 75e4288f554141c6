#pragma once

#include "models/sla/slareport.h"

#include <QAbstractTableModel>

namespace sightline {

// Per policy: measured, met, breached, at risk, open, on-time %, p50, p90, p95.
class SlaSummaryModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Policy, Measured, Met, Breached, AtRisk, Open, OnTime, P50, P90, P95, ColumnCount };
    enum Role { PolicyRole = Qt::UserRole + 40 };
    using QAbstractTableModel::QAbstractTableModel;

    void setSummaries(QList<SlaSummary> summaries);
    const QList<SlaSummary> &summaries() const { return m_rows; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<SlaSummary> m_rows;
};

// Measured documents: the at-risk list (time left) or the items behind a chart point.
class SlaItemModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Document, Policy, State, Partner, Warehouse, Started, Due, TimeLeft, Elapsed, ColumnCount };
    enum Role { TraceIdRole = Qt::UserRole + 50, DocumentKeyRole, SortRole };
    using QAbstractTableModel::QAbstractTableModel;

    // nowMs: what "time left" is counted from.
    void setItems(QList<SlaItem> items, qint64 nowMs);
    const QList<SlaItem> &items() const { return m_rows; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<SlaItem> m_rows;
    qint64 m_nowMs = 0;
};

// Supplier scorecards: acknowledgment latency and on-time; ASN timeliness, accuracy and completeness;
// invoice discrepancies.
class SupplierScoreModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        Supplier,
        Acknowledged,
        AckP50,
        AckOnTime,
        Asns,
        AsnOnTime,
        AsnAccurate,
        Receipts,
        AsnComplete,
        Invoices,
        InvoiceDiscrepancy,
        ColumnCount
    };
    using QAbstractTableModel::QAbstractTableModel;

    void setScores(QList<SupplierScore> scores);
    const QList<SupplierScore> &scores() const { return m_rows; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<SupplierScore> m_rows;
};

// Any table model as CSV (RFC 4180, UTF-8, header row of its column titles, display text).
QByteArray modelToCsv(const QAbstractItemModel &model);

// A dashboard's chart data as CSV: on-time % per policy and day; breaches and at-risk by partner
// or warehouse; percentiles per leg.
QByteArray onTimeCsv(const SlaDashboardData &data);
QByteArray countsCsv(const QList<SlaCount> &counts, const QString &what);

} // namespace sightline
