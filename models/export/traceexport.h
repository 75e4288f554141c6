#pragma once

#include "models/domain/trace.h"

#include <QByteArray>
#include <QString>

namespace sightline {

// A trace as JSON: {"trace": id, "documents": [...], "links": [...], "events": [...]}, times in
// RFC 3339 UTC. The shape is documented in the README and used by `sightline-cli trace --json`
// and the console's JSON export.
QByteArray traceToJson(const Trace &trace, int indent = 2);

// A trace as a readable timeline: its documents, then one line per event in occurrence order.
QString traceToText(const Trace &trace);

// "3 h 12 min", "45 s", "2 d 4 h": a duration in words a person reads at a glance.
QString formatDuration(qint64 ms);

} // namespace sightline
