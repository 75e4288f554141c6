#include "connectors/sandbox/feedserver.h"

#include "models/sandbox/sandboxlog.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QTimer>
#include <QUrlQuery>
#include <QWebSocket>
#include <QWebSocketServer>

namespace sightline::sandbox {

FeedServer::FeedServer(const Scenario &scenario, const FaultSettings &faults, quint64 seed, QObject *parent)
    : QObject(parent), m_scenario(scenario), m_faults(faults), m_random(seed ^ 0xfeed5eedULL),
      m_server(
          new QWebSocketServer(QStringLiteral("sightline-sandbox"), QWebSocketServer::NonSecureMode, this))
{
    connect(m_server, &QWebSocketServer::newConnection, this, &FeedServer::accept);
}

FeedServer::~FeedServer()
{
    const auto sockets = m_clients.keys();
    m_clients.clear();
    for (QWebSocket *socket : sockets) {
        socket->disconnect(this);
        socket->abort();
    }
}

Result<quint16> FeedServer::listen(quint16 port)
{
    if (!m_server->listen(QHostAddress::LocalHost, port))
        return Error{QStringLiteral("the feed cannot listen on 127.0.0.1:%1: %2")
                         .arg(port)
                         .arg(m_server->errorString())};
    return m_server->serverPort();
}

void FeedServer::accept()
{
    while (m_server->hasPendingConnections()) {
        QWebSocket *socket = m_server->nextPendingConnection();
        socket->setParent(this);
        connect(socket, &QWebSocket::disconnected, this, [this, socket] { drop(socket); });
        const QUrl url = socket->requestUrl();
        const QUrlQuery query(url);
        bool ok = true;
        const qint64 after = query.hasQueryItem(QStringLiteral("after"))
                                 ? query.queryItemValue(QStringLiteral("after")).toLongLong(&ok)
                                 : 0;
        if (url.path() != u"/feed" || !ok || after < 0) {
            socket->close(QWebSocketProtocol::CloseCodePolicyViolated,
                          QStringLiteral("connect to /feed?after=<sequence> (a non-negative integer)"));
            continue;
        }
        ++m_connections;
        // Sequences are 1-based and dense: the event after `after` sits at index `after`.
        m_clients.insert(socket, Client{qMin<qsizetype>(after, m_scenario.events().size()), {}, 0});
        qCDebug(lcSandbox) << "feed client connected after" << after;
        catchUp(socket);
    }
}

void FeedServer::publish()
{
    const auto sockets = m_clients.keys();
    for (QWebSocket *socket : sockets)
        catchUp(socket);
}

void FeedServer::catchUp(QWebSocket *socket)
{
    const qsizetype total = m_scenario.events().size();
    while (m_clients.contains(socket)) {
        Client &client = m_clients[socket];
        if (client.next >= total)
            return;
        const qsizetype index = client.next++;
        if (!deliver(socket, client, index))
            return;
    }
}

bool FeedServer::deliver(QWebSocket *socket, Client &client, qsizetype index)
{
    if (m_faults.feedDisconnectAfter > 0 && client.sent >= m_faults.feedDisconnectAfter) {
        // Abrupt: no close frame. What was already sent gets out first (an abort drops the write
        // buffer, which could hold the handshake itself), then the connection is cut.
        ++m_disconnects;
        m_clients.remove(socket);
        socket->flush();
        QTimer::singleShot(100, socket, [socket] {
            socket->abort();
            socket->deleteLater();
        });
        return false;
    }
    const QByteArray &json = m_scenario.events().at(index).json;
    if (m_faults.feedMalformedRate > 0 && m_random.chance(m_faults.feedMalformedRate)) {
        ++m_malformed;
        socket->sendTextMessage(QString::fromUtf8(json.left(json.size() / 2)));
    }
    if (!client.held && m_faults.feedReorderRate > 0 && m_random.chance(m_faults.feedReorderRate)) {
        ++m_reordered;
        client.held = index;
        return true;
    }
    socket->sendTextMessage(QString::fromUtf8(json));
    ++client.sent;
    if (m_faults.feedDuplicateRate > 0 && m_random.chance(m_faults.feedDuplicateRate)) {
        ++m_duplicates;
        socket->sendTextMessage(QString::fromUtf8(json));
    }
    if (client.held) {
        socket->sendTextMessage(QString::fromUtf8(m_scenario.events().at(*client.held).json));
        client.held.reset();
        ++client.sent;
    }
    return true;
}

void FeedServer::heartbeat(qint64 simulatedNowMs)
{
    const QByteArray beat =
        QJsonDocument(QJsonObject{
                          {QStringLiteral("type"), QStringLiteral("heartbeat")},
                          {QStringLiteral("sequence"), m_scenario.events().size()},
                          {QStringLiteral("time"),
                           QDateTime::fromMSecsSinceEpoch(simulatedNowMs, Qt::UTC).toString(Qt::ISODate)},
                      })
            .toJson(QJsonDocument::Compact);
    const auto sockets = m_clients.keys();
    for (QWebSocket *socket : sockets) {
        Client &client = m_clients[socket];
        if (client.held) { // a held-back event is not kept past a heartbeat
            socket->sendTextMessage(QString::fromUtf8(m_scenario.events().at(*client.held).json));
            client.held.reset();
        }
        socket->sendTextMessage(QString::fromUtf8(beat));
    }
}

void FeedServer::drop(QWebSocket *socket)
{
    m_clients.remove(socket);
    socket->deleteLater(); // safe to call again after an injected abort
}

QJsonObject FeedServer::stats() const
{
    return {{QStringLiteral("clients"), m_clients.size()},
            {QStringLiteral("connections"), m_connections},
            {QStringLiteral("disconnects_injected"), m_disconnects},
            {QStringLiteral("duplicates_sent"), m_duplicates},
            {QStringLiteral("reordered"), m_reordered},
            {QStringLiteral("malformed_sent"), m_malformed}};
}

} // namespace sightline::sandbox
