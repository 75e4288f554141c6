#pragma once

#include "models/sla/policy.h"

#include <QAbstractTableModel>

namespace sightline {

// The policies being edited: name, what is measured, target, calendar, at-risk threshold.
class SlaPolicyModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Name, Measures, Target, Calendar, AtRisk, ColumnCount };
    using QAbstractTableModel::QAbstractTableModel;

    void setPolicies(QList<SlaPolicy> policies);
    // One row changed in place (the editor's form); no reset.
    void replacePolicy(int row, const SlaPolicy &policy);
    void appendPolicy(const SlaPolicy &policy);
    void removePolicy(int row);
    const QList<SlaPolicy> &policies() const { return m_rows; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<SlaPolicy> m_rows;
};

// The business calendars being edited: name, time zone, working days, holidays.
class SlaCalendarModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Name, TimeZone, WorkingDays, Holidays, ColumnCount };
    using QAbstractTableModel::QAbstractTableModel;

    void setCalendars(QList<BusinessCalendar> calendars);
    void replaceCalendar(int row, const BusinessCalendar &calendar);
    void appendCalendar(const BusinessCalendar &calendar);
    void removeCalendar(int row);
    const QList<BusinessCalendar> &calendars() const { return m_rows; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<BusinessCalendar> m_rows;
};

} // namespace sightline
