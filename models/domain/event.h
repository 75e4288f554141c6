#pragma once

#include "models/domain/document.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>
#include <optional>

namespace sightline {

// One thing that happened, mapped onto the canonical model. Its identity is (source, id);
// the raw payload is kept byte-exact beside it.
struct CanonicalEvent
{
    QString source;
    QString id;
    QString type;      // the source's own event type
    QString milestone; // canonical milestone (SPEC.md §2), empty when the type maps to none
    std::optional<DocumentRef> document;
    QList<Identifier> identifiers; // further numbers the document is known by
    QList<LinkRef> links;
    QString system; // "erp", "wms", "portal", "carrier", "broker", ...
    QString status; // the source's own status text
    QString partner;
    QString warehouse;
    qint64 occurredMs = 0;          // when it happened (UTC epoch ms)
    qint64 receivedMs = 0;          // when Sightline received it
    bool occurredEstimated = false; // the input carried no time: occurredMs is the arrival time
    QByteArray raw;                 // the input exactly as received
    QByteArray rawHash;             // SHA-1 of raw, to tell a true repeat from a changed resend
    // The id of an earlier event of the same source that this one declares erroneous (an EPCIS
    // error declaration). The store keeps that event, raw and all, but it no longer counts as its
    // milestone and its status says it was retracted.
    QString retracts;
};

// Input that could not be parsed, validated or mapped: kept raw with the reason and where it was.
struct QuarantinedInput
{
    QString origin;   // file name, connection name, feed URL
    QString position; // "line 12", "line 3, column 7", "element 4"
    QString error;    // what is wrong, for a person
    QByteArray raw;
    qint64 receivedMs = 0;
};

// What the store made of a batch.
struct IngestReport
{
    qint64 accepted = 0;
    qint64 duplicates = 0;
    qint64 quarantined = 0;
    qint64 tracesMerged = 0;

    IngestReport &operator+=(const IngestReport &other)
    {
        accepted += other.accepted;
        duplicates += other.duplicates;
        quarantined += other.quarantined;
        tracesMerged += other.tracesMerged;
        return *this;
    }
};

} // namespace sightline
