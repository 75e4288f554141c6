#pragma once

#include "models/result.h"

#include <QDate>
#include <QJsonObject>
#include <QSet>
#include <QString>
#include <QTimeZone>
#include <array>
#include <optional>

namespace sightline {

// When a warehouse or partner works: opening hours per weekday and holidays, in its own IANA time
// zone. Business durations count only working time; daylight-saving changes are handled by doing
// the arithmetic on local dates and converting each working interval to UTC.
class BusinessCalendar
{
public:
    struct Hours
    {
        int openMinute = 0;  // minutes after local midnight
        int closeMinute = 0; // exclusive; 1440 = midnight ending the day; open == close: closed
        bool isOpen() const { return closeMinute > openMinute; }
    };

    BusinessCalendar() = default;
    // Every day, all day, in UTC: business time equals wall-clock time.
    static BusinessCalendar allHours(const QString &name);
    // The same hours on the given weekdays (Qt::DayOfWeek, 1 = Monday).
    static BusinessCalendar weekly(const QString &name, const QByteArray &timeZone, QList<int> days,
                                   int openMinute, int closeMinute);

    // {"name", "time_zone", "hours": {"mon": "08:00-17:00", ...} or "workdays": [1..5],
    //  "open": "08:00", "close": "17:00", "holidays": ["2026-12-25"]}
    static Result<BusinessCalendar> fromJson(const QJsonObject &json);
    QJsonObject toJson() const;

    const QString &name() const { return m_name; }
    const QTimeZone &timeZone() const { return m_zone; }
    Hours hours(int dayOfWeek) const { return m_hours[static_cast<size_t>(dayOfWeek - 1)]; }
    void setHours(int dayOfWeek, Hours hours) { m_hours[static_cast<size_t>(dayOfWeek - 1)] = hours; }
    void addHoliday(QDate day) { m_holidays.insert(day); }
    bool isHoliday(QDate day) const { return m_holidays.contains(day); }
    QList<QDate> holidays() const; // in date order
    bool hasWorkingTime() const;

    bool isWorking(qint64 utcMs) const;
    // Working time between two instants (0 when to <= from).
    qint64 businessMsBetween(qint64 fromUtcMs, qint64 toUtcMs) const;
    // The instant when spanMs of working time has passed after fromUtcMs (fromUtcMs itself when
    // spanMs is 0 and fromUtcMs is working time); nullopt for a calendar without working time.
    std::optional<qint64> addBusinessMs(qint64 fromUtcMs, qint64 spanMs) const;

private:
    // The working interval of a local day in UTC ms, if the day works.
    std::optional<std::pair<qint64, qint64>> workingInterval(QDate day) const;

    QString m_name;
    QTimeZone m_zone = QTimeZone::utc();
    std::array<Hours, 7> m_hours{};
    QSet<QDate> m_holidays;
};

} // namespace sightline
