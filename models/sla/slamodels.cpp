#include "models/sla/slamodels.h"

#include "models/export/traceexport.h"

#include <QDateTime>

namespace sightline {
namespace {

QString percentText(double p)
{
    return p < 0 ? QStringLiteral("–") : QString::number(p, 'f', 1) + u'%';
}

QString timeText(std::optional<qint64> ms)
{
    return ms ? QDateTime::fromMSecsSinceEpoch(*ms, Qt::UTC).toString(QStringLiteral("yyyy-MM-dd HH:mm"))
              : QString();
}

QByteArray csvField(const QString &text)
{
    QByteArray f = text.toUtf8();
    if (f.contains(',') || f.contains('"') || f.contains('\n') || f.contains('\r'))
        f = '"' + f.replace("\"", "\"\"") + '"';
    return f;
}

QByteArray csvLine(const QStringList &fields)
{
    QByteArray line;
    for (qsizetype i = 0; i < fields.size(); ++i)
        line += (i ? "," : "") + csvField(fields[i]);
    return line + "\r\n";
}

QString dayText(qint64 dayMs)
{
    return QDateTime::fromMSecsSinceEpoch(dayMs, Qt::UTC).date().toString(Qt::ISODate);
}

} // namespace

void SlaSummaryModel::setSummaries(QList<SlaSummary> summaries)
{
    beginResetModel();
    m_rows = std::move(summaries);
    endResetModel();
}

int SlaSummaryModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int SlaSummaryModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant SlaSummaryModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const SlaSummary &s = m_rows[index.row()];
    if (role == PolicyRole)
        return s.policy;
    if (role == Qt::TextAlignmentRole)
        return index.column() == Policy ? QVariant() : QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Policy:
        return s.policy;
    case Measured:
        return s.measured;
    case Met:
        return s.met;
    case Breached:
        return s.breached;
    case AtRisk:
        return s.atRisk;
    case Open:
        return s.open;
    case OnTime:
        return percentText(s.onTimePercent());
    case P50:
        return formatDuration(s.p50Ms);
    case P90:
        return formatDuration(s.p90Ms);
    case P95:
        return formatDuration(s.p95Ms);
    default:
        return {};
    }
}

QVariant SlaSummaryModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    static const QStringList titles{tr("Policy"), tr("Measured"), tr("Met"), tr("Breached"), tr("At risk"),
                                    tr("Open"),   tr("On time"),  tr("p50"), tr("p90"),      tr("p95")};
    return titles.value(section);
}

void SlaItemModel::setItems(QList<SlaItem> items, qint64 nowMs)
{
    beginResetModel();
    m_rows = std::move(items);
    m_nowMs = nowMs;
    endResetModel();
}

int SlaItemModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int SlaItemModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant SlaItemModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const SlaItem &item = m_rows[index.row()];
    const SlaMeasurement &m = item.measurement;
    if (role == TraceIdRole)
        return m.traceId;
    if (role == DocumentKeyRole)
        return item.documentKey;
    if (role == SortRole) {
        switch (index.column()) {
        case Started:
            return m.startMs;
        case Due:
        case TimeLeft:
            return m.dueMs.value_or(0);
        case Elapsed:
            return m.elapsedMs.value_or(0);
        default:
            return data(index, Qt::DisplayRole);
        }
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Document:
        return item.documentKey;
    case Policy:
        return m.policy;
    case State:
        return slaStateName(m.state);
    case Partner:
        return m.partner;
    case Warehouse:
        return m.warehouse;
    case Started:
        return timeText(m.startMs);
    case Due:
        return timeText(m.dueMs);
    case TimeLeft:
        return m.dueMs && !m.endMs ? formatDuration(*m.dueMs - m_nowMs) : QString();
    case Elapsed:
        return m.elapsedMs ? formatDuration(*m.elapsedMs) : QString();
    default:
        return {};
    }
}

QVariant SlaItemModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    static const QStringList titles{tr("Document"), tr("Policy"),    tr("State"),
                                    tr("Partner"),  tr("Warehouse"), tr("Started"),
                                    tr("Due"),      tr("Time left"), tr("Took")};
    return titles.value(section);
}

void SupplierScoreModel::setScores(QList<SupplierScore> scores)
{
    beginResetModel();
    m_rows = std::move(scores);
    endResetModel();
}

int SupplierScoreModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int SupplierScoreModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant SupplierScoreModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    if (role != Qt::DisplayRole)
        return {};
    const SupplierScore &s = m_rows[index.row()];
    switch (index.column()) {
    case Supplier:
        return s.supplier;
    case Acknowledged:
        return s.acknowledged;
    case AckP50:
        return s.acknowledged ? formatDuration(s.ackP50Ms) : QString();
    case AckOnTime:
        return percentText(s.ackOnTimePercent);
    case Asns:
        return s.asnMeasured;
    case AsnOnTime:
        return percentText(s.asnOnTimePercent);
    case AsnAccurate:
        return percentText(s.asnAccuratePercent);
    case Receipts:
        return s.receipts;
    case AsnComplete:
        return percentText(s.asnCompletePercent);
    case Invoices:
        return s.invoices;
    case InvoiceDiscrepancy:
        return percentText(s.invoiceDiscrepancyPercent);
    default:
        return {};
    }
}

QVariant SupplierScoreModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    static const QStringList titles{tr("Supplier"),
                                    tr("POs acknowledged"),
                                    tr("Ack p50"),
                                    tr("Ack on time"),
                                    tr("ASNs"),
                                    tr("ASN on time"),
                                    tr("ASN accurate"),
                                    tr("Receipts"),
                                    tr("ASN complete"),
                                    tr("Invoices"),
                                    tr("Invoice discrepancies")};
    return titles.value(section);
}

QByteArray modelToCsv(const QAbstractItemModel &model)
{
    QStringList header;
    for (int c = 0; c < model.columnCount(); ++c)
        header.append(model.headerData(c, Qt::Horizontal).toString());
    QByteArray out = csvLine(header);
    for (int r = 0; r < model.rowCount(); ++r) {
        QStringList fields;
        for (int c = 0; c < model.columnCount(); ++c)
            fields.append(model.data(model.index(r, c)).toString());
        out += csvLine(fields);
    }
    return out;
}

QByteArray onTimeCsv(const SlaDashboardData &data)
{
    QByteArray out = csvLine({QStringLiteral("policy"), QStringLiteral("day"),
                              QStringLiteral("on_time_percent"), QStringLiteral("decided")});
    for (auto it = data.onTime.cbegin(); it != data.onTime.cend(); ++it) {
        for (const SlaPoint &p : it.value())
            out += csvLine({it.key(), dayText(p.dayMs), QString::number(p.onTimePercent, 'f', 2),
                            QString::number(p.decided)});
    }
    return out;
}

QByteArray countsCsv(const QList<SlaCount> &counts, const QString &what)
{
    QByteArray out =
        csvLine({what, QStringLiteral("breached"), QStringLiteral("at_risk"), QStringLiteral("measured")});
    for (const SlaCount &c : counts)
        out += csvLine(
            {c.name, QString::number(c.breached), QString::number(c.atRisk), QString::number(c.measured)});
    return out;
}

} // namespace sightline
