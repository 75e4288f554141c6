#pragma once

#include "models/result.h"

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QString>

namespace sightline {

// One death of a message, as RabbitMQ records it in the x-death header (most recent first).
struct MessageDeath
{
    QString exchange;
    QString queue;
    QStringList routingKeys;
    QString reason; // rejected, expired, maxlen, delivery_limit
    qint64 count = 0;
    qint64 timeMs = 0;
};

// A message read from a dead-letter queue through the management API, with what is needed to
// show it and to send it back where it came from.
struct DeadLetter
{
    QString connection;
    QString virtualHost;
    QString deadLetterQueue;
    QString messageId;  // the message_id property, or "sha256:<payload hash>" when it has none
    QString exchange;   // where it was first published (x-first-death-exchange)
    QString routingKey; // its routing key then
    QString firstDeathQueue;
    QString reason; // x-first-death-reason
    QList<MessageDeath> deaths;
    qint64 deathCount = 0;   // the sum of x-death counts: the loop guard's measure
    QJsonObject properties;  // as published: without x-death and x-first-death-* headers
    QString payload;         // as the management API gave it
    QString payloadEncoding; // "string" or "base64"

    QByteArray payloadBytes() const;
    QString destination() const; // "<exchange>/<routing key>" for people
    QString reasonText() const;  // "rejected in shipment.events (1 death)"
};

// Reads one element of `POST /api/queues/<vhost>/<queue>/get`'s answer.
Result<DeadLetter> deadLetterFromManagement(const QJsonObject &message, const QString &connection,
                                            const QString &virtualHost, const QString &deadLetterQueue);

// The message.dead_lettered CloudEvent Sightline stores for it: source "rabbitmq/<connection>", an id
// stable across re-reads (a new death makes a new id), the document the payload names (when it is
// a CloudEvent that names one), and data.broker holding everything needed to send it back.
QByteArray deadLetterEvent(const DeadLetter &letter);

// The dead letter kept in such an event (the exception's raw payload); an error when it holds none.
Result<DeadLetter> deadLetterFromEvent(const QByteArray &rawEvent);

} // namespace sightline
