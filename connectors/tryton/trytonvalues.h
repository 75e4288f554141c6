#pragma once

#include "models/ingest/jsonspans.h"

#include <QByteArrayView>
#include <QDate>
#include <QDateTime>
#include <QString>
#include <nlohmann/json.hpp>
#include <optional>

namespace sightline::tryton {

// Tryton's JSON-RPC types, decoded and encoded in this one place. Tryton writes decimals as
// {"__class__": "Decimal", "decimal": "25.00"}, dates as {"__class__": "date", "year", "month",
// "day"} and datetimes likewise with hour, minute, second and microsecond, in UTC.

// A datetime (UTC, to the millisecond); nullopt for null or anything else.
std::optional<QDateTime> dateTimeOf(const nlohmann::json &value);
// A date; nullopt for null or anything else.
std::optional<QDate> dateOf(const nlohmann::json &value);
// A decimal as its exact text ("25.00"); nullopt for null or anything else.
std::optional<QString> decimalOf(const nlohmann::json &value);
// A string field; nullopt for null (Tryton's "no value") or anything else.
std::optional<QString> textOf(const nlohmann::json &value);

// A datetime as Tryton reads it, to the microsecond: the "microsecond" member carries what
// QDateTime cannot hold, taken from an ISO text ("2026-12-01T05:24:59.279946").
nlohmann::json dateTimeValue(const QString &isoMicros);
nlohmann::json dateValue(QDate date);
// A datetime's exact ISO text with microseconds, for checkpoints ("2026-12-01T05:24:59.279946").
QString isoMicros(const nlohmann::json &value);

// Where the value of a top-level member of a JSON object text starts and ends, in bytes; nullopt
// when the text is not an object or has no such member. Lets a record keep its exact bytes.
using ByteSpan = sightline::Span;
std::optional<ByteSpan> memberSpan(QByteArrayView objectText, std::string_view name);

} // namespace sightline::tryton
