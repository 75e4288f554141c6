#pragma once

#include "models/result.h"
#include "models/sla/policy.h"

#include <QWidget>
#include <array>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLineEdit;
class QPlainTextEdit;
class QSpinBox;
class QTimeEdit;

namespace sightline {

// The fields of one SLA policy: from and to milestones, target, calendar, scope filters, at-risk
// threshold and, for deliveries, promised transit lanes. policy() checks what was typed.
class SlaPolicyForm : public QWidget
{
    Q_OBJECT
public:
    explicit SlaPolicyForm(QWidget *parent = nullptr);

    // calendars: the names a policy may pick.
    void setPolicy(const SlaPolicy &policy, const QStringList &calendars);
    Result<SlaPolicy> policy() const;
    void setReadOnly(bool readOnly);

    QLineEdit *nameEdit() const { return m_name; }
    QDoubleSpinBox *targetBox() const { return m_target; }
    QComboBox *unitBox() const { return m_unit; }
    QComboBox *calendarBox() const { return m_calendar; }
    QSpinBox *atRiskBox() const { return m_atRisk; }
    QPlainTextEdit *lanesEdit() const { return m_lanes; }

Q_SIGNALS:
    void edited();

private:
    void build();
    void watch();
    void enableByMeasure();
    void setTarget(const SlaPolicy &policy);
    void applyTarget(SlaPolicy &policy) const;

    QLineEdit *m_name = nullptr;
    QComboBox *m_measure = nullptr;
    QComboBox *m_from = nullptr;
    QComboBox *m_to = nullptr;
    QLineEdit *m_failsOn = nullptr;
    QDoubleSpinBox *m_target = nullptr;
    QComboBox *m_unit = nullptr;
    QComboBox *m_calendar = nullptr;
    QSpinBox *m_atRisk = nullptr;
    QLineEdit *m_kinds = nullptr;
    QLineEdit *m_partners = nullptr;
    QLineEdit *m_warehouses = nullptr;
    QPlainTextEdit *m_lanes = nullptr;
    bool m_loading = false;
};

// The fields of one business calendar: name, time zone, hours per weekday, holidays.
class SlaCalendarForm : public QWidget
{
    Q_OBJECT
public:
    explicit SlaCalendarForm(QWidget *parent = nullptr);

    void setCalendar(const BusinessCalendar &calendar);
    Result<BusinessCalendar> calendar() const;
    void setReadOnly(bool readOnly);

    QComboBox *timeZoneBox() const { return m_zone; }
    QCheckBox *dayBox(int dayOfWeek) const { return m_days.at(static_cast<size_t>(dayOfWeek - 1)).open; }
    QPlainTextEdit *holidaysEdit() const { return m_holidays; }

Q_SIGNALS:
    void edited();

private:
    struct DayRow
    {
        QCheckBox *open = nullptr;
        QTimeEdit *from = nullptr;
        QTimeEdit *to = nullptr;
    };
    QWidget *makeDays();

    QLineEdit *m_name = nullptr;
    QComboBox *m_zone = nullptr;
    std::array<DayRow, 7> m_days{};
    QPlainTextEdit *m_holidays = nullptr;
    bool m_loading = false;
};

} // namespace sightline
