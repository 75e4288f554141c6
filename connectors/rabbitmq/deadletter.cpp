#include "connectors/rabbitmq/deadletter.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QJsonDocument>

namespace sightline {
namespace {

QString str(const QJsonObject &o, QStringView key)
{
    return o.value(key).toString();
}

QList<MessageDeath> deathsOf(const QJsonArray &xDeath)
{
    QList<MessageDeath> out;
    for (const QJsonValue &v : xDeath) {
        const QJsonObject d = v.toObject();
        MessageDeath death;
        death.exchange = str(d, u"exchange");
        death.queue = str(d, u"queue");
        for (const QJsonValue &k : d.value(u"routing-keys").toArray())
            death.routingKeys.append(k.toString());
        death.reason = str(d, u"reason");
        death.count = d.value(u"count").toInteger();
        death.timeMs = d.value(u"time").toInteger() * 1000; // AMQP timestamps are seconds
        out.append(death);
    }
    return out;
}

QJsonArray deathsJson(const QList<MessageDeath> &deaths)
{
    QJsonArray out;
    for (const MessageDeath &d : deaths) {
        out.append(QJsonObject{{QStringLiteral("exchange"), d.exchange},
                               {QStringLiteral("queue"), d.queue},
                               {QStringLiteral("routing_keys"), QJsonArray::fromStringList(d.routingKeys)},
                               {QStringLiteral("reason"), d.reason},
                               {QStringLiteral("count"), d.count},
                               {QStringLiteral("time"),
                                QDateTime::fromMSecsSinceEpoch(d.timeMs, Qt::UTC).toString(Qt::ISODate)}});
    }
    return out;
}

QString rfc3339(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODate);
}

} // namespace

QByteArray DeadLetter::payloadBytes() const
{
    return payloadEncoding == u"base64" ? QByteArray::fromBase64(payload.toLatin1()) : payload.toUtf8();
}

QString DeadLetter::destination() const
{
    return (exchange.isEmpty() ? QStringLiteral("(default exchange)") : exchange) + u'/' + routingKey;
}

QString DeadLetter::reasonText() const
{
    return QStringLiteral("%1 in %2 (%3 %4)")
        .arg(reason.isEmpty() ? QStringLiteral("dead-lettered") : reason,
             firstDeathQueue.isEmpty() ? deadLetterQueue : firstDeathQueue)
        .arg(deathCount)
        .arg(deathCount == 1 ? QStringLiteral("death") : QStringLiteral("deaths"));
}

Result<DeadLetter> deadLetterFromManagement(const QJsonObject &message, const QString &connection,
                                            const QString &virtualHost, const QString &deadLetterQueue)
{
    if (!message.contains(u"payload") || !message.value(u"properties").isObject())
        return Error{QStringLiteral("the management API's message has no payload or properties")};
    DeadLetter d;
    d.connection = connection;
    d.virtualHost = virtualHost;
    d.deadLetterQueue = deadLetterQueue;
    d.payload = str(message, u"payload");
    d.payloadEncoding = str(message, u"payload_encoding");
    if (d.payloadEncoding.isEmpty())
        d.payloadEncoding = QStringLiteral("string");
    d.properties = message.value(u"properties").toObject();
    QJsonObject headers = d.properties.value(u"headers").toObject();
    d.deaths = deathsOf(headers.value(u"x-death").toArray());
    for (const MessageDeath &death : std::as_const(d.deaths))
        d.deathCount += death.count;
    d.exchange = str(headers, u"x-first-death-exchange");
    d.firstDeathQueue = str(headers, u"x-first-death-queue");
    d.reason = str(headers, u"x-first-death-reason");
    // The routing key it had when it first died: the x-death entry of that queue and exchange.
    for (auto it = d.deaths.crbegin(); it != d.deaths.crend(); ++it) {
        if (it->queue == d.firstDeathQueue && it->exchange == d.exchange && !it->routingKeys.isEmpty()) {
            d.routingKey = it->routingKeys.constFirst();
            break;
        }
    }
    if (d.deaths.isEmpty() && d.exchange.isEmpty()) {
        // Published straight into the dead-letter queue: send it back where it was published.
        d.exchange = str(message, u"exchange");
        d.routingKey = str(message, u"routing_key");
    } else if (d.routingKey.isEmpty() && !d.deaths.isEmpty() && !d.deaths.constLast().routingKeys.isEmpty()) {
        d.routingKey = d.deaths.constLast().routingKeys.constFirst();
    }
    for (const QString &h : {QStringLiteral("x-death"), QStringLiteral("x-first-death-exchange"),
                             QStringLiteral("x-first-death-queue"), QStringLiteral("x-first-death-reason"),
                             QStringLiteral("x-last-death-exchange"), QStringLiteral("x-last-death-queue"),
                             QStringLiteral("x-last-death-reason")})
        headers.remove(h);
    if (headers.isEmpty())
        d.properties.remove(u"headers");
    else
        d.properties.insert(QStringLiteral("headers"), headers);
    d.messageId = str(d.properties, u"message_id");
    if (d.messageId.isEmpty())
        d.messageId =
            QStringLiteral("sha256:") +
            QString::fromLatin1(
                QCryptographicHash::hash(d.payloadBytes(), QCryptographicHash::Sha256).toHex().left(32));
    return d;
}

QByteArray deadLetterEvent(const DeadLetter &d)
{
    const qint64 lastDeathMs = d.deaths.isEmpty() ? 0 : d.deaths.constFirst().timeMs;
    const qint64 firstDeathMs = d.deaths.isEmpty() ? 0 : d.deaths.constLast().timeMs;
    QJsonObject data{
        {QStringLiteral("message_id"), d.messageId},
        {QStringLiteral("destination"), d.destination()},
        {QStringLiteral("reason"), d.reasonText()},
        {QStringLiteral("system"), QStringLiteral("broker")},
        {QStringLiteral("status"), d.reason.isEmpty() ? QStringLiteral("dead_lettered") : d.reason}};
    // The document the message is about, when its payload is an event that names one.
    const QJsonObject payload = QJsonDocument::fromJson(d.payloadBytes()).object();
    const QJsonObject payloadData = payload.value(u"data").toObject();
    for (const QString &key : {QStringLiteral("document"), QStringLiteral("links"), QStringLiteral("partner"),
                               QStringLiteral("warehouse")}) {
        if (payloadData.contains(key))
            data.insert(key, payloadData.value(key));
    }
    data.insert(QStringLiteral("broker"),
                QJsonObject{{QStringLiteral("connection"), d.connection},
                            {QStringLiteral("vhost"), d.virtualHost},
                            {QStringLiteral("dead_letter_queue"), d.deadLetterQueue},
                            {QStringLiteral("exchange"), d.exchange},
                            {QStringLiteral("routing_key"), d.routingKey},
                            {QStringLiteral("first_death_queue"), d.firstDeathQueue},
                            {QStringLiteral("reason"), d.reason},
                            {QStringLiteral("deaths"), d.deathCount},
                            {QStringLiteral("x_death"), deathsJson(d.deaths)},
                            {QStringLiteral("properties"), d.properties},
                            {QStringLiteral("payload"), d.payload},
                            {QStringLiteral("payload_encoding"), d.payloadEncoding}});
    QJsonObject event{{QStringLiteral("specversion"), QStringLiteral("1.0")},
                      {QStringLiteral("id"), QStringLiteral("dead-letter:%1:%2:%3:%4")
                                                 .arg(d.deadLetterQueue, d.messageId)
                                                 .arg(firstDeathMs)
                                                 .arg(d.deathCount)},
                      {QStringLiteral("source"), QString(QStringLiteral("rabbitmq/") + d.connection)},
                      {QStringLiteral("type"), QStringLiteral("message.dead_lettered")},
                      {QStringLiteral("datacontenttype"), QStringLiteral("application/json")},
                      {QStringLiteral("data"), data}};
    if (lastDeathMs > 0)
        event.insert(QStringLiteral("time"), rfc3339(lastDeathMs));
    if (!data.contains(u"document") && payload.value(u"subject").isString())
        event.insert(QStringLiteral("subject"), payload.value(u"subject"));
    return QJsonDocument(event).toJson(QJsonDocument::Compact);
}

Result<DeadLetter> deadLetterFromEvent(const QByteArray &rawEvent)
{
    const QJsonObject data = QJsonDocument::fromJson(rawEvent).object().value(u"data").toObject();
    const QJsonObject b = data.value(u"broker").toObject();
    if (b.isEmpty())
        return Error{QStringLiteral("the kept message is not a RabbitMQ dead letter")};
    DeadLetter d;
    d.connection = str(b, u"connection");
    d.virtualHost = str(b, u"vhost");
    d.deadLetterQueue = str(b, u"dead_letter_queue");
    d.messageId = str(data, u"message_id");
    d.exchange = str(b, u"exchange");
    d.routingKey = str(b, u"routing_key");
    d.firstDeathQueue = str(b, u"first_death_queue");
    d.reason = str(b, u"reason");
    d.deathCount = b.value(u"deaths").toInteger();
    d.properties = b.value(u"properties").toObject();
    d.payload = str(b, u"payload");
    d.payloadEncoding = str(b, u"payload_encoding");
    if (d.connection.isEmpty() || d.deadLetterQueue.isEmpty())
        return Error{QStringLiteral("the kept dead letter names no connection or dead-letter queue")};
    return d;
}

} // namespace sightline
