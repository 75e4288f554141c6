#pragma once

#include "connectors/profile/connectionprofile.h"

#include <QMetaType>
#include <QObject>
#include <QString>
#include <QThread>
#include <memory>

class QWebSocket;

namespace sightline {

class ConnectionClient;
struct HttpResult;

// What one connection test found, said for a person.
struct ConnectionTestResult
{
    enum class Outcome {
        Connected,            // the target answered with success
        AuthenticationFailed, // 401/403: the credentials are wrong or missing
        Refused,              // the target answered with another error (404, 5xx, ...)
        Unreachable,          // no answer: host not found, connection refused, timeout, TLS
        BadSettings,          // nothing sent: the secret cannot be read, the URL is not usable
    };
    Outcome outcome = Outcome::BadSettings;
    QString summary;    // "Connected: HTTP 200 from http://... in 12 ms"; never a secret
    int httpStatus = 0; // 0 when no HTTP answer came
    qint64 elapsedMs = 0;

    bool ok() const { return outcome == Outcome::Connected; }
};

// Runs one test on the connection-test thread: REST sends one GET for one record of the first
// resource through ConnectionClient (the poller's own client: API key, bearer, Basic, OAuth2
// token); a WebSocket feed opens and closes the socket. Secrets are resolved here, sent in
// headers, and never logged.
class ConnectionTestWorker : public QObject
{
    Q_OBJECT
public:
    explicit ConnectionTestWorker(std::chrono::milliseconds feedTimeout);
    ~ConnectionTestWorker() override;

    using Header = std::pair<QByteArray, QByteArray>; // name, value; empty name: none

    void test(quint64 jobId, const sightline::ConnectionProfile &profile);

Q_SIGNALS:
    void finished(quint64 jobId, const sightline::ConnectionTestResult &result);

private:
    void testRest(quint64 jobId, const ConnectionProfile &profile);
    void testFeed(quint64 jobId, const ConnectionProfile &profile, const Header &auth);
    void onHttp(quint64 jobId, const HttpResult &result);
    void dropSocket();
    void finish(quint64 jobId, ConnectionTestResult result);

    std::chrono::milliseconds m_timeout;
    ConnectionClient *m_client = nullptr;
    QWebSocket *m_socket = nullptr;
    struct Pending;
    std::unique_ptr<Pending> m_pending;
};

// The caller's side: starts a named thread ("sightline-connection-test"), queues tests on it and
// hands back only the result of the newest test (a slower older one is dropped). Never blocks.
class ConnectionTester : public QObject
{
    Q_OBJECT
public:
    // feedTimeout: how long a feed's handshake may take; REST uses the profile's own timeout.
    explicit ConnectionTester(QObject *parent = nullptr,
                              std::chrono::milliseconds feedTimeout = std::chrono::seconds(10));
    ~ConnectionTester() override;

    quint64 test(const ConnectionProfile &profile); // the job id; the result comes by finished()

Q_SIGNALS:
    void finished(quint64 jobId, const sightline::ConnectionTestResult &result);

private:
    QThread m_thread;
    ConnectionTestWorker *m_worker = nullptr;
    quint64 m_latest = 0;
};

} // namespace sightline

Q_DECLARE_METATYPE(sightline::ConnectionTestResult)
