#include "models/sandbox/calendar.h"

#include <QDateTime>
#include <QJsonArray>

namespace sightline::sandbox {

namespace {
constexpr qint64 kHourMs = 3600 * 1000;

QDateTime local(const Warehouse &w, qint64 utcMs)
{
    return QDateTime::fromMSecsSinceEpoch(utcMs, QTimeZone(w.timeZone));
}
} // namespace

bool Warehouse::isWorking(qint64 utcMs) const
{
    const QDateTime t = local(*this, utcMs);
    const QDate day = t.date();
    return workdays.contains(day.dayOfWeek()) && !holidays.contains(day) && t.time().hour() >= openHour &&
           t.time().hour() < closeHour;
}

qint64 Warehouse::nextWorkingTime(qint64 utcMs) const
{
    if (isWorking(utcMs))
        return utcMs;
    const QTimeZone zone(timeZone);
    QDateTime t = local(*this, utcMs);
    QDate day = t.date();
    if (t.time().hour() >= openHour)
        day = day.addDays(1);
    for (int i = 0; i < 30; ++i, day = day.addDays(1)) {
        if (workdays.contains(day.dayOfWeek()) && !holidays.contains(day))
            return QDateTime(day, QTime(openHour, 0), zone).toMSecsSinceEpoch();
    }
    return utcMs; // a calendar without working days: do not stall the scenario
}

qint64 Warehouse::addWorkingMs(qint64 utcMs, qint64 spanMs) const
{
    qint64 at = nextWorkingTime(utcMs);
    qint64 left = spanMs;
    for (int guard = 0; left > 0 && guard < 400; ++guard) {
        const QDateTime t = local(*this, at);
        const QDateTime close(t.date(), QTime(closeHour, 0), QTimeZone(timeZone));
        const qint64 available = close.toMSecsSinceEpoch() - at;
        if (available >= left)
            return at + left;
        left -= qMax<qint64>(available, 0);
        at = nextWorkingTime(close.toMSecsSinceEpoch() + 1);
    }
    return at;
}

QJsonObject Warehouse::toJson() const
{
    QJsonArray days;
    for (int d : workdays)
        days.append(d);
    QJsonArray off;
    for (const QDate &d : holidays)
        off.append(d.toString(Qt::ISODate));
    return {{QStringLiteral("code"), code},
            {QStringLiteral("name"), name},
            {QStringLiteral("time_zone"), QString::fromLatin1(timeZone)},
            {QStringLiteral("open_hour"), openHour},
            {QStringLiteral("close_hour"), closeHour},
            {QStringLiteral("workdays"), days},
            {QStringLiteral("holidays"), off}};
}

QList<Warehouse> defaultWarehouses(int year)
{
    const QList<int> weekdays{1, 2, 3, 4, 5};
    QList<Warehouse> list;
    auto dates = [year](std::initializer_list<std::pair<int, int>> monthDays) {
        QList<QDate> out;
        for (int y = year - 1; y <= year + 1; ++y)
            for (const auto &[m, d] : monthDays)
                out.append(QDate(y, m, d));
        return out;
    };
    list.append({QStringLiteral("WH-EAST"), QStringLiteral("Newark DC"), "America/New_York", 7, 19, weekdays,
                 dates({{1, 1}, {7, 4}, {12, 25}})});
    list.append({QStringLiteral("WH-EU"), QStringLiteral("Rotterdam DC"), "Europe/Amsterdam", 6, 22, weekdays,
                 dates({{1, 1}, {4, 27}, {12, 25}, {12, 26}})});
    list.append({QStringLiteral("WH-APAC"),
                 QStringLiteral("Singapore DC"),
                 "Asia/Singapore",
                 8,
                 18,
                 {1, 2, 3, 4, 5, 6},
                 dates({{1, 1}, {5, 1}, {8, 9}})});
    return list;
}

} // namespace sightline::sandbox
