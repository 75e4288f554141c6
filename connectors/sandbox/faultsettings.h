#pragma once

#include "models/result.h"

#include <QJsonObject>

namespace sightline::sandbox {

// Faults the sandbox injects, set by flags at start and at run time through POST /admin/faults.
// Rates are probabilities per request (HTTP) or per event (feed), 0..1.
struct FaultSettings
{
    int latencyMs = 0;        // every API response is delayed this long
    double errorRate = 0;     // 503 Service Unavailable
    double rateLimitRate = 0; // 429 Too Many Requests with Retry-After
    int retryAfterSeconds = 1;
    double hangRate = 0;      // the request never gets an answer
    double malformedRate = 0; // the response body is cut in the middle of its JSON
    double feedDuplicateRate = 0;
    double feedReorderRate = 0;   // the event is held back and sent after the next one
    double feedMalformedRate = 0; // a broken JSON text is sent before the event
    int feedDisconnectAfter = 0;  // abort every feed connection after this many events (0 = never)

    QJsonObject toJson() const;
    // Applies the fields present in `json`; unknown fields or bad values are an error and change nothing.
    Status merge(const QJsonObject &json);
};

} // namespace sightline::sandbox
