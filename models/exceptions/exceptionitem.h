#pragma once

#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>
#include <optional>

namespace sightline {

// Where an exception is in its life (SPEC.md §3): new -> in_progress (taken or assigned) ->
// resolved or ignored (reason required). Resolved ones reopen when their condition recurs.
enum class ExceptionStatus { New, InProgress, Resolved, Ignored };

QString exceptionStatusName(ExceptionStatus status);
std::optional<ExceptionStatus> exceptionStatusFromName(QStringView name);
bool isOpen(ExceptionStatus status);

enum class ExceptionSeverity { Low, Medium, High, Critical };

QString exceptionSeverityName(ExceptionSeverity severity);
ExceptionSeverity exceptionSeverityFromName(QStringView name, ExceptionSeverity fallback);

// Exception families: a technical problem with a message or an input, or a business rule failing.
inline constexpr char16_t kTechnical[] = u"technical";
inline constexpr char16_t kBusiness[] = u"business";

struct ExceptionComment
{
    qint64 id = 0;
    QString author;
    QString role;
    qint64 atMs = 0;
    QString body;
};

// One change in an exception's life: detected, taken, commented, resolved automatically...
struct ExceptionHistoryEntry
{
    qint64 id = 0;
    qint64 atMs = 0;
    QString actor; // a user name, or "sightline" for the detection engine
    QString what;
    QString fromStatus;
    QString toStatus;
    QString detail;
};

// A document of the exception's trace, by its kind name and key (for choosing what to correct).
struct RelatedDocument
{
    QString kind; // purchase_order, receipt, ...
    QString key;
    bool operator==(const RelatedDocument &) const = default;
};

// Something a person must look at (SPEC.md §3), as a value snapshot of its row.
struct ExceptionItem
{
    qint64 id = 0;
    QString conditionKey; // which condition of which document: one exception per key
    QString rule;         // the rule or technical source that raised it: "asn_quantity", "message_failed"
    QString family;       // kTechnical or kBusiness
    QString type;         // the user's words for the kind of problem
    ExceptionSeverity severity = ExceptionSeverity::Medium;
    QString signature; // same cause across many documents: for grouping
    QString title;
    QString detail;
    qint64 traceId = 0; // 0 when it belongs to no trace (quarantined input)
    QString documentKind;
    QString documentKey;
    QString system;
    QString partner;
    QString warehouse;
    qint64 eventRowId = 0;   // the event that shows the problem (its raw payload is kept)
    qint64 quarantineId = 0; // the quarantined input, for parse and map failures
    qint64 firstSeenMs = 0;
    qint64 lastSeenMs = 0;
    int occurrences = 1;
    QString owner;
    ExceptionStatus status = ExceptionStatus::New;
    QString statusReason;
    qint64 snoozedUntilMs = 0;
    qint64 updatedMs = 0;
    int replayCount = 0;
    QString replayKey; // the idempotency key of the attempt in flight, empty when none
    qint64 replayStartedMs = 0;
    // Optimistic concurrency: every change adds one; a change made against an older version is
    // refused as a conflict ("changed by X at T; reload") rather than overwriting it.
    qint64 version = 0;
    QString updatedBy; // who made the last change

    // Loaded on demand for the detail pane.
    QList<ExceptionComment> comments;
    QList<ExceptionHistoryEntry> history;
    QList<RelatedDocument> traceDocuments; // the trace's documents, in the order they appeared

    qint64 ageMs(qint64 nowMs) const { return nowMs - firstSeenMs; }
    bool isSnoozed(qint64 nowMs) const { return snoozedUntilMs > nowMs; }
};

// Which exceptions a queue shows. Empty fields do not filter.
struct ExceptionFilter
{
    QStringList statuses; // status names
    QString type;         // rule or type, matched exactly
    QString system;
    QString partner;
    QString warehouse;
    QString owner;
    QString family;
    QStringList severities;    // severity names, any of these
    QString signature;         // one group (same cause across documents)
    QStringList documentKinds; // any of these (a role's scope)
    qint64 traceId = 0;
    qint64 minAgeMs = 0;
    int limit = 0; // 0: all

    bool operator==(const ExceptionFilter &) const = default;
};

} // namespace sightline

Q_DECLARE_METATYPE(sightline::ExceptionItem)
