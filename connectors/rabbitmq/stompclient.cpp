#include "connectors/rabbitmq/stompclient.h"

#include "connectors/connectorslog.h"
#include "models/domain/timestamp.h"

#include <QNetworkRequest>
#include <QWebSocket>
#include <QWebSocketHandshakeOptions>

namespace sightline {
namespace {

// "cx,cy" of a heart-beat header; zeros when absent or unreadable.
std::pair<qint64, qint64> beats(const QByteArray &header)
{
    const QList<QByteArray> parts = header.split(',');
    if (parts.size() != 2)
        return {0, 0};
    return {parts[0].trimmed().toLongLong(), parts[1].trimmed().toLongLong()};
}

} // namespace

StompClient::StompClient(Settings settings, QObject *parent)
    : QObject(parent), m_settings(std::move(settings)), m_backoff(m_settings.reconnect)
{
    qRegisterMetaType<sightline::StompFrame>();
    for (QTimer *timer : {&m_sendBeat, &m_watchdog, &m_reconnectTimer})
        timer->setParent(this);
    connect(&m_sendBeat, &QTimer::timeout, this, [this] {
        if (m_socket && m_connected)
            m_socket->sendTextMessage(QStringLiteral("\n"));
    });
    connect(&m_watchdog, &QTimer::timeout, this, &StompClient::onHeartbeatTimer);
    m_reconnectTimer.setSingleShot(true);
    connect(&m_reconnectTimer, &QTimer::timeout, this, &StompClient::openSocket);
}

StompClient::~StompClient()
{
    m_running = false;
    dropSocket();
}

void StompClient::open()
{
    m_running = true;
    m_attempt = 0;
    openSocket();
}

void StompClient::close()
{
    m_running = false;
    m_reconnectTimer.stop();
    if (m_socket && m_connected)
        send(StompFrame("DISCONNECT"));
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->close();
        m_socket->deleteLater();
        m_socket = nullptr;
    }
    m_connected = false;
    m_sendBeat.stop();
    m_watchdog.stop();
}

void StompClient::abort()
{
    m_running = false;
    m_reconnectTimer.stop();
    dropSocket();
}

void StompClient::dropSocket()
{
    m_connected = false;
    m_sendBeat.stop();
    m_watchdog.stop();
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
        m_socket->deleteLater();
        m_socket = nullptr;
    }
}

void StompClient::openSocket()
{
    if (!m_running)
        return;
    dropSocket();
    m_decoder.reset();
    m_socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
    connect(m_socket, &QWebSocket::connected, this, &StompClient::onSocketConnected);
    connect(m_socket, &QWebSocket::textMessageReceived, this,
            [this](const QString &text) { onBytes(text.toUtf8()); });
    connect(m_socket, &QWebSocket::binaryMessageReceived, this, &StompClient::onBytes);
    connect(m_socket, &QWebSocket::disconnected, this, &StompClient::onSocketClosed);
    QWebSocketHandshakeOptions options;
    options.setSubprotocols({QStringLiteral("v12.stomp")});
    m_lastReceivedMs = nowMs();
    m_socket->open(QNetworkRequest(m_settings.url), options);
}

void StompClient::onSocketConnected()
{
    QByteArray passcode;
    if (m_settings.passcode) {
        auto secret = m_settings.passcode->resolve();
        if (!secret) {
            m_running = false;
            dropSocket();
            Q_EMIT clientFailed(
                QStringLiteral("%1: the passcode %2 cannot be read: %3")
                    .arg(m_settings.connection, m_settings.passcode->describe(), secret.error()));
            return;
        }
        passcode = secret->reveal();
    }
    const QByteArray beat = QByteArray::number(qint64(m_settings.heartbeat.count()));
    StompFrame connectFrame(
        "CONNECT",
        {{"accept-version", "1.2"}, {"host", m_settings.virtualHost}, {"heart-beat", beat + ',' + beat}});
    if (!m_settings.login.isEmpty()) {
        connectFrame.headers.append({"login", m_settings.login.toUtf8()});
        connectFrame.headers.append({"passcode", passcode});
    }
    const QByteArray bytes = connectFrame.encode();
    m_socket->sendTextMessage(QString::fromUtf8(bytes));
}

void StompClient::onBytes(const QByteArray &bytes)
{
    m_lastReceivedMs = nowMs();
    if (!m_decoder.feed(bytes)) {
        const QString why = m_decoder.error();
        qCWarning(lcConnectors) << m_settings.connection << "STOMP:" << why;
        Q_EMIT clientFailed(QStringLiteral("%1: %2").arg(m_settings.connection, why));
        if (m_socket)
            m_socket->abort(); // reconnects
        return;
    }
    m_decoder.takeHeartbeats();
    while (auto frame = m_decoder.next()) {
        onFrame(*frame);
        if (!m_socket)
            return; // closed while handling the frame
    }
}

void StompClient::onFrame(const StompFrame &frame)
{
    if (frame.command == "CONNECTED") {
        onConnectedFrame(frame);
    } else if (frame.command == "MESSAGE") {
        Q_EMIT messageReceived(frame, m_session);
    } else if (frame.command == "RECEIPT") {
        Q_EMIT receiptReceived(frame.header("receipt-id"));
    } else if (frame.command == "ERROR") {
        const QString why =
            QStringLiteral("%1: broker error: %2%3")
                .arg(m_settings.connection, QString::fromUtf8(frame.header("message")),
                     frame.body.isEmpty()
                         ? QString()
                         : QStringLiteral(" (%1)").arg(QString::fromUtf8(frame.body.left(300)).trimmed()));
        qCWarning(lcConnectors).noquote() << why;
        if (!m_connected)
            m_running = false; // a refused login does not get better by trying again
        Q_EMIT clientFailed(why);
    }
}

void StompClient::onConnectedFrame(const StompFrame &frame)
{
    ++m_session;
    m_connected = true;
    m_attempt = 0;
    // heart-beat negotiation (STOMP 1.2 §Heart-beating)
    const qint64 ours = m_settings.heartbeat.count();
    const auto [sx, sy] = beats(frame.header("heart-beat"));
    const qint64 sendEvery = ours && sy ? std::max(ours, sy) : 0;
    m_expectEveryMs = ours && sx ? std::max(ours, sx) : 0;
    if (sendEvery > 0)
        m_sendBeat.start(std::chrono::milliseconds(sendEvery));
    if (m_expectEveryMs > 0)
        m_watchdog.start(std::chrono::milliseconds(m_expectEveryMs));
    qCInfo(lcConnectors) << m_settings.connection << "STOMP session" << m_session << "with"
                         << frame.header("server");
    for (const Subscription &s : std::as_const(m_subscriptions))
        sendSubscribe(s);
    Q_EMIT connected(m_session);
}

void StompClient::onHeartbeatTimer()
{
    // Silence for twice the agreed interval: the connection is gone, whatever TCP thinks.
    if (m_socket && m_connected && nowMs() - m_lastReceivedMs > 2 * m_expectEveryMs) {
        qCWarning(lcConnectors) << m_settings.connection << "no STOMP heart-beat for"
                                << nowMs() - m_lastReceivedMs << "ms; reconnecting";
        m_socket->abort();
    }
}

void StompClient::onSocketClosed()
{
    const QString why = m_socket ? m_socket->errorString() : QString();
    const bool wasConnected = m_connected;
    dropSocket();
    Q_EMIT disconnected(why);
    if (!m_running || !m_settings.reconnects)
        return;
    const auto delay = m_backoff.delayFor(m_attempt++);
    qCInfo(lcConnectors) << m_settings.connection << "STOMP socket closed (" << why
                         << "), connected:" << wasConnected << "; reconnecting in" << delay.count() << "ms";
    m_reconnectTimer.start(delay);
}

void StompClient::subscribe(const QByteArray &id, const QByteArray &destination,
                            QList<std::pair<QByteArray, QByteArray>> extraHeaders)
{
    unsubscribe(id);
    Subscription s{id, destination, std::move(extraHeaders)};
    m_subscriptions.append(s);
    if (m_connected)
        sendSubscribe(s);
}

void StompClient::unsubscribe(const QByteArray &id)
{
    const auto removed = m_subscriptions.removeIf([&](const Subscription &s) { return s.id == id; });
    if (removed && m_connected)
        send(StompFrame("UNSUBSCRIBE", {{"id", id}}));
}

void StompClient::sendSubscribe(const Subscription &s)
{
    StompFrame f("SUBSCRIBE", {{"id", s.id}, {"destination", s.destination}});
    for (const auto &h : s.headers)
        f.setHeader(h.first, h.second);
    if (!f.hasHeader("ack"))
        f.setHeader("ack", "client-individual");
    send(f);
}

bool StompClient::ack(const QByteArray &ackId, quint64 session)
{
    if (session != m_session)
        return false;
    return send(StompFrame("ACK", {{"id", ackId}}));
}

bool StompClient::nack(const QByteArray &ackId, quint64 session, bool requeue)
{
    if (session != m_session)
        return false;
    return send(StompFrame("NACK", {{"id", ackId}, {"requeue", requeue ? "true" : "false"}}));
}

bool StompClient::send(const StompFrame &frame)
{
    if (!m_socket || !m_connected)
        return false;
    const QByteArray bytes = frame.encode();
    // Text when the bytes are UTF-8 (web_stomp's default), binary otherwise: the body stays byte-exact.
    const QString text = QString::fromUtf8(bytes);
    if (text.toUtf8() == bytes)
        m_socket->sendTextMessage(text);
    else
        m_socket->sendBinaryMessage(bytes);
    return true;
}

} // namespace sightline
