#pragma once

// moc misreads raw string literals in files with Q_OBJECT: the recorded answer lives here.
#include <QJsonDocument>
#include <QJsonObject>

namespace deadletterfixture {

// Recorded from RabbitMQ 3.10.8: POST /api/queues/%2F/ops.dlq/get after a reject (requeue false).
inline QJsonObject recorded(int count)
{
    const QByteArray text =
        R"({"payload_bytes":7,"redelivered":false,"exchange":"ops.dlx","routing_key":"shipment.status",
            "message_count":0,"properties":{"message_id":"evt-1","delivery_mode":2,"headers":{"source":"wms",
            "x-death":[{"count":COUNT,"exchange":"ops.events","queue":"shipment.events","reason":"rejected",
            "routing-keys":["shipment.status"],"time":1796102643}],"x-first-death-exchange":"ops.events",
            "x-first-death-queue":"shipment.events","x-first-death-reason":"rejected"},
            "content_type":"application/json"},"payload":"{\"a\":1}","payload_encoding":"string"})";
    return QJsonDocument::fromJson(QByteArray(text).replace("COUNT", QByteArray::number(count))).object();
}

// A CloudEvent about shipment SHP-9, as a dead letter's payload.
inline QString shipmentPayload()
{
    return QStringLiteral(R"({"specversion":"1.0","id":"e-9","source":"wms","type":"shipment.dispatched",)"
                          R"("data":{"document":{"kind":"shipment","key":"SHP-9"}}})");
}

} // namespace deadletterfixture
