#pragma once

#include <QByteArrayView>
#include <QList>
#include <QString>
#include <optional>

namespace sightline {

// Byte positions inside JSON texts, found without parsing them, so that each part of a larger
// input (an element of a batch, an event of an EPCIS document) keeps its exact bytes.

struct Span
{
    qsizetype begin = 0;
    qsizetype end = 0;
};

// Line and column (1-based) of a byte offset, for a person: "line 3, column 7".
QString lineColumn(QByteArrayView bytes, qsizetype offset, int firstLine = 1);

// Splits a JSON array (b starts with '[' and holds nothing after the closing ']' but spaces) into
// the spans of its elements. Returns nothing when the array is not closed properly.
std::optional<QList<Span>> splitArray(QByteArrayView b);

// Where the object or array that starts at from ends (one past its closing bracket); -1 when it
// does not end. With Lines::EndTheValue a newline inside it also gives -1 (JSON Lines: one value
// per line).
enum class Lines { MayContinue, EndTheValue };
qsizetype endOfValue(QByteArrayView b, qsizetype from, Lines lines = Lines::MayContinue);

// The span of the value a JSON pointer ("/data/items", "" for the whole text) names inside b,
// found by walking object members and array elements without parsing the values. Nothing when
// the text does not hold it, or a key on the way is written with escapes.
std::optional<Span> valueAt(QByteArrayView b, QStringView pointer);

} // namespace sightline
