#pragma once

#include <QString>
#include <QStringList>
#include <QUrl>
#include <chrono>

namespace sightline {

// What a "rabbitmq" connection profile adds to the common fields (url = the STOMP-over-WebSocket
// endpoint, auth = basic with the broker user; its password is the STOMP passcode and the
// management API's password).
struct RabbitMqSettings
{
    QUrl managementUrl; // http://127.0.0.1:15672/api/
    QString virtualHost = QStringLiteral("/");
    QString destination; // "/amq/queue/<q>" or "/exchange/<x>/<routing key>"
    QString queueName;   // an /exchange destination's durable queue (x-queue-name)
    int prefetch = 200;
    QString
        mappingFile; // message bodies that are not CloudEvents, mapped by this file (README, mapping files)
    QStringList deadLetterQueues; // read through the management API, never consumed
    std::chrono::seconds deadLetterPollInterval{30};
    int deadLetterBatch = 200; // messages looked at per queue and poll
};

} // namespace sightline
