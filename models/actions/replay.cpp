#include "models/actions/replay.h"

#include "models/exceptions/exceptionrules.h"

#include <QCryptographicHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUrl>

namespace sightline {

QString replayIdempotencyKey(qint64 exceptionId, const QByteArray &payload)
{
    const QByteArray payloadHash = QCryptographicHash::hash(payload, QCryptographicHash::Sha256).toHex();
    const QByteArray key = QCryptographicHash::hash(
        QByteArray("sightline-replay:" + QByteArray::number(exceptionId) + ':' + payloadHash),
        QCryptographicHash::Sha256);
    return QStringLiteral("replay-") + QString::fromLatin1(key.toHex().left(40));
}

namespace {

// A message a broker dead-lettered (connectors/rabbitmq): its connection sends it back to the
// exchange and routing key it was first published to and takes it off the dead-letter queue.
Result<ReplayAction> brokerReplayAction(const ExceptionItem &item, const QByteArray &raw,
                                        const QJsonObject &broker)
{
    const QString connection = broker.value(QStringLiteral("connection")).toString();
    if (connection.isEmpty())
        return Error{
            QStringLiteral("the dead letter of exception %1 names no broker connection").arg(item.id)};
    ReplayAction a;
    a.exceptionId = item.id;
    a.connection = connection;
    a.method = "REDRIVE";
    a.path = broker.value(QStringLiteral("exchange")).toString() + u'/' +
             broker.value(QStringLiteral("routing_key")).toString() + QStringLiteral(" from ") +
             broker.value(QStringLiteral("dead_letter_queue")).toString();
    a.body = raw;
    a.idempotencyKey = replayIdempotencyKey(item.id, raw);
    a.deaths = broker.value(QStringLiteral("deaths")).toInt();
    return a;
}

} // namespace

QString resubmitIdempotencyKey(qint64 exceptionId, const QByteArray &editedPayload)
{
    const QByteArray payloadHash =
        QCryptographicHash::hash(editedPayload, QCryptographicHash::Sha256).toHex();
    const QByteArray key = QCryptographicHash::hash(
        QByteArray("sightline-resubmit:" + QByteArray::number(exceptionId) + ':' + payloadHash),
        QCryptographicHash::Sha256);
    return QStringLiteral("resubmit-") + QString::fromLatin1(key.toHex().left(40));
}

Result<ReplayAction> replayActionFor(const ExceptionItem &item, const QByteArray &raw)
{
    if (item.rule != rule::MessageFailed && item.rule != rule::MessageDeadLettered)
        return Error{QStringLiteral("only failed or dead-lettered messages can be replayed; this is '%1'")
                         .arg(item.type)};
    if (raw.isEmpty())
        return Error{QStringLiteral("exception %1 has no kept message to replay").arg(item.id)};
    const QJsonObject data = QJsonDocument::fromJson(raw).object().value(QStringLiteral("data")).toObject();
    if (const QJsonObject broker = data.value(QStringLiteral("broker")).toObject(); !broker.isEmpty())
        return brokerReplayAction(item, raw, broker);
    const QString messageId = data.value(QStringLiteral("message_id")).toString();
    if (messageId.isEmpty())
        return Error{QStringLiteral("the kept message of exception %1 names no message id").arg(item.id)};
    ReplayAction a;
    a.exceptionId = item.id;
    // The messages are the ERP's: it re-sends them to their destination.
    a.connection = QStringLiteral("erp");
    a.path =
        QStringLiteral("messages/%1/resubmit").arg(QString::fromLatin1(QUrl::toPercentEncoding(messageId)));
    a.body = raw;
    a.idempotencyKey = replayIdempotencyKey(item.id, raw);
    // The ERP marks a message it sent again: a resubmit whose answer was lost shows there.
    a.confirmPath =
        QStringLiteral("messages/%1").arg(QString::fromLatin1(QUrl::toPercentEncoding(messageId)));
    a.confirmField = QStringLiteral("resubmitted");
    return a;
}

void ReplaySender::read(const ReplayAction &, QObject *context,
                        std::function<void(std::optional<QByteArray>)> done)
{
    QMetaObject::invokeMethod(
        context, [done = std::move(done)] { done(std::nullopt); }, Qt::QueuedConnection);
}

bool confirmsApplied(const ReplayAction &action, const QByteArray &record)
{
    if (action.confirmField.isEmpty())
        return false;
    const QJsonDocument doc = QJsonDocument::fromJson(record);
    return doc.isObject() && doc.object().value(action.confirmField).toBool(false);
}

} // namespace sightline
