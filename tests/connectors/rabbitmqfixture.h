#pragma once

// A private RabbitMQ node for tests, started with the project's own installer/rabbitmq.sh on
// 127.0.0.1 in a temporary folder, and a small synchronous client of its management API.
// The node (and its epmd) is stopped by the destructor, and by a watcher process if this test
// process dies without running it.

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QUrl>
#include <csignal>
#include <functional>

namespace rabbitmqfixture {

inline QString scriptPath()
{
    return QStringLiteral(SIGHTLINE_SOURCE_DIR "/installer/rabbitmq.sh");
}

class PrivateBroker
{
public:
    // Starts the node; error() says why when it could not (skipReason() when the package is absent).
    PrivateBroker()
    {
        if (!QFile::exists(QStringLiteral("/usr/lib/rabbitmq/bin/rabbitmq-server"))) {
            m_skip = QStringLiteral("rabbitmq-server is not installed (installer/deps.sh installs it; "
                                    "this machine could not): the RabbitMQ tests need a real broker");
            return;
        }
        QProcess start;
        start.setProcessChannelMode(QProcess::SeparateChannels);
        start.start(QStringLiteral("bash"), {scriptPath(), QStringLiteral("start"), m_dir.path()});
        if (!start.waitForFinished(120'000)) {
            start.kill();
            m_error = QStringLiteral("installer/rabbitmq.sh start did not finish in 120 s");
            stop();
            return;
        }
        const QString out = QString::fromUtf8(start.readAllStandardOutput());
        const QRegularExpression ready(
            QStringLiteral("RABBITMQ READY mgmt=(\\S+) ws=(\\S+) amqp=\\d+ stomp=\\d+ dist=\\d+ epmd=\\d+ "
                           "pid=(\\d+) seconds=(\\d+)"));
        const auto m = ready.match(out);
        if (start.exitCode() != 0 || !m.hasMatch()) {
            m_error = QStringLiteral("installer/rabbitmq.sh start failed (%1): %2 %3")
                          .arg(start.exitCode())
                          .arg(out, QString::fromUtf8(start.readAllStandardError()));
            stop();
            return;
        }
        m_management = QUrl(m.captured(1));
        m_ws = QUrl(m.captured(2));
        m_startSeconds = m.captured(4).toInt();
        startWatcher();
    }
    ~PrivateBroker() { stop(); }
    PrivateBroker(const PrivateBroker &) = delete;
    PrivateBroker &operator=(const PrivateBroker &) = delete;

    bool running() const { return m_error.isEmpty() && m_skip.isEmpty(); }
    QString error() const { return m_error; }
    QString skipReason() const { return m_skip; }
    QUrl managementUrl() const { return m_management; }
    QUrl stompUrl() const { return m_ws; }
    int startSeconds() const { return m_startSeconds; }
    QString dir() const { return m_dir.path(); }

    void stop()
    {
        if (m_stopped || !m_skip.isEmpty())
            return;
        m_stopped = true;
        if (m_watcher > 0)
            ::kill(pid_t(m_watcher), SIGTERM);
        QProcess stopper;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("RABBITMQ_FAST_STOP"), QStringLiteral("1")); // the data is thrown away
        stopper.setProcessEnvironment(env);
        stopper.start(QStringLiteral("bash"), {scriptPath(), QStringLiteral("stop"), m_dir.path()});
        stopper.waitForFinished(60'000);
    }

private:
    // Stops the node when this process is gone, however it ended.
    void startWatcher()
    {
        const QString script =
            QStringLiteral("while kill -0 %1 2>/dev/null; do sleep 1; done; "
                           "[ -f '%2/rabbit.pid' ] && RABBITMQ_FAST_STOP=1 bash '%3' stop '%2'")
                .arg(QCoreApplication::applicationPid())
                .arg(m_dir.path(), scriptPath());
        QProcess::startDetached(QStringLiteral("setsid"),
                                {QStringLiteral("bash"), QStringLiteral("-c"), script}, QString(),
                                &m_watcher);
    }

    QTemporaryDir m_dir;
    QUrl m_management;
    QUrl m_ws;
    int m_startSeconds = 0;
    QString m_error;
    QString m_skip;
    qint64 m_watcher = 0;
    bool m_stopped = false;
};

// The management API, called synchronously (tests only; the product calls it on connector threads).
class Management
{
public:
    explicit Management(QUrl base) : m_base(std::move(base)) {}

    struct Answer
    {
        int status = 0;
        QByteArray body;
        QJsonValue json() const
        {
            return QJsonDocument::fromJson(body).isArray()
                       ? QJsonValue(QJsonDocument::fromJson(body).array())
                       : QJsonValue(QJsonDocument::fromJson(body).object());
        }
    };

    Answer call(const QByteArray &method, const QString &path, const QJsonObject &body = {})
    {
        QNetworkRequest request(m_base.resolved(QUrl(path)));
        request.setRawHeader("Authorization", "Basic " + QByteArray("guest:guest").toBase64());
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));
        const QByteArray data =
            body.isEmpty() ? QByteArray() : QJsonDocument(body).toJson(QJsonDocument::Compact);
        QNetworkReply *reply = m_network.sendCustomRequest(request, method, data);
        QEventLoop loop;
        QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
        QTimer::singleShot(15'000, &loop, &QEventLoop::quit);
        loop.exec();
        Answer a;
        a.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        a.body = reply->readAll();
        reply->deleteLater();
        return a;
    }

    // ops.events (topic) --shipment.#--> shipment.events (dead letters to ops.dlx) ; ops.dlx (fanout) -->
    // ops.dlq
    bool declareTopology()
    {
        const QList<Answer> answers{
            call("PUT", QStringLiteral("exchanges/%2F/ops.events"),
                 {{QStringLiteral("type"), QStringLiteral("topic")}, {QStringLiteral("durable"), true}}),
            call("PUT", QStringLiteral("exchanges/%2F/ops.dlx"),
                 {{QStringLiteral("type"), QStringLiteral("fanout")}, {QStringLiteral("durable"), true}}),
            call("PUT", QStringLiteral("queues/%2F/ops.dlq"), {{QStringLiteral("durable"), true}}),
            call("POST", QStringLiteral("bindings/%2F/e/ops.dlx/q/ops.dlq"),
                 {{QStringLiteral("routing_key"), QStringLiteral("")}}),
            call("PUT", QStringLiteral("queues/%2F/shipment.events"),
                 {{QStringLiteral("durable"), true},
                  {QStringLiteral("arguments"),
                   QJsonObject{{QStringLiteral("x-dead-letter-exchange"), QStringLiteral("ops.dlx")}}}}),
            call("POST", QStringLiteral("bindings/%2F/e/ops.events/q/shipment.events"),
                 {{QStringLiteral("routing_key"), QStringLiteral("shipment.#")}})};
        for (const Answer &a : answers) {
            if (a.status < 200 || a.status >= 300)
                return false;
        }
        return true;
    }

    bool publish(const QString &exchange, const QString &routingKey, const QByteArray &payload,
                 const QString &messageId = {})
    {
        QJsonObject properties{{QStringLiteral("content_type"), QStringLiteral("application/json")},
                               {QStringLiteral("delivery_mode"), 2}};
        if (!messageId.isEmpty())
            properties.insert(QStringLiteral("message_id"), messageId);
        const Answer a = call("POST", QStringLiteral("exchanges/%2F/%1/publish").arg(exchange),
                              {{QStringLiteral("properties"), properties},
                               {QStringLiteral("routing_key"), routingKey},
                               {QStringLiteral("payload"), QString::fromUtf8(payload)},
                               {QStringLiteral("payload_encoding"), QStringLiteral("string")}});
        return a.status == 200 && a.json().toObject().value(QStringLiteral("routed")).toBool();
    }

    // A queue's counters (sampled by the broker: they lag; poll them).
    QJsonObject queue(const QString &name)
    {
        return call("GET", QStringLiteral("queues/%2F/%1").arg(name)).json().toObject();
    }

    // Waits until the queue's counters say ready/unacked (both when >= 0); false after timeoutMs.
    bool waitForQueue(const QString &name, int ready, int unacked, int timeoutMs = 20'000)
    {
        QElapsedTimer t;
        t.start();
        while (t.elapsed() < timeoutMs) {
            const QJsonObject q = queue(name);
            if (q.contains(QStringLiteral("messages_ready")) &&
                (ready < 0 || q.value(QStringLiteral("messages_ready")).toInt() == ready) &&
                (unacked < 0 || q.value(QStringLiteral("messages_unacknowledged")).toInt() == unacked))
                return true;
            QTest::qWait(150);
        }
        return false;
    }

    bool purge(const QString &name)
    {
        return call("DELETE", QStringLiteral("queues/%2F/%1/contents").arg(name)).status / 100 == 2;
    }

private:
    QUrl m_base;
    QNetworkAccessManager m_network;
};

// A Sightline CloudEvent about one shipment, as a producer would publish it.
inline QByteArray shipmentEvent(const QString &id, const QString &shipment,
                                const QString &milestone = QStringLiteral("shipment.dispatched"))
{
    const QJsonObject event{{QStringLiteral("specversion"), QStringLiteral("1.0")},
                            {QStringLiteral("id"), id},
                            {QStringLiteral("source"), QStringLiteral("wms/rabbit")},
                            {QStringLiteral("type"), milestone},
                            {QStringLiteral("time"), QStringLiteral("2026-11-30T10:00:00Z")},
                            {QStringLiteral("data"),
                             QJsonObject{{QStringLiteral("document"),
                                          QJsonObject{{QStringLiteral("kind"), QStringLiteral("shipment")},
                                                      {QStringLiteral("key"), shipment}}},
                                         {QStringLiteral("system"), QStringLiteral("wms")},
                                         {QStringLiteral("status"), QStringLiteral("dispatched")}}}};
    return QJsonDocument(event).toJson(QJsonDocument::Compact);
}

} // namespace rabbitmqfixture
