#pragma once

#include "models/domain/document.h"
#include "models/domain/trace.h"

#include <QList>
#include <QString>

namespace sightline {

// One step of a document flow: after `after` happened, `expected` should follow within
// targetMs, reported by `system`.
struct ExpectedStep
{
    QString after;
    QString expected;
    qint64 targetMs = 0;
    QString system;
};

// A flow the console watches: the milestones a kind of document is expected to go through, in
// order, and the milestones that end it early (a cancellation, a dispute).
struct ExpectedFlow
{
    DocumentKind rootKind;
    QString name;
    QStringList milestones;
    QList<ExpectedStep> steps; // steps[i]: milestones[i] -> milestones[i + 1]
    QStringList terminal;
};

// The default expected sequences: the sales flow (sales order) and the purchasing flow (PO).
const QList<ExpectedFlow> &expectedFlows();

enum class GapSeverity { Pending, AtRisk, Breached };

// An expected milestone that has not happened: the next one (pending, at risk past 80 % of its
// target, breached past it) or one that was skipped while later ones arrived (at risk).
struct MilestoneGap
{
    QString flow;
    QString after;         // the last milestone reached before the gap
    QString expected;      // the milestone that is missing
    QString system;        // the system expected to report it
    qint64 documentId = 0; // the document the last milestone was reported on
    qint64 sinceMs = 0;    // when `after` happened
    qint64 dueMs = 0;
    GapSeverity severity = GapSeverity::Pending;
    bool skipped = false;
};

// Two systems disagree about one document: one has reached a later milestone than the other's
// latest, and the other has not caught up within the grace period.
struct StatusConflict
{
    qint64 documentId = 0;
    QString aheadSystem;
    QString aheadMilestone;
    QString aheadStatus;
    qint64 aheadEventRowId = 0;
    QString behindSystem;
    QString behindMilestone;
    QString behindStatus;
    qint64 behindEventRowId = 0;
    qint64 sinceMs = 0; // when the ahead system moved on
};

struct TraceAssessment
{
    QList<MilestoneGap> gaps;
    QList<StatusConflict> conflicts;
    bool isEmpty() const { return gaps.isEmpty() && conflicts.isEmpty(); }
};

inline constexpr qint64 conflictGraceMs = 60 * 60 * 1000;

// What is missing, late or contradictory in a trace at time now: a pure function of its input.
TraceAssessment assessTrace(const Trace &trace, qint64 nowMs);

QString gapSeverityName(GapSeverity severity);
QString describeGap(const MilestoneGap &gap);
QString describeConflict(const StatusConflict &conflict);

} // namespace sightline
