#pragma once

#include "connectors/http/httprunner.h"
#include "connectors/profile/connectionprofile.h"

#include <QByteArray>
#include <QHash>
#include <QMetaType>
#include <QObject>
#include <QString>

class QThread;

namespace sightline {

class BrokerRedrive;
class ConnectionClient;

// One call that changes something in an upstream system: a resubmit, a correction, a cancel.
struct WriteAction
{
    QString connection; // the connection (profile name) whose base URL and credentials are used
    QByteArray method = "POST";
    QString path;           // relative to the connection's base URL, e.g. "messages/M-1/resubmit"
    QByteArray body;        // JSON, or empty
    QString idempotencyKey; // required: the target applies a key once, however often it is sent
};

// What the target made of an action, after retries.
struct WriteReply
{
    enum class Outcome {
        Applied,              // 2xx (also when the target replays the first answer to a repeated key)
        Rejected,             // another 4xx (409 conflict, 422, 404...): error holds the target's reason
        AuthenticationFailed, // 401/403 or credentials that cannot be read: fix the connection
        Unavailable,          // no answer, 5xx or 429 after every retry, or the circuit is open
    };
    Outcome outcome = Outcome::Unavailable;
    int status = 0;        // HTTP status of the last attempt; 0 when none came
    QByteArray body;       // the target's answer, as it came
    QString error;         // for a person; empty when applied; never holds a secret
    int attempts = 0;      // requests sent, retries included
    bool replayed = false; // the target answered from its record of this Idempotency-Key

    bool ok() const { return outcome == Outcome::Applied; }
};

// Sends write actions through their connection's authentication with the retry policy: timeouts,
// connection errors, 5xx and 429 (after Retry-After) are retried with the same Idempotency-Key;
// other 4xx are not. Each connection's calls run on its own named thread
// ("sightline-connector-<name>-writes") with its own QNetworkAccessManager. Call submit() from the
// thread that owns the service; the result arrives there by finished() with the caller's job id.
class WriteService : public QObject
{
    Q_OBJECT
public:
    explicit WriteService(QList<ConnectionProfile> profiles, HttpRunner::Settings settings = {},
                          QObject *parent = nullptr);
    ~WriteService() override;

    // Queues one action and returns at once. An unknown connection or a missing key is answered
    // by finished() too, never by an exception or a dialog.
    void submit(quint64 jobId, const sightline::WriteAction &action);

Q_SIGNALS:
    void finished(quint64 jobId, const sightline::WriteReply &reply);

private:
    struct Worker
    {
        QThread *thread = nullptr;
        ConnectionClient *client = nullptr;
        BrokerRedrive *broker = nullptr; // a "rabbitmq" connection: replays are redrives
    };

    Worker *workerFor(const QString &connection);
    void answerLater(quint64 jobId, WriteReply reply);

    QList<ConnectionProfile> m_profiles;
    HttpRunner::Settings m_settings;
    QHash<QString, Worker> m_workers;
};

// The HTTP answer of a write, as a WriteReply whose error names the connection and the target's reason.
WriteReply writeReplyFrom(const QString &connection, const HttpResult &result);

} // namespace sightline

Q_DECLARE_METATYPE(sightline::WriteAction)
Q_DECLARE_METATYPE(sightline::WriteReply)
