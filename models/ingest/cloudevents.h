#pragma once

#include "models/domain/event.h"

#include <QByteArrayView>
#include <QList>
#include <QString>

namespace sightline {

// What came out of reading some input: events that map onto the canonical model, and input
// that could not be parsed, validated or mapped, each with its reason and position.
struct ParsedInput
{
    QList<CanonicalEvent> events;
    QList<QuarantinedInput> quarantined;
};

// Reads CloudEvents 1.0 in JSON structured mode (a single event, a batch array, or JSON Lines),
// validates each against the CloudEvents 1.0 rules, and maps it onto documents, links and a
// milestone following Sightline's event profile (README, "The event profile").
class CloudEventReader
{
public:
    explicit CloudEventReader(QString origin) : m_origin(std::move(origin)) {}

    // A whole input whose format is detected: '[' starts a batch; several complete JSON values,
    // one per line, are JSON Lines; anything else is one event.
    void readDocument(QByteArrayView bytes, qint64 receivedMs, ParsedInput &out) const;

    // One JSON text that should hold exactly one event (a JSON Lines line, a WebSocket message).
    void readEvent(QByteArrayView bytes, const QString &position, qint64 receivedMs, ParsedInput &out) const;

    // A batch: a JSON array of events.
    void readBatch(QByteArrayView bytes, qint64 receivedMs, ParsedInput &out) const;

    // JSON Lines starting at line firstLine (1-based) of the origin.
    void readLines(QByteArrayView bytes, int firstLine, qint64 receivedMs, ParsedInput &out) const;

    // True when the text starts with a complete JSON object or array on its first line and more
    // follows on later lines.
    static bool looksLikeJsonLines(QByteArrayView bytes);

private:
    void quarantine(QByteArrayView raw, const QString &position, const QString &error, qint64 receivedMs,
                    ParsedInput &out) const;

    QString m_origin;
};

} // namespace sightline
