#include "models/ingest/jsonspans.h"

namespace sightline {
namespace {

bool isSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

qsizetype skipSpaces(QByteArrayView b, qsizetype i)
{
    while (i < b.size() && isSpace(b[i]))
        ++i;
    return i;
}

// One past the end of the string that starts at the quote at i; -1 when it does not end.
qsizetype endOfString(QByteArrayView b, qsizetype i)
{
    for (++i; i < b.size(); ++i) {
        if (b[i] == '\\')
            ++i;
        else if (b[i] == '"')
            return i + 1;
    }
    return -1;
}

// One past the end of any JSON value starting at i (object, array, string or scalar).
qsizetype endOfAnyValue(QByteArrayView b, qsizetype i)
{
    if (i >= b.size())
        return -1;
    if (b[i] == '{' || b[i] == '[')
        return endOfValue(b, i);
    if (b[i] == '"')
        return endOfString(b, i);
    while (i < b.size() && b[i] != ',' && b[i] != '}' && b[i] != ']' && !isSpace(b[i]))
        ++i;
    return i;
}

// The value of member `key` of the object starting at `at`.
std::optional<Span> memberOf(QByteArrayView b, qsizetype at, const QByteArray &key)
{
    qsizetype i = skipSpaces(b, at + 1);
    while (i < b.size() && b[i] == '"') {
        const qsizetype keyEnd = endOfString(b, i);
        if (keyEnd < 0)
            return std::nullopt;
        const QByteArrayView name = b.sliced(i + 1, keyEnd - i - 2);
        i = skipSpaces(b, keyEnd);
        if (i >= b.size() || b[i] != ':')
            return std::nullopt;
        const qsizetype valueBegin = skipSpaces(b, i + 1);
        const qsizetype valueEnd = endOfAnyValue(b, valueBegin);
        if (valueEnd < 0)
            return std::nullopt;
        if (name == key)
            return Span{valueBegin, valueEnd};
        i = skipSpaces(b, valueEnd);
        if (i < b.size() && b[i] == ',')
            i = skipSpaces(b, i + 1);
    }
    return std::nullopt;
}

// Element `index` of the array starting at `at`.
std::optional<Span> elementOf(QByteArrayView b, qsizetype at, qsizetype index)
{
    const qsizetype end = endOfValue(b, at);
    if (end < 0)
        return std::nullopt;
    const auto spans = splitArray(b.sliced(at, end - at));
    if (!spans || index < 0 || index >= spans->size())
        return std::nullopt;
    return Span{at + spans->at(index).begin, at + spans->at(index).end};
}

} // namespace

std::optional<Span> valueAt(QByteArrayView b, QStringView pointer)
{
    const qsizetype begin = skipSpaces(b, 0);
    Span span{begin, endOfAnyValue(b, begin)};
    if (span.end < 0)
        return std::nullopt;
    if (pointer.isEmpty() || pointer == u"/")
        return span;
    const QList<QStringView> tokens = pointer.mid(1).split(u'/');
    for (const QStringView token : tokens) {
        QString name = token.toString();
        name.replace(QStringLiteral("~1"), QStringLiteral("/"))
            .replace(QStringLiteral("~0"), QStringLiteral("~"));
        std::optional<Span> next;
        bool isIndex = false;
        const qsizetype index = name.toLongLong(&isIndex);
        if (b[span.begin] == '{')
            next = memberOf(b, span.begin, name.toUtf8());
        else if (b[span.begin] == '[' && isIndex)
            next = elementOf(b, span.begin, index);
        if (!next)
            return std::nullopt;
        span = *next;
    }
    return span;
}

// Line and column (1-based) of a byte offset.
QString lineColumn(QByteArrayView bytes, qsizetype offset, int firstLine)
{
    int line = firstLine;
    qsizetype lineStart = 0;
    const qsizetype end = std::min(offset, bytes.size());
    for (qsizetype i = 0; i < end; ++i) {
        if (bytes[i] == '\n') {
            ++line;
            lineStart = i + 1;
        }
    }
    return QStringLiteral("line %1, column %2").arg(line).arg(end - lineStart + 1);
}

// Splits a JSON array into the byte spans of its elements, without parsing them, so that each
// element keeps its exact bytes. Returns nothing when the array is not closed.
std::optional<QList<Span>> splitArray(QByteArrayView b)
{
    QList<Span> spans;
    int depth = 0;
    bool inString = false;
    bool escaped = false;
    qsizetype elemBegin = -1;
    qsizetype elemEnd = -1;
    for (qsizetype i = 0; i < b.size(); ++i) {
        const char c = b[i];
        if (inString) {
            if (escaped)
                escaped = false;
            else if (c == '\\')
                escaped = true;
            else if (c == '"')
                inString = false;
            elemEnd = i + 1;
            continue;
        }
        if (isSpace(c))
            continue;
        if (depth == 1 && (c == ',' || c == ']')) {
            if (elemBegin >= 0)
                spans.append({elemBegin, elemEnd});
            else if (c == ',' || !spans.isEmpty())
                spans.append({i, i}); // an empty element: parsed later, so that it is reported
            elemBegin = -1;
            if (c == ']') {
                for (qsizetype j = i + 1; j < b.size(); ++j) {
                    if (!isSpace(b[j]))
                        return std::nullopt;
                }
                return spans;
            }
            continue;
        }
        if (depth == 1 && elemBegin < 0)
            elemBegin = i;
        if (c == '"')
            inString = true;
        else if (c == '[' || c == '{')
            ++depth;
        else if (c == ']' || c == '}')
            --depth;
        if (depth <= 0 && i > 0)
            return std::nullopt; // closed by the wrong bracket or closed twice
        elemEnd = i + 1;
    }
    return std::nullopt;
}

qsizetype endOfValue(QByteArrayView b, qsizetype from, Lines lines)
{
    int depth = 0;
    bool inString = false;
    bool escaped = false;
    for (qsizetype i = from; i < b.size(); ++i) {
        const char c = b[i];
        if (inString) {
            if (escaped)
                escaped = false;
            else if (c == '\\')
                escaped = true;
            else if (c == '"')
                inString = false;
            continue;
        }
        if (c == '"')
            inString = true;
        else if (c == '{' || c == '[')
            ++depth;
        else if ((c == '}' || c == ']') && --depth == 0)
            return i + 1;
        else if (c == '\n' && depth > 0 && lines == Lines::EndTheValue)
            return -1; // the value spans lines: not JSON Lines
    }
    return -1;
}

} // namespace sightline
