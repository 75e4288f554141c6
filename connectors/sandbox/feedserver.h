#pragma once

#include "connectors/sandbox/faultsettings.h"
#include "models/result.h"
#include "models/sandbox/random.h"
#include "models/sandbox/scenario.h"

#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <optional>

class QWebSocket;
class QWebSocketServer;

namespace sightline::sandbox {

// The WebSocket feed: ws://127.0.0.1:<port>/feed?after=<sequence>. Sends every event of the
// scenario with a larger sequence, then each new one as it happens, and a heartbeat
// {"type":"heartbeat","sequence":<latest>} every few seconds. Injects the feed faults:
// duplicates, reordering, broken JSON texts and abrupt disconnects.
class FeedServer : public QObject
{
    Q_OBJECT

public:
    FeedServer(const Scenario &scenario, const FaultSettings &faults, quint64 seed,
               QObject *parent = nullptr);
    ~FeedServer() override;

    Result<quint16> listen(quint16 port);
    // Sends every client the events it has not had yet.
    void publish();
    void heartbeat(qint64 simulatedNowMs);
    QJsonObject stats() const;

private:
    struct Client
    {
        qsizetype next = 0; // index of the next event to send
        std::optional<qsizetype> held;
        int sent = 0;
    };

    void accept();
    void catchUp(QWebSocket *socket);
    // False when the connection was dropped.
    bool deliver(QWebSocket *socket, Client &client, qsizetype index);
    void drop(QWebSocket *socket);

    const Scenario &m_scenario;
    const FaultSettings &m_faults;
    Random m_random;
    QWebSocketServer *m_server = nullptr;
    QHash<QWebSocket *, Client> m_clients;
    int m_connections = 0;
    int m_disconnects = 0;
    int m_duplicates = 0;
    int m_reordered = 0;
    int m_malformed = 0;
};

} // namespace sightline::sandbox
