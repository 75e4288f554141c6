#pragma once

#include "models/domain/trace.h"
#include "models/result.h"

class QSqlDatabase;

namespace sightline {

// Adds to a loaded trace what other parts of the store know about it: its open exceptions and the
// SLA targets of its documents. Reads on the caller's connection and thread.
Status loadTraceContext(QSqlDatabase &db, Trace &trace);

} // namespace sightline
