#pragma once

#include "models/result.h"
#include "models/sla/calendar.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

namespace sightline {

// How a policy measures.
enum class SlaMeasure {
    Within,  // the `to` milestone must follow `from` within the target ("acknowledge within 24 h")
    AtLeast, // the `to` milestone must come at least the target after `from` ("ASN 4 h before receipt")
    Lag,     // each event: received within the target after it happened
    Present, // each document reaching `to` must have had `from` before it ("an ASN for every receipt")
};

// The documents a policy measures: empty lists match everything.
struct SlaScope
{
    QStringList documentKinds;
    QStringList partners;
    QStringList warehouses;

    bool matches(const QString &documentKind, const QString &partner, const QString &warehouse) const;
};

// A promised transit time for deliveries from a warehouse, to a partner, or both ("*" or empty:
// any). The Delivery policy measures each shipment against the lane it travels.
struct TransitLane
{
    QString warehouse;
    QString partner;
    double transitDays = 0;

    bool matches(const QString &partnerName, const QString &warehouseName) const;
    // 3 = warehouse and partner named, 2 = warehouse only, 1 = partner only, 0 = neither.
    int specificity() const;
    bool operator==(const TransitLane &) const = default;
};

// "Supplier acknowledges a PO within 24 h" (SPEC.md §6): from one milestone to another for a scope
// of documents, against a target in hours or business hours on a calendar.
struct SlaPolicy
{
    QString name;
    QString from;        // milestone; for Lag, a milestone or "*" for every event
    QString to;          // milestone; empty for Lag
    QStringList failsOn; // milestones that end the measurement as breached (an invoice disputed)
    SlaMeasure measure = SlaMeasure::Within;
    double targetHours = 24;
    bool businessHours = false;
    // A calendar's name, or "warehouse" / "partner": the calendar named after the measured
    // document's warehouse or partner, falling back to the "default" calendar.
    QString calendar;
    SlaScope scope;
    double atRiskFraction = 0.8;
    // Promised transit times: the most specific lane that matches sets the target instead of
    // targetHours (wall-clock days).
    QList<TransitLane> lanes;

    qint64 targetMs() const { return qRound64(targetHours * 3600.0 * 1000.0); }
    // The target for a document of this partner and warehouse: its lane's, else targetMs().
    qint64 targetMsFor(const QString &partner, const QString &warehouse) const;
    static Result<SlaPolicy> fromJson(const QJsonObject &json);
    QJsonObject toJson() const;
};

// The policies and calendars in force.
class SlaConfig
{
public:
    QList<SlaPolicy> policies;
    QList<BusinessCalendar> calendars;

    // The defaults of SPEC.md §6 (resources/sla/policies.json, built in).
    static SlaConfig defaults();
    // {"calendars": [...], "policies": [...]}
    static Result<SlaConfig> fromJson(const QByteArray &json);
    QByteArray toJson() const;
    // Entries of override replace those of the same name; a policy or calendar with
    // "enabled": false is removed.
    static Result<SlaConfig> withOverride(SlaConfig base, const QByteArray &overrideJson);
    // The defaults with the user's file (userConfigPath()) applied when it exists.
    static Result<SlaConfig> load(const QString &overridePath = userConfigPath());
    // sla-policies.json in the per-user configuration folder.
    static QString userConfigPath();

    const SlaPolicy *policy(const QString &name) const;
    const BusinessCalendar *calendarNamed(const QString &name) const;
    // The calendar a policy measures a document on (see SlaPolicy::calendar); never null.
    const BusinessCalendar &calendarFor(const SlaPolicy &policy, const QString &partner,
                                        const QString &warehouse) const;

private:
    BusinessCalendar m_allHours = BusinessCalendar::allHours(QStringLiteral("all hours"));
};

} // namespace sightline
