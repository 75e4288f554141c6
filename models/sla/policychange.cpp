#include "models/sla/policychange.h"

#include "models/sla/slalog.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>
#include <QSet>

namespace sightline {
namespace {

QString compact(const QJsonValue &value)
{
    if (value.isUndefined())
        return QStringLiteral("(none)");
    if (value.isString())
        return value.toString();
    if (value.isDouble())
        return QString::number(value.toDouble());
    QJsonArray wrapped{value};
    const QByteArray text = QJsonDocument(wrapped).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(text.mid(1, text.size() - 2));
}

template<typename T> QMap<QString, QJsonObject> byName(const QList<T> &items)
{
    QMap<QString, QJsonObject> out;
    for (const T &item : items) {
        const QJsonObject o = item.toJson();
        out.insert(o.value(QLatin1String("name")).toString(), o);
    }
    return out;
}

void compareEntries(const QString &what, const QMap<QString, QJsonObject> &before,
                    const QMap<QString, QJsonObject> &after, QStringList &out)
{
    for (auto it = before.cbegin(); it != before.cend(); ++it) {
        if (!after.contains(it.key()))
            out.append(QStringLiteral("%1 %2 removed").arg(what, it.key()));
    }
    for (auto it = after.cbegin(); it != after.cend(); ++it) {
        if (!before.contains(it.key())) {
            out.append(QStringLiteral("%1 %2 added").arg(what, it.key()));
            continue;
        }
        const QJsonObject old = before.value(it.key());
        QStringList keys = old.keys() + it->keys();
        keys.removeDuplicates();
        keys.sort();
        for (const QString &key : std::as_const(keys)) {
            if (old.value(key) != it->value(key))
                out.append(QStringLiteral("%1 %2: %3 %4 → %5")
                               .arg(what, it.key(), key, compact(old.value(key)), compact(it->value(key))));
        }
    }
}

template<typename T> QStringList duplicateNames(const QList<T> &items, const auto &nameOf)
{
    QSet<QString> seen;
    QStringList out;
    for (const T &item : items) {
        if (seen.contains(nameOf(item)))
            out.append(nameOf(item));
        seen.insert(nameOf(item));
    }
    return out;
}

QJsonArray overrideEntries(const QMap<QString, QJsonObject> &base, const QMap<QString, QJsonObject> &edited)
{
    QJsonArray out;
    for (auto it = edited.cbegin(); it != edited.cend(); ++it) {
        if (base.value(it.key()) != it.value())
            out.append(it.value());
    }
    for (auto it = base.cbegin(); it != base.cend(); ++it) {
        if (!edited.contains(it.key()))
            out.append(QJsonObject{{QStringLiteral("name"), it.key()}, {QStringLiteral("enabled"), false}});
    }
    return out;
}

Status writeAtomically(const QString &path, const QByteArray &content)
{
    if (!QDir().mkpath(QFileInfo(path).absolutePath()))
        return Error{QStringLiteral("cannot create the folder of %1").arg(path)};
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(content) != content.size() || !file.commit())
        return Error{QStringLiteral("cannot save %1: %2").arg(path, file.errorString())};
    return {};
}

} // namespace

QStringList slaConfigProblems(const SlaConfig &config)
{
    QStringList problems;
    for (const QString &name : duplicateNames(config.policies, [](const SlaPolicy &p) { return p.name; }))
        problems.append(QStringLiteral("two policies are named %1").arg(name));
    for (const QString &name :
         duplicateNames(config.calendars, [](const BusinessCalendar &c) { return c.name(); }))
        problems.append(QStringLiteral("two calendars are named %1").arg(name));
    for (const BusinessCalendar &c : config.calendars) {
        if (!c.hasWorkingTime())
            problems.append(QStringLiteral("calendar %1 has no working hours").arg(c.name()));
    }
    // Everything else SlaConfig checks when it loads: a round trip through its own JSON.
    auto reloaded = SlaConfig::fromJson(config.toJson());
    if (!reloaded)
        problems.append(reloaded.error());
    return problems;
}

QStringList slaConfigChanges(const SlaConfig &before, const SlaConfig &after)
{
    QStringList out;
    compareEntries(QStringLiteral("calendar"), byName(before.calendars), byName(after.calendars), out);
    compareEntries(QStringLiteral("policy"), byName(before.policies), byName(after.policies), out);
    return out;
}

QByteArray slaOverrideJson(const SlaConfig &base, const SlaConfig &edited)
{
    const QJsonObject root{
        {QStringLiteral("calendars"), overrideEntries(byName(base.calendars), byName(edited.calendars))},
        {QStringLiteral("policies"), overrideEntries(byName(base.policies), byName(edited.policies))}};
    return QJsonDocument(root).toJson();
}

Result<QStringList> saveSlaPolicyChange(const SlaPolicyChange &change, const SlaConfig &base,
                                        const QString &overridePath)
{
    if (!roleMay(change.actor.role, Permission::EditRules))
        return Error{QStringLiteral("%1 may not change SLA policies: that needs the manager or administrator "
                                    "role, and %1 is %2.")
                         .arg(change.actor.user, roleLabel(change.actor.role).toLower())};
    if (change.reason.trimmed().isEmpty())
        return Error{QStringLiteral("Say why the policies change: the reason goes into the audit log.")};
    const QStringList problems = slaConfigProblems(change.after);
    if (!problems.isEmpty())
        return Error{QStringLiteral("The policies cannot be saved: ") + problems.join(QStringLiteral("; "))};
    const QStringList changes = slaConfigChanges(change.before, change.after);
    if (changes.isEmpty())
        return Error{QStringLiteral("Nothing changed.")};
    if (auto written = writeAtomically(overridePath, slaOverrideJson(base, change.after)); !written)
        return Error{written.error()};
    qCInfo(lcSla) << "SLA policies changed by" << change.actor.user << ":" << changes.size() << "changes";
    return changes;
}

AuditEntry slaPolicyAuditEntry(const SlaPolicyChange &change, const QStringList &changes,
                               const QString &result, qint64 atMs)
{
    AuditEntry a;
    a.atMs = atMs;
    a.actor = change.actor.user;
    a.role = roleName(change.actor.role);
    a.action = QLatin1String(kSlaPolicyEditAction);
    a.reason = change.reason;
    a.request = changes.join(QLatin1Char('\n'));
    a.result = result;
    a.before = QString::fromUtf8(change.before.toJson());
    a.after = QString::fromUtf8(change.after.toJson());
    return a;
}

QString transitLanesText(const QList<TransitLane> &lanes)
{
    QStringList lines;
    for (const TransitLane &lane : lanes)
        lines.append(QStringLiteral("%1, %2, %3")
                         .arg(lane.warehouse.isEmpty() ? QStringLiteral("*") : lane.warehouse,
                              lane.partner.isEmpty() ? QStringLiteral("*") : lane.partner,
                              QString::number(lane.transitDays)));
    return lines.join(QLatin1Char('\n'));
}

Result<QList<TransitLane>> parseTransitLanes(const QString &text)
{
    QList<TransitLane> lanes;
    const QStringList lines = text.split(QLatin1Char('\n'));
    for (qsizetype i = 0; i < lines.size(); ++i) {
        if (lines.at(i).trimmed().isEmpty())
            continue;
        const QStringList parts = lines.at(i).split(QLatin1Char(','));
        bool number = false;
        const double days = parts.size() == 3 ? parts.at(2).trimmed().toDouble(&number) : 0;
        if (!number || days <= 0)
            return Error{QStringLiteral("lane line %1: write \"warehouse, partner, days\" with days above 0")
                             .arg(i + 1)};
        const auto any = [](const QString &s) {
            return s == QLatin1String("*") ? QString() : s;
        };
        lanes.append({any(parts.at(0).trimmed()), any(parts.at(1).trimmed()), days});
    }
    return lanes;
}

QString dateListText(const QList<QDate> &dates)
{
    QStringList lines;
    for (const QDate &d : dates)
        lines.append(d.toString(Qt::ISODate));
    return lines.join(QLatin1Char('\n'));
}

Result<QList<QDate>> parseDateList(const QString &text)
{
    QList<QDate> dates;
    const QStringList lines = text.split(QLatin1Char('\n'));
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const QString line = lines.at(i).trimmed();
        if (line.isEmpty())
            continue;
        const QDate d = QDate::fromString(line, Qt::ISODate);
        if (!d.isValid())
            return Error{
                QStringLiteral("line %1: \"%2\" is not a date like 2026-12-25").arg(i + 1).arg(line)};
        dates.append(d);
    }
    return dates;
}

QString slaTargetText(const SlaPolicy &policy)
{
    if (policy.measure == SlaMeasure::Present)
        return QStringLiteral("%1 before it").arg(policy.from);
    QString text;
    if (policy.targetHours < 1)
        text = QStringLiteral("%1 min").arg(QString::number(policy.targetHours * 60, 'g', 4));
    else
        text = QStringLiteral("%1 %2").arg(QString::number(policy.targetHours, 'g', 6),
                                           policy.businessHours ? QStringLiteral("business hours")
                                                                : QStringLiteral("h"));
    if (policy.measure == SlaMeasure::AtLeast)
        text = QStringLiteral("at least ") + text;
    if (!policy.lanes.isEmpty()) {
        double lo = policy.lanes.first().transitDays, hi = lo;
        for (const TransitLane &lane : policy.lanes) {
            lo = std::min(lo, lane.transitDays);
            hi = std::max(hi, lane.transitDays);
        }
        text += lo == hi ? QStringLiteral("; lanes %1 days").arg(lo)
                         : QStringLiteral("; lanes %1–%2 days").arg(lo).arg(hi);
    }
    return text;
}

} // namespace sightline
