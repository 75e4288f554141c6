#pragma once

#include "connectors/feed/sequencetracker.h"
#include "connectors/health/connectionhealth.h"
#include "connectors/reliability/retrypolicy.h"
#include "models/ingest/cloudevents.h"

#include <QObject>
#include <QTimer>
#include <QUrl>
#include <chrono>

class QWebSocket;

namespace sightline {

class Store;

// Listens to a WebSocket feed of CloudEvents whose messages carry a `sequence` extension, and
// writes what it hears to the store. Resumes with ?after=<checkpoint> after every reconnect;
// the checkpoint is committed with the events it covers, so a crash re-reads rather than loses,
// and the store drops the repeats. Watches heartbeats and reconnects with backoff and jitter.
// Lives on a connector thread.
class FeedConnector : public QObject
{
    Q_OBJECT
public:
    struct Settings
    {
        QString connection;
        QUrl url;
        QByteArray sequenceAttribute = "sequence";
        std::chrono::milliseconds heartbeatTimeout{15'000};
        std::chrono::milliseconds reorderWindow{2'000};
        RetryPolicy::Settings reconnect{std::chrono::milliseconds(250), std::chrono::milliseconds(15'000), 0};
        int batchEvents = 500;
        std::chrono::milliseconds batchDelay{50};
    };

    FeedConnector(Settings settings, Store &store, QObject *parent = nullptr);
    ~FeedConnector() override;

    // Connects and reads every event after `afterSequence` (the committed checkpoint).
    void start(qint64 afterSequence);
    void stop();

    const ConnectionHealth &health() const { return m_health; }
    qint64 committedSequence() const { return m_committed; }

Q_SIGNALS:
    void healthChanged(const sightline::ConnectionHealth &health);
    // The store committed events up to this checkpoint.
    void checkpointCommitted(qint64 sequence);
    void feedFailed(const QString &message);
    // Everything up to the latest sequence a heartbeat announced is committed (emitted each time
    // the connector catches up again).
    void caughtUp(qint64 sequence);

private:
    void openSocket();
    void onConnected();
    void onMessage(const QString &text);
    void onClosed();
    void onWatchdog();
    void flush();
    void setState(ConnectionHealth::State state, const QString &error = {});
    void checkCaughtUp();

    Settings m_settings;
    Store &m_store;
    CloudEventReader m_reader;
    QWebSocket *m_socket = nullptr;
    SequenceTracker m_tracker;
    ParsedInput m_buffer;
    QTimer m_flushTimer;
    QTimer m_watchdog;
    QTimer m_reconnectTimer;
    QTimer m_gapTimer;
    RetryPolicy m_backoff;
    int m_reconnectAttempt = 0;
    qint64 m_lastMessageMs = 0;
    qint64 m_committed = 0;
    qint64 m_announced = -1; // the latest sequence a heartbeat announced
    bool m_reportedCaughtUp = false;
    bool m_running = false;
    ConnectionHealth m_health;
};

} // namespace sightline
