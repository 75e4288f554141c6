#include "models/sla/policymodel.h"

#include "models/sla/policychange.h"

#include <QLocale>

namespace sightline {
namespace {

QString measuresText(const SlaPolicy &p)
{
    if (p.measure == SlaMeasure::Lag)
        return p.from == QLatin1String("*") ? QStringLiteral("every event: happened → received")
                                            : p.from + QStringLiteral(": happened → received");
    if (p.measure == SlaMeasure::Present)
        return p.from + QStringLiteral(" before each ") + p.to;
    return p.from + QStringLiteral(" → ") + p.to;
}

QString calendarText(const SlaPolicy &p)
{
    if (p.calendar == QLatin1String("warehouse"))
        return QStringLiteral("the warehouse's");
    if (p.calendar == QLatin1String("partner"))
        return QStringLiteral("the partner's");
    if (p.calendar.isEmpty())
        return p.businessHours ? QStringLiteral("default") : QStringLiteral("wall clock");
    return p.calendar;
}

// "08", or "08:30" when the minutes matter.
QString clockText(int minuteOfDay)
{
    const QString hours = QStringLiteral("%1").arg(minuteOfDay / 60, 2, 10, QLatin1Char('0'));
    return minuteOfDay % 60 ? hours + QStringLiteral(":%1").arg(minuteOfDay % 60, 2, 10, QLatin1Char('0'))
                            : hours;
}

QString workingDaysText(const BusinessCalendar &c)
{
    QStringList days;
    for (int d = 1; d <= 7; ++d) {
        const BusinessCalendar::Hours h = c.hours(d);
        if (h.isOpen())
            days.append(QStringLiteral("%1 %2–%3")
                            .arg(QLocale::c().dayName(d, QLocale::ShortFormat), clockText(h.openMinute),
                                 clockText(h.closeMinute)));
    }
    return days.isEmpty() ? QStringLiteral("closed") : days.join(QStringLiteral(", "));
}

template<typename Model, typename T> void replaceRow(Model *model, QList<T> &rows, int row, const T &value)
{
    if (row < 0 || row >= rows.size())
        return;
    rows[row] = value;
    Q_EMIT model->dataChanged(model->index(row, 0), model->index(row, model->columnCount() - 1));
}

} // namespace

void SlaPolicyModel::setPolicies(QList<SlaPolicy> policies)
{
    beginResetModel();
    m_rows = std::move(policies);
    endResetModel();
}

void SlaPolicyModel::replacePolicy(int row, const SlaPolicy &policy)
{
    replaceRow(this, m_rows, row, policy);
}

void SlaPolicyModel::appendPolicy(const SlaPolicy &policy)
{
    beginInsertRows({}, static_cast<int>(m_rows.size()), static_cast<int>(m_rows.size()));
    m_rows.append(policy);
    endInsertRows();
}

void SlaPolicyModel::removePolicy(int row)
{
    if (row < 0 || row >= m_rows.size())
        return;
    beginRemoveRows({}, row, row);
    m_rows.removeAt(row);
    endRemoveRows();
}

int SlaPolicyModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int SlaPolicyModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant SlaPolicyModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid) || role != Qt::DisplayRole)
        return {};
    const SlaPolicy &p = m_rows.at(index.row());
    switch (index.column()) {
    case Name:
        return p.name;
    case Measures:
        return measuresText(p);
    case Target:
        return slaTargetText(p);
    case Calendar:
        return calendarText(p);
    case AtRisk:
        return QStringLiteral("%1 %").arg(qRound(p.atRiskFraction * 100));
    }
    return {};
}

QVariant SlaPolicyModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    static const char *const names[] = {"Policy", "Measures", "Target", "Calendar", "At risk after"};
    return section >= 0 && section < ColumnCount ? QVariant(QString::fromLatin1(names[section])) : QVariant();
}

void SlaCalendarModel::setCalendars(QList<BusinessCalendar> calendars)
{
    beginResetModel();
    m_rows = std::move(calendars);
    endResetModel();
}

void SlaCalendarModel::replaceCalendar(int row, const BusinessCalendar &calendar)
{
    replaceRow(this, m_rows, row, calendar);
}

void SlaCalendarModel::appendCalendar(const BusinessCalendar &calendar)
{
    beginInsertRows({}, static_cast<int>(m_rows.size()), static_cast<int>(m_rows.size()));
    m_rows.append(calendar);
    endInsertRows();
}

void SlaCalendarModel::removeCalendar(int row)
{
    if (row < 0 || row >= m_rows.size())
        return;
    beginRemoveRows({}, row, row);
    m_rows.removeAt(row);
    endRemoveRows();
}

int SlaCalendarModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int SlaCalendarModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant SlaCalendarModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid) || role != Qt::DisplayRole)
        return {};
    const BusinessCalendar &c = m_rows.at(index.row());
    switch (index.column()) {
    case Name:
        return c.name();
    case TimeZone:
        return QString::fromUtf8(c.timeZone().id());
    case WorkingDays:
        return workingDaysText(c);
    case Holidays:
        return static_cast<int>(c.holidays().size());
    }
    return {};
}

QVariant SlaCalendarModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    static const char *const names[] = {"Calendar", "Time zone", "Working hours", "Holidays"};
    return section >= 0 && section < ColumnCount ? QVariant(QString::fromLatin1(names[section])) : QVariant();
}

} // namespace sightline
