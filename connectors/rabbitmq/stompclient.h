#pragma once

#include "connectors/profile/secretref.h"
#include "connectors/rabbitmq/stompframe.h"
#include "connectors/reliability/retrypolicy.h"

#include <QObject>
#include <QTimer>
#include <QUrl>
#include <chrono>
#include <optional>

class QWebSocket;

namespace sightline {

// A STOMP 1.2 client over WebSocket (subprotocol v12.stomp), as RabbitMQ's web_stomp plugin speaks
// it. Logs in with a login and a passcode read from a secret reference, keeps heart-beats both
// ways, and reconnects with backoff and jitter when the socket closes, re-subscribing what was
// subscribed. Each connection is a session: ack ids belong to the session that received them,
// and an ACK for an older session is dropped (the broker redelivers those messages anyway).
// Lives on a connector thread; call it there.
class StompClient : public QObject
{
    Q_OBJECT
public:
    struct Settings
    {
        QString connection; // for messages and logs
        QUrl url;           // ws://host:15674/ws
        QString login;
        std::optional<SecretRef> passcode;
        QByteArray virtualHost = "/";
        std::chrono::milliseconds heartbeat{10'000}; // what we offer to send and want to receive
        RetryPolicy::Settings reconnect{std::chrono::milliseconds(250), std::chrono::milliseconds(15'000), 0};
        bool reconnects = true;
    };

    explicit StompClient(Settings settings, QObject *parent = nullptr);
    ~StompClient() override;

    void open();
    // DISCONNECT, then close: unacknowledged messages go back to their queues.
    void close();
    // Drops the socket without a word, as a crash would (tests).
    void abort();

    bool isConnected() const { return m_connected; }
    quint64 session() const { return m_session; }

    // Subscribes now (when connected) and again after every reconnect.
    void subscribe(const QByteArray &id, const QByteArray &destination,
                   QList<std::pair<QByteArray, QByteArray>> extraHeaders = {});
    void unsubscribe(const QByteArray &id);
    // False when not connected or the ack id belongs to an earlier session.
    bool ack(const QByteArray &ackId, quint64 session);
    bool nack(const QByteArray &ackId, quint64 session, bool requeue);
    // Sends any frame now; false when not connected.
    bool send(const StompFrame &frame);

Q_SIGNALS:
    void connected(quint64 session);
    void messageReceived(const sightline::StompFrame &frame, quint64 session);
    void receiptReceived(const QByteArray &receiptId);
    // An ERROR frame, a protocol error or a login that cannot be made; the socket is then closed.
    void clientFailed(const QString &message);
    void disconnected(const QString &why);

private:
    struct Subscription
    {
        QByteArray id;
        QByteArray destination;
        QList<std::pair<QByteArray, QByteArray>> headers;
    };

    void openSocket();
    void onSocketConnected();
    void onBytes(const QByteArray &bytes);
    void onFrame(const StompFrame &frame);
    void onConnectedFrame(const StompFrame &frame);
    void onSocketClosed();
    void sendSubscribe(const Subscription &s);
    void onHeartbeatTimer();
    void dropSocket();

    Settings m_settings;
    QWebSocket *m_socket = nullptr;
    StompDecoder m_decoder;
    QList<Subscription> m_subscriptions;
    QTimer m_sendBeat;
    QTimer m_watchdog;
    QTimer m_reconnectTimer;
    RetryPolicy m_backoff;
    int m_attempt = 0;
    qint64 m_lastReceivedMs = 0;
    qint64 m_expectEveryMs = 0;
    quint64 m_session = 0;
    bool m_connected = false;
    bool m_running = false;
};

} // namespace sightline

Q_DECLARE_METATYPE(sightline::StompFrame)
