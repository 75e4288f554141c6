#pragma once

#include "models/domain/trace.h"

#include <QByteArray>

namespace sightline {

// A trace's events as CSV (RFC 4180, UTF-8, header row): time, received, lag_ms, system,
// milestone, type, status, document_kind, document_key, source, id. Times in RFC 3339 UTC.
QByteArray traceToCsv(const Trace &trace);

} // namespace sightline
