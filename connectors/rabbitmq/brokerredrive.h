#pragma once

#include "connectors/http/httprunner.h"
#include "connectors/profile/connectionprofile.h"
#include "connectors/rabbitmq/deadletter.h"
#include "connectors/write/writeservice.h"

#include <QObject>
#include <QTimer>
#include <deque>
#include <memory>

namespace sightline {

class ConnectionClient;
class StompClient;
struct StompFrame;

// Sends a dead-lettered message back to the exchange and routing key it was first published to,
// then removes it from its dead-letter queue, only once the broker has taken it:
//   1. consume the dead-letter queue over STOMP (client-individual acks, nothing acknowledged) until
//      the message shows (same payload and message id); the others are held unacknowledged and
//      go back, in place, when the subscription closes;
//   2. publish it through the management API (properties and payload as first published) and
//      require the answer routed:true;
//   3. ACK that one message (with a receipt), and close.
// Jobs run one at a time per connection, so a second replay of the same message (pressed twice,
// or at once by two people) finds it gone from the dead-letter queue and publishes nothing: it
// is answered as already applied. A refusal (routed:false) leaves the message where it was.
// Lives on the connection's write thread.
class BrokerRedrive : public QObject
{
    Q_OBJECT
public:
    BrokerRedrive(ConnectionProfile profile, HttpRunner::Settings http = {}, QObject *parent = nullptr);
    ~BrokerRedrive() override;

    // action.body is the kept message.dead_lettered event (see deadletter.h).
    void redrive(quint64 jobId, const sightline::WriteAction &action);

Q_SIGNALS:
    void finished(quint64 jobId, const sightline::WriteReply &reply);

private:
    struct Job
    {
        quint64 id = 0;
        WriteAction action;
        DeadLetter letter;
        QByteArray heldAck; // the dead-letter queue's copy, held unacknowledged
        quint64 session = 0;
        int seen = 0;
        bool published = false;
    };

    void startNext();
    void onMessage(const StompFrame &frame, quint64 session);
    void publish();
    void onPublished(const HttpResult &result);
    void finish(WriteReply reply);
    bool matches(const StompFrame &frame) const;

    ConnectionProfile m_profile;
    ConnectionClient *m_management;
    std::deque<Job> m_queue;
    std::unique_ptr<Job> m_job;
    StompClient *m_stomp = nullptr;
    QTimer m_idle;     // no further message: the one we look for is not there
    QTimer m_deadline; // the whole job
    QTimer m_receipt;  // the ACK's receipt
};

} // namespace sightline
