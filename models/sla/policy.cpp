#include "models/sla/policy.h"

#include "models/domain/milestone.h"
#include "models/sla/slalog.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QStandardPaths>

namespace sightline {
namespace {

QStringList strings(const QJsonValue &value)
{
    QStringList out;
    for (const QJsonValue &v : value.toArray())
        out.append(v.toString());
    return out;
}

QJsonArray array(const QStringList &list)
{
    return QJsonArray::fromStringList(list);
}

const char *measureName(SlaMeasure m)
{
    switch (m) {
    case SlaMeasure::Within:
        return "within";
    case SlaMeasure::AtLeast:
        return "at_least";
    case SlaMeasure::Lag:
        return "lag";
    case SlaMeasure::Present:
        return "present";
    }
    return "within";
}

Result<QJsonObject> parseObject(const QByteArray &json, const char *what)
{
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return Error{QStringLiteral("the %1 are not a JSON object: %2")
                         .arg(QLatin1String(what), error.error != QJsonParseError::NoError
                                                       ? error.errorString()
                                                       : QStringLiteral("not an object"))};
    return doc.object();
}

template<typename T> void replaceByName(QList<T> &list, T item, const QString &name)
{
    for (T &existing : list) {
        if (existing.name == name) {
            existing = std::move(item);
            return;
        }
    }
    list.append(std::move(item));
}

bool isAny(const QString &name)
{
    return name.isEmpty() || name == QLatin1String("*");
}

Result<QList<TransitLane>> lanesFromJson(const QJsonValue &value)
{
    QList<TransitLane> lanes;
    for (const QJsonValue &v : value.toArray()) {
        const QJsonObject o = v.toObject();
        TransitLane lane{o.value(QLatin1String("warehouse")).toString(),
                         o.value(QLatin1String("partner")).toString(),
                         o.value(QLatin1String("transit_days")).toDouble(-1)};
        if (lane.transitDays <= 0)
            return Error{QStringLiteral("a lane needs a positive transit_days")};
        lanes.append(lane);
    }
    return lanes;
}

QJsonArray lanesToJson(const QList<TransitLane> &lanes)
{
    QJsonArray out;
    for (const TransitLane &lane : lanes) {
        QJsonObject o{{QStringLiteral("transit_days"), lane.transitDays}};
        if (!isAny(lane.warehouse))
            o.insert(QStringLiteral("warehouse"), lane.warehouse);
        if (!isAny(lane.partner))
            o.insert(QStringLiteral("partner"), lane.partner);
        out.append(o);
    }
    return out;
}

} // namespace

bool TransitLane::matches(const QString &partnerName, const QString &warehouseName) const
{
    return (isAny(warehouse) || warehouse == warehouseName) && (isAny(partner) || partner == partnerName);
}

int TransitLane::specificity() const
{
    return (isAny(warehouse) ? 0 : 2) + (isAny(partner) ? 0 : 1);
}

qint64 SlaPolicy::targetMsFor(const QString &partner, const QString &warehouse) const
{
    const TransitLane *best = nullptr;
    for (const TransitLane &lane : lanes) {
        if (lane.matches(partner, warehouse) && (!best || lane.specificity() > best->specificity()))
            best = &lane;
    }
    return best ? qRound64(best->transitDays * 24.0 * 3600.0 * 1000.0) : targetMs();
}

bool SlaScope::matches(const QString &documentKind, const QString &partner, const QString &warehouse) const
{
    return (documentKinds.isEmpty() || documentKinds.contains(documentKind)) &&
           (partners.isEmpty() || partners.contains(partner)) &&
           (warehouses.isEmpty() || warehouses.contains(warehouse));
}

Result<SlaPolicy> SlaPolicy::fromJson(const QJsonObject &json)
{
    SlaPolicy p;
    p.name = json.value(QLatin1String("name")).toString();
    if (p.name.isEmpty())
        return Error{QStringLiteral("a policy has no name")};
    const auto fail = [&p](const QString &why) {
        return Error{QStringLiteral("policy %1: %2").arg(p.name, why)};
    };
    const QString measure = json.value(QLatin1String("measure")).toString(QStringLiteral("within"));
    if (measure == QLatin1String("within"))
        p.measure = SlaMeasure::Within;
    else if (measure == QLatin1String("at_least"))
        p.measure = SlaMeasure::AtLeast;
    else if (measure == QLatin1String("lag"))
        p.measure = SlaMeasure::Lag;
    else if (measure == QLatin1String("present"))
        p.measure = SlaMeasure::Present;
    else
        return fail(QStringLiteral("measure \"%1\" is not within, at_least, lag or present").arg(measure));
    p.from = json.value(QLatin1String("from")).toString();
    p.to = json.value(QLatin1String("to")).toString();
    p.failsOn = strings(json.value(QLatin1String("fails_on")));
    const bool anyEvent = p.measure == SlaMeasure::Lag && p.from == QLatin1String("*");
    if (!anyEvent && !isMilestone(p.from))
        return fail(QStringLiteral("from \"%1\" is not a milestone").arg(p.from));
    if (p.measure != SlaMeasure::Lag && !isMilestone(p.to))
        return fail(QStringLiteral("to \"%1\" is not a milestone").arg(p.to));
    for (const QString &m : std::as_const(p.failsOn)) {
        if (!isMilestone(m))
            return fail(QStringLiteral("fails_on \"%1\" is not a milestone").arg(m));
    }
    const bool business = json.contains(QLatin1String("target_business_hours"));
    p.businessHours = business;
    p.targetHours =
        json.value(business ? QLatin1String("target_business_hours") : QLatin1String("target_hours"))
            .toDouble(-1);
    if (json.contains(QLatin1String("target_minutes")))
        p.targetHours = json.value(QLatin1String("target_minutes")).toDouble(-1) / 60.0;
    if (p.measure == SlaMeasure::Present)
        p.targetHours = std::max(p.targetHours, 0.0); // no target: `from` came first or not
    else if (p.targetHours <= 0)
        return fail(QStringLiteral("needs a positive target_hours, target_business_hours or target_minutes"));
    p.calendar = json.value(QLatin1String("calendar")).toString();
    p.atRiskFraction = json.value(QLatin1String("at_risk")).toDouble(0.8);
    if (p.atRiskFraction <= 0 || p.atRiskFraction > 1)
        return fail(QStringLiteral("at_risk is a fraction of the target between 0 and 1"));
    const QJsonObject scope = json.value(QLatin1String("scope")).toObject();
    p.scope.documentKinds = strings(scope.value(QLatin1String("document_kinds")));
    p.scope.partners = strings(scope.value(QLatin1String("partners")));
    p.scope.warehouses = strings(scope.value(QLatin1String("warehouses")));
    auto lanes = lanesFromJson(json.value(QLatin1String("lanes")));
    if (!lanes)
        return fail(lanes.error());
    p.lanes = lanes.value();
    return p;
}

QJsonObject SlaPolicy::toJson() const
{
    QJsonObject o{{QStringLiteral("name"), name},
                  {QStringLiteral("measure"), QLatin1String(measureName(measure))},
                  {QStringLiteral("from"), from},
                  {businessHours ? QStringLiteral("target_business_hours") : QStringLiteral("target_hours"),
                   targetHours},
                  {QStringLiteral("at_risk"), atRiskFraction}};
    if (!to.isEmpty())
        o.insert(QStringLiteral("to"), to);
    if (!failsOn.isEmpty())
        o.insert(QStringLiteral("fails_on"), array(failsOn));
    if (!calendar.isEmpty())
        o.insert(QStringLiteral("calendar"), calendar);
    QJsonObject s;
    if (!scope.documentKinds.isEmpty())
        s.insert(QStringLiteral("document_kinds"), array(scope.documentKinds));
    if (!scope.partners.isEmpty())
        s.insert(QStringLiteral("partners"), array(scope.partners));
    if (!scope.warehouses.isEmpty())
        s.insert(QStringLiteral("warehouses"), array(scope.warehouses));
    if (!s.isEmpty())
        o.insert(QStringLiteral("scope"), s);
    if (!lanes.isEmpty())
        o.insert(QStringLiteral("lanes"), lanesToJson(lanes));
    return o;
}

SlaConfig SlaConfig::defaults()
{
    QFile file(QStringLiteral(":/sightline/sla/policies.json"));
    if (!file.open(QIODevice::ReadOnly)) {
        qCWarning(lcSla) << "the built-in SLA policies are missing";
        return {};
    }
    auto config = fromJson(file.readAll());
    if (!config)
        qCWarning(lcSla) << "the built-in SLA policies do not load:" << config.error();
    return config ? config.value() : SlaConfig{};
}

Result<SlaConfig> SlaConfig::fromJson(const QByteArray &json)
{
    return withOverride(SlaConfig{}, json);
}

Result<SlaConfig> SlaConfig::withOverride(SlaConfig base, const QByteArray &overrideJson)
{
    auto root = parseObject(overrideJson, "SLA policies");
    if (!root)
        return Error{root.error()};
    for (const QJsonValue &v : root->value(QLatin1String("calendars")).toArray()) {
        if (!v.toObject().value(QLatin1String("enabled")).toBool(true)) {
            const QString name = v.toObject().value(QLatin1String("name")).toString();
            base.calendars.removeIf([&name](const BusinessCalendar &c) { return c.name() == name; });
            continue;
        }
        auto calendar = BusinessCalendar::fromJson(v.toObject());
        if (!calendar)
            return Error{calendar.error()};
        bool replaced = false;
        for (BusinessCalendar &c : base.calendars) {
            if (c.name() == calendar->name()) {
                c = calendar.value();
                replaced = true;
            }
        }
        if (!replaced)
            base.calendars.append(calendar.value());
    }
    for (const QJsonValue &v : root->value(QLatin1String("policies")).toArray()) {
        const QJsonObject o = v.toObject();
        if (!o.value(QLatin1String("enabled")).toBool(true)) {
            const QString name = o.value(QLatin1String("name")).toString();
            base.policies.removeIf([&name](const SlaPolicy &p) { return p.name == name; });
            continue;
        }
        auto policy = SlaPolicy::fromJson(o);
        if (!policy)
            return Error{policy.error()};
        replaceByName(base.policies, policy.value(), policy->name);
    }
    for (const SlaPolicy &p : std::as_const(base.policies)) {
        const bool lookup = p.calendar.isEmpty() || p.calendar == QLatin1String("warehouse") ||
                            p.calendar == QLatin1String("partner");
        if (!lookup && !base.calendarNamed(p.calendar))
            return Error{QStringLiteral("policy %1: no calendar named %2").arg(p.name, p.calendar)};
    }
    return base;
}

QByteArray SlaConfig::toJson() const
{
    QJsonArray cals;
    for (const BusinessCalendar &c : calendars)
        cals.append(c.toJson());
    QJsonArray pols;
    for (const SlaPolicy &p : policies)
        pols.append(p.toJson());
    return QJsonDocument(QJsonObject{{QStringLiteral("calendars"), cals}, {QStringLiteral("policies"), pols}})
        .toJson();
}

Result<SlaConfig> SlaConfig::load(const QString &overridePath)
{
    SlaConfig base = defaults();
    if (overridePath.isEmpty() || !QFile::exists(overridePath))
        return base;
    QFile file(overridePath);
    if (!file.open(QIODevice::ReadOnly))
        return Error{QStringLiteral("cannot read %1: %2").arg(overridePath, file.errorString())};
    auto merged = withOverride(std::move(base), file.readAll());
    if (!merged)
        return Error{QStringLiteral("%1: %2").arg(overridePath, merged.error())};
    return merged;
}

QString SlaConfig::userConfigPath()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation) +
           QStringLiteral("/sla-policies.json");
}

const SlaPolicy *SlaConfig::policy(const QString &name) const
{
    for (const SlaPolicy &p : policies) {
        if (p.name == name)
            return &p;
    }
    return nullptr;
}

const BusinessCalendar *SlaConfig::calendarNamed(const QString &name) const
{
    for (const BusinessCalendar &c : calendars) {
        if (c.name() == name)
            return &c;
    }
    return nullptr;
}

const BusinessCalendar &SlaConfig::calendarFor(const SlaPolicy &policy, const QString &partner,
                                               const QString &warehouse) const
{
    const BusinessCalendar *found = nullptr;
    if (policy.calendar == QLatin1String("warehouse"))
        found = calendarNamed(warehouse);
    else if (policy.calendar == QLatin1String("partner"))
        found = calendarNamed(partner);
    else if (!policy.calendar.isEmpty())
        found = calendarNamed(policy.calendar);
    if (!found && policy.businessHours)
        found = calendarNamed(QStringLiteral("default"));
    return found ? *found : m_allHours;
}

} // namespace sightline
