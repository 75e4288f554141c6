#pragma once

#include "connectors/sandbox/faultsettings.h"
#include "connectors/sandbox/restapi.h"
#include "connectors/sandbox/sandboxoptions.h"
#include "models/result.h"
#include "models/sandbox/random.h"
#include "models/sandbox/scenario.h"
#include "models/sandbox/simclock.h"

#include <QObject>
#include <QTimer>
#include <memory>
#include <vector>

class QHttpServerRequest;
class QHttpServerResponder;
class QTcpSocket;

namespace sightline::sandbox {

class FeedServer;
class HttpFrontend;

// The whole sandbox in one object: the scenario on its simulated clock, the three REST APIs and
// the admin endpoints on one HTTP port, the CloudEvents feed on another, and fault injection.
// Lives on the thread that created it; everything is asynchronous.
class SandboxServer : public QObject
{
    Q_OBJECT

public:
    explicit SandboxServer(SandboxOptions options, QObject *parent = nullptr);
    ~SandboxServer() override;

    // Generates the backfill, then listens on 127.0.0.1. Ports are known afterwards.
    Status start();
    quint16 httpPort() const { return m_httpPort; }
    quint16 feedPort() const { return m_feedPort; }

    const Scenario &scenario() const { return m_scenario; }
    const FaultSettings &faults() const { return m_faults; }
    Status setFaults(const QJsonObject &changes);
    // Runs the scenario up to the simulated now and sends new events to the feed.
    void tick();

private:
    void handle(const QHttpServerRequest &request, QTcpSocket *socket);
    ApiReply admin(const ApiRequest &request);
    QJsonObject inspect() const;

    SandboxOptions m_options;
    Scenario m_scenario;
    SimulatedClock m_clock;
    FaultSettings m_faults;
    Random m_faultRandom;
    RestApi m_api;
    std::unique_ptr<HttpFrontend> m_http;
    FeedServer *m_feed = nullptr;
    QTimer m_tickTimer;
    QTimer m_heartbeatTimer;
    std::vector<std::shared_ptr<QHttpServerResponder>> m_hanging;
    quint16 m_httpPort = 0;
    quint16 m_feedPort = 0;
    int m_requests = 0;
};

} // namespace sightline::sandbox
