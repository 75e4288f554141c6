#pragma once

#include "models/actions/roles.h"
#include "models/audit/auditlog.h"
#include "models/result.h"
#include "models/sla/policy.h"

#include <QStringList>

namespace sightline {

// A manager's edit of the SLA policies and calendars. Only managers and administrators may make
// one (SPEC.md §5); saveSlaPolicyChange checks that, whatever a UI shows.
struct SlaPolicyChange
{
    Identity actor;
    SlaConfig before;
    SlaConfig after;
    QString reason;
};

// Why an edited configuration cannot measure, one line each for a person; empty when it can.
QStringList slaConfigProblems(const SlaConfig &config);

// What changed, one line per policy or calendar field: "policy Delivery: target_hours 120 → 96".
QStringList slaConfigChanges(const SlaConfig &before, const SlaConfig &after);

// The override file that turns base into edited: the policies and calendars that differ from
// base or are new, and {"name", "enabled": false} for those edited leaves out.
QByteArray slaOverrideJson(const SlaConfig &base, const SlaConfig &edited);

// Checks the actor's role, the reason and the edited configuration, then writes the override
// (against base, usually SlaConfig::defaults()) to overridePath atomically. Returns the changes.
Result<QStringList> saveSlaPolicyChange(const SlaPolicyChange &change, const SlaConfig &base,
                                        const QString &overridePath);

// The audit log's record of a change that was saved (result "saved") or refused.
AuditEntry slaPolicyAuditEntry(const SlaPolicyChange &change, const QStringList &changes,
                               const QString &result, qint64 atMs);

// Lanes as a person types them, one per line: "warehouse, partner, days" ("*" or empty: any).
QString transitLanesText(const QList<TransitLane> &lanes);
Result<QList<TransitLane>> parseTransitLanes(const QString &text);

// Dates as a person types them, one ISO date (2026-12-25) per line.
QString dateListText(const QList<QDate> &dates);
Result<QList<QDate>> parseDateList(const QString &text);

// A policy's target for a person: "24 h", "8 business hours", "5 min", "120 h; lanes 2–4 days".
QString slaTargetText(const SlaPolicy &policy);

inline constexpr char kSlaPolicyEditAction[] = "sla_policy_edit";

} // namespace sightline
