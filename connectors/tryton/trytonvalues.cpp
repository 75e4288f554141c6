#include "connectors/tryton/trytonvalues.h"

#include "models/ingest/jsonspans.h"

namespace sightline::tryton {
namespace {

using json = nlohmann::json;

bool isClass(const json &v, const char *name)
{
    if (!v.is_object())
        return false;
    const auto c = v.find("__class__");
    return c != v.end() && c->is_string() && c->get<std::string>() == name;
}

int intMember(const json &v, const char *name, int fallback = -1)
{
    const auto it = v.find(name);
    return it != v.end() && it->is_number_integer() ? it->get<int>() : fallback;
}

} // namespace

std::optional<QDateTime> dateTimeOf(const json &v)
{
    if (!isClass(v, "datetime"))
        return std::nullopt;
    const QDate date(intMember(v, "year"), intMember(v, "month"), intMember(v, "day"));
    const QTime time(intMember(v, "hour", 0), intMember(v, "minute", 0), intMember(v, "second", 0),
                     intMember(v, "microsecond", 0) / 1000);
    if (!date.isValid() || !time.isValid())
        return std::nullopt;
    return QDateTime(date, time, Qt::UTC);
}

std::optional<QDate> dateOf(const json &v)
{
    if (!isClass(v, "date"))
        return std::nullopt;
    const QDate date(intMember(v, "year"), intMember(v, "month"), intMember(v, "day"));
    return date.isValid() ? std::optional<QDate>(date) : std::nullopt;
}

std::optional<QString> decimalOf(const json &v)
{
    if (!isClass(v, "Decimal"))
        return std::nullopt;
    const auto d = v.find("decimal");
    return d != v.end() && d->is_string()
               ? std::optional<QString>(QString::fromStdString(d->get<std::string>()))
               : std::nullopt;
}

std::optional<QString> textOf(const json &v)
{
    return v.is_string() ? std::optional<QString>(QString::fromStdString(v.get<std::string>()))
                         : std::nullopt;
}

json dateTimeValue(const QString &iso)
{
    // "yyyy-MM-ddTHH:mm:ss[.ffffff]"
    const QDateTime dt = QDateTime::fromString(iso.left(19), Qt::ISODate);
    const int dot = iso.indexOf(u'.');
    const int micro = dot > 0 ? iso.mid(dot + 1).leftJustified(6, u'0').left(6).toInt() : 0;
    return json{{"__class__", "datetime"},      {"year", dt.date().year()}, {"month", dt.date().month()},
                {"day", dt.date().day()},       {"hour", dt.time().hour()}, {"minute", dt.time().minute()},
                {"second", dt.time().second()}, {"microsecond", micro}};
}

json dateValue(QDate date)
{
    return json{{"__class__", "date"}, {"year", date.year()}, {"month", date.month()}, {"day", date.day()}};
}

QString isoMicros(const json &v)
{
    const auto dt = dateTimeOf(v);
    if (!dt)
        return {};
    return dt->toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss")) + u'.' +
           QStringLiteral("%1").arg(intMember(v, "microsecond", 0), 6, 10, QLatin1Char('0'));
}

std::optional<ByteSpan> memberSpan(QByteArrayView b, std::string_view name)
{
    return valueAt(b, QString(u'/' + QString::fromUtf8(name.data(), qsizetype(name.size()))));
}

} // namespace sightline::tryton
