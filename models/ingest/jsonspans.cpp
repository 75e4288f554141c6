#include "models/ingest/jsonspans.h"

namespace sightline {
namespace {

bool isSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

} // namespace

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
