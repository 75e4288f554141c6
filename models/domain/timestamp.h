#pragma once

#include <QString>

#include <optional>
#include <string_view>

namespace sightline {

// RFC 3339 timestamps ("2026-11-20T08:15:00Z", "2018-04-26T14:48:09.1234+02:00") to UTC epoch
// milliseconds and back. Strict: a date, 'T', a time, and a 'Z' or numeric offset are required.
std::optional<qint64> parseRfc3339(std::string_view text);
QString formatRfc3339(qint64 epochMs);

qint64 nowMs();

} // namespace sightline
