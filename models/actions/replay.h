#pragma once

#include "models/exceptions/exceptionitem.h"
#include "models/result.h"

#include <QByteArray>
#include <QObject>
#include <QString>
#include <functional>
#include <optional>

namespace sightline {

// One replay call: the kept raw message, byte-exact, to the system that should have taken it,
// with an idempotency key derived from the exception and the payload's hash (SPEC.md §4).
struct ReplayAction
{
    qint64 exceptionId = 0;
    QString connection; // the connection whose API takes the call: "erp", "wms", "portal"
    QByteArray method = "POST";
    QString path; // relative to the connection's base URL, e.g. messages/MSG-1/resubmit
    QByteArray body;
    QString idempotencyKey;
    int deaths = 0; // a broker's dead letter: how often it died (x-death counts), for the loop guard
    // A call whose answer was lost (a crash between sending and recording) is first checked here,
    // not sent again: a GET of confirmPath on the same connection whose record has confirmField
    // true says the call took effect. Empty: it cannot be checked, and is sent again with its key.
    QString confirmPath;
    QString confirmField;
};

struct ReplayResponse
{
    int httpStatus = 0; // 0: no answer (connection refused, timeout)
    QByteArray body;
    bool replayedByTarget = false; // the target had seen this key: the first result, not a second write
    QString error;                 // why there was no answer
    bool unavailable = false;      // no answer, 5xx or 429 after every retry, circuit open: try later
    bool confirmedByRead = false;  // not sent: reading the target showed an earlier call took effect
    bool succeeded() const { return httpStatus >= 200 && httpStatus < 300; }
};

// Sends replay calls (the connectors' write path implements it; models never touch the network).
class ReplaySender
{
public:
    virtual ~ReplaySender() = default;
    // done is called on context's thread, once.
    virtual void send(const ReplayAction &action, QObject *context,
                      std::function<void(ReplayResponse)> done) = 0;
    // Reads action.confirmPath on action.connection and answers its body, or nothing when it could
    // not be read (then the caller sends). done is called on context's thread, once.
    virtual void read(const ReplayAction &action, QObject *context,
                      std::function<void(std::optional<QByteArray>)> done);
};

// Whether a record read from action.confirmPath shows that the call took effect.
bool confirmsApplied(const ReplayAction &action, const QByteArray &record);

// The key for replaying payload for exception id: the same exception and payload, the same key.
QString replayIdempotencyKey(qint64 exceptionId, const QByteArray &payload);
// The key for resubmitting an edited message: the same exception and edit, the same key; another
// edit, another key (never the replay's).
QString resubmitIdempotencyKey(qint64 exceptionId, const QByteArray &editedPayload);

// The replay call for an exception whose kept payload is raw: where a failed or dead-lettered
// message goes again. An error for what cannot be replayed.
Result<ReplayAction> replayActionFor(const ExceptionItem &item, const QByteArray &raw);

} // namespace sightline
