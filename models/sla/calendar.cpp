#include "models/sla/calendar.h"

#include <QDateTime>
#include <QJsonArray>
#include <QStringList>
#include <algorithm>

namespace sightline {
namespace {

constexpr int kDayMinutes = 24 * 60;
// How far arithmetic walks before giving up: a calendar with no working day for years is broken.
constexpr int kMaxDays = 3 * 366;

const std::array<const char *, 7> kDayNames{"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

std::optional<int> parseMinute(const QString &text)
{
    if (text == QLatin1String("24:00"))
        return kDayMinutes;
    const QTime t = QTime::fromString(text, QStringLiteral("HH:mm"));
    if (!t.isValid())
        return std::nullopt;
    return t.hour() * 60 + t.minute();
}

QString minuteText(int minute)
{
    return QStringLiteral("%1:%2")
        .arg(minute / 60, 2, 10, QLatin1Char('0'))
        .arg(minute % 60, 2, 10, QLatin1Char('0'));
}

std::optional<BusinessCalendar::Hours> parseRange(const QString &text)
{
    const QStringList parts = text.split(u'-');
    if (parts.size() != 2)
        return std::nullopt;
    const auto open = parseMinute(parts[0].trimmed());
    const auto close = parseMinute(parts[1].trimmed());
    if (!open || !close || *close <= *open)
        return std::nullopt;
    return BusinessCalendar::Hours{*open, *close};
}

// The UTC instant of a local day's minute; minute 1440 is the next day's midnight.
qint64 localInstant(QDate day, int minute, const QTimeZone &zone)
{
    if (minute >= kDayMinutes)
        return QDateTime(day.addDays(1), QTime(0, 0), zone).toMSecsSinceEpoch();
    return QDateTime(day, QTime(minute / 60, minute % 60), zone).toMSecsSinceEpoch();
}

} // namespace

BusinessCalendar BusinessCalendar::allHours(const QString &name)
{
    BusinessCalendar c;
    c.m_name = name;
    c.m_hours.fill(Hours{0, kDayMinutes});
    return c;
}

BusinessCalendar BusinessCalendar::weekly(const QString &name, const QByteArray &timeZone, QList<int> days,
                                          int openMinute, int closeMinute)
{
    BusinessCalendar c;
    c.m_name = name;
    c.m_zone = QTimeZone(timeZone);
    for (int d : days)
        c.setHours(d, Hours{openMinute, closeMinute});
    return c;
}

QList<QDate> BusinessCalendar::holidays() const
{
    QList<QDate> days(m_holidays.cbegin(), m_holidays.cend());
    std::sort(days.begin(), days.end());
    return days;
}

Result<BusinessCalendar> BusinessCalendar::fromJson(const QJsonObject &json)
{
    BusinessCalendar c;
    c.m_name = json.value(QLatin1String("name")).toString();
    if (c.m_name.isEmpty())
        return Error{QStringLiteral("a calendar has no name")};
    const auto fail = [&c](const QString &why) {
        return Error{QStringLiteral("calendar %1: %2").arg(c.m_name, why)};
    };
    const QString zone = json.value(QLatin1String("time_zone")).toString(QStringLiteral("UTC"));
    c.m_zone = QTimeZone(zone.toLatin1());
    if (!c.m_zone.isValid())
        return fail(QStringLiteral("unknown time zone %1").arg(zone));
    const QJsonObject hours = json.value(QLatin1String("hours")).toObject();
    for (int d = 1; d <= 7; ++d) {
        const QString text = hours.value(QLatin1String(kDayNames[static_cast<size_t>(d - 1)])).toString();
        if (text.isEmpty() || text == QLatin1String("closed"))
            continue;
        const auto range = parseRange(text);
        if (!range)
            return fail(QStringLiteral("hours \"%1\" are not HH:mm-HH:mm").arg(text));
        c.setHours(d, *range);
    }
    if (hours.isEmpty()) {
        const auto range =
            parseRange(json.value(QLatin1String("open")).toString(QStringLiteral("00:00")) + u'-' +
                       json.value(QLatin1String("close")).toString(QStringLiteral("24:00")));
        if (!range)
            return fail(QStringLiteral("open and close are not HH:mm"));
        const QJsonArray days = json.value(QLatin1String("workdays")).toArray({1, 2, 3, 4, 5, 6, 7});
        for (const QJsonValue &v : days) {
            if (v.toInt() < 1 || v.toInt() > 7)
                return fail(QStringLiteral("workdays are 1 (Monday) to 7 (Sunday)"));
            c.setHours(v.toInt(), *range);
        }
    }
    for (const QJsonValue &v : json.value(QLatin1String("holidays")).toArray()) {
        const QDate day = QDate::fromString(v.toString(), Qt::ISODate);
        if (!day.isValid())
            return fail(QStringLiteral("holiday \"%1\" is not a date (YYYY-MM-DD)").arg(v.toString()));
        c.m_holidays.insert(day);
    }
    return c;
}

QJsonObject BusinessCalendar::toJson() const
{
    QJsonObject week;
    for (int d = 1; d <= 7; ++d) {
        const Hours h = hours(d);
        if (h.isOpen())
            week.insert(QLatin1String(kDayNames[static_cast<size_t>(d - 1)]),
                        QString(minuteText(h.openMinute) + u'-' + minuteText(h.closeMinute)));
    }
    QList<QDate> days(m_holidays.begin(), m_holidays.end());
    std::sort(days.begin(), days.end());
    QJsonArray holidays;
    for (const QDate &d : days)
        holidays.append(d.toString(Qt::ISODate));
    return {{QStringLiteral("name"), m_name},
            {QStringLiteral("time_zone"), QString::fromLatin1(m_zone.id())},
            {QStringLiteral("hours"), week},
            {QStringLiteral("holidays"), holidays}};
}

bool BusinessCalendar::hasWorkingTime() const
{
    return std::any_of(m_hours.begin(), m_hours.end(), [](const Hours &h) { return h.isOpen(); });
}

std::optional<std::pair<qint64, qint64>> BusinessCalendar::workingInterval(QDate day) const
{
    const Hours h = hours(day.dayOfWeek());
    if (!h.isOpen() || m_holidays.contains(day))
        return std::nullopt;
    const qint64 open = localInstant(day, h.openMinute, m_zone);
    const qint64 close = localInstant(day, h.closeMinute, m_zone);
    if (close <= open)
        return std::nullopt;
    return std::make_pair(open, close);
}

bool BusinessCalendar::isWorking(qint64 utcMs) const
{
    const QDate day = QDateTime::fromMSecsSinceEpoch(utcMs, m_zone).date();
    const auto interval = workingInterval(day);
    return interval && utcMs >= interval->first && utcMs < interval->second;
}

qint64 BusinessCalendar::businessMsBetween(qint64 fromUtcMs, qint64 toUtcMs) const
{
    if (toUtcMs <= fromUtcMs)
        return 0;
    QDate day = QDateTime::fromMSecsSinceEpoch(fromUtcMs, m_zone).date();
    const QDate last = QDateTime::fromMSecsSinceEpoch(toUtcMs, m_zone).date();
    qint64 total = 0;
    for (; day <= last; day = day.addDays(1)) {
        if (const auto interval = workingInterval(day)) {
            const qint64 a = std::max(interval->first, fromUtcMs);
            const qint64 b = std::min(interval->second, toUtcMs);
            if (b > a)
                total += b - a;
        }
    }
    return total;
}

std::optional<qint64> BusinessCalendar::addBusinessMs(qint64 fromUtcMs, qint64 spanMs) const
{
    if (!hasWorkingTime())
        return std::nullopt;
    QDate day = QDateTime::fromMSecsSinceEpoch(fromUtcMs, m_zone).date();
    qint64 left = std::max<qint64>(spanMs, 0);
    for (int i = 0; i < kMaxDays; ++i, day = day.addDays(1)) {
        const auto interval = workingInterval(day);
        if (!interval || interval->second <= fromUtcMs)
            continue;
        const qint64 start = std::max(interval->first, fromUtcMs);
        const qint64 available = interval->second - start;
        if (left < available || (left == available && left > 0))
            return start + left;
        left -= available;
    }
    return std::nullopt;
}

} // namespace sightline
