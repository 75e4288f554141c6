#include "connectors/feed/feedconnector.h"

#include "connectors/connectorslog.h"
#include "models/domain/timestamp.h"
#include "models/store/store.h"

#include <QUrlQuery>
#include <QWebSocket>
#include <nlohmann/json.hpp>

namespace sightline {
namespace {

using json = nlohmann::json;

// What a feed message is, from a light look at it: an event with its sequence, a heartbeat,
// or something unreadable (which the CloudEvents reader will quarantine with the reason).
struct MessageKind
{
    enum { Event, Heartbeat, Unreadable } kind = Unreadable;
    std::optional<qint64> sequence;
};

std::optional<qint64> sequenceOf(const json &j, const char *attribute)
{
    const auto it = j.find(attribute);
    if (it == j.end())
        return std::nullopt;
    if (it->is_number_integer())
        return it->get<qint64>();
    if (it->is_string()) {
        bool ok = false;
        const qint64 v = QString::fromStdString(it->get<std::string>()).toLongLong(&ok);
        if (ok)
            return v;
    }
    return std::nullopt;
}

MessageKind classify(const QByteArray &utf8, const QByteArray &attribute)
{
    const json j = json::parse(utf8.begin(), utf8.end(), nullptr, false);
    if (j.is_discarded() || !j.is_object())
        return {};
    const auto seq = sequenceOf(j, attribute.constData());
    if (!j.contains("specversion") && j.value("type", std::string()) == "heartbeat")
        return {MessageKind::Heartbeat, seq};
    if (!seq)
        return {};
    return {MessageKind::Event, seq};
}

} // namespace

FeedConnector::FeedConnector(Settings settings, Store &store, QObject *parent)
    : QObject(parent), m_settings(std::move(settings)), m_store(store), m_reader(m_settings.connection),
      m_backoff(m_settings.reconnect)
{
    m_health.connection = m_settings.connection;
    // Member timers are children so that moveToThread() takes them along to the connector thread.
    for (QTimer *timer : {&m_flushTimer, &m_watchdog, &m_reconnectTimer, &m_gapTimer})
        timer->setParent(this);
    m_flushTimer.setSingleShot(true);
    m_flushTimer.setInterval(m_settings.batchDelay);
    connect(&m_flushTimer, &QTimer::timeout, this, &FeedConnector::flush);
    m_watchdog.setInterval(m_settings.heartbeatTimeout / 3);
    connect(&m_watchdog, &QTimer::timeout, this, &FeedConnector::onWatchdog);
    m_reconnectTimer.setSingleShot(true);
    connect(&m_reconnectTimer, &QTimer::timeout, this, &FeedConnector::openSocket);
    m_gapTimer.setSingleShot(true);
    m_gapTimer.setInterval(m_settings.reorderWindow);
    connect(&m_gapTimer, &QTimer::timeout, this, [this] {
        m_tracker.settleGaps();
        if (m_tracker.hasGap())
            m_gapTimer.start();
    });
}

FeedConnector::~FeedConnector()
{
    stop();
}

void FeedConnector::start(qint64 afterSequence)
{
    m_committed = afterSequence;
    m_tracker = SequenceTracker(afterSequence);
    m_running = true;
    openSocket();
    m_watchdog.start();
}

void FeedConnector::stop()
{
    m_running = false;
    m_watchdog.stop();
    m_reconnectTimer.stop();
    flush();
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
        m_socket->deleteLater();
        m_socket = nullptr;
    }
}

void FeedConnector::openSocket()
{
    if (!m_running)
        return;
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
        m_socket->deleteLater();
    }
    m_tracker.restartFromContiguous();
    QUrl url = m_settings.url;
    QUrlQuery query(url);
    query.removeAllQueryItems(QStringLiteral("after"));
    query.addQueryItem(QStringLiteral("after"), QString::number(m_tracker.contiguous()));
    url.setQuery(query);
    m_socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
    connect(m_socket, &QWebSocket::connected, this, &FeedConnector::onConnected);
    connect(m_socket, &QWebSocket::textMessageReceived, this, &FeedConnector::onMessage);
    connect(m_socket, &QWebSocket::disconnected, this, &FeedConnector::onClosed);
    connect(m_socket, &QWebSocket::pong, this, [this] { m_lastMessageMs = nowMs(); });
    ++m_health.requests;
    m_lastMessageMs = nowMs();
    m_socket->open(url);
}

void FeedConnector::onConnected()
{
    m_reconnectAttempt = 0;
    m_health.lastSuccessMs = nowMs();
    setState(ConnectionHealth::State::Connected);
    qCInfo(lcConnectors) << m_settings.connection << "feed connected after" << m_tracker.contiguous();
}

void FeedConnector::onMessage(const QString &text)
{
    const qint64 now = nowMs();
    m_lastMessageMs = now;
    const QByteArray utf8 = text.toUtf8();
    const MessageKind kind = classify(utf8, m_settings.sequenceAttribute);
    if (kind.kind == MessageKind::Heartbeat) {
        if (kind.sequence && *kind.sequence > m_announced) {
            m_announced = *kind.sequence;
            m_reportedCaughtUp = false;
        }
        checkCaughtUp();
        return;
    }
    const qsizetype before = m_buffer.events.size();
    if (kind.kind == MessageKind::Event) {
        m_tracker.receive(*kind.sequence); // repeats are still handed on: the store counts them
        m_reader.readEvent(utf8, QStringLiteral("sequence %1").arg(*kind.sequence), now, m_buffer);
    } else {
        m_tracker.receiveUnreadable();
        m_reader.readEvent(utf8, QStringLiteral("after sequence %1").arg(m_tracker.highest()), now, m_buffer);
    }
    if (m_buffer.events.size() > before) {
        const CanonicalEvent &ev = m_buffer.events.constLast();
        m_health.lagMs = std::max<qint64>(0, now - ev.occurredMs);
    }
    if (m_tracker.hasGap() && !m_gapTimer.isActive())
        m_gapTimer.start();
    if (m_buffer.events.size() + m_buffer.quarantined.size() >= m_settings.batchEvents)
        flush();
    else if (!m_flushTimer.isActive())
        m_flushTimer.start();
}

void FeedConnector::flush()
{
    m_flushTimer.stop();
    if (m_buffer.events.isEmpty() && m_buffer.quarantined.isEmpty())
        return;
    IngestBatch batch;
    batch.events = std::move(m_buffer.events);
    batch.quarantined = std::move(m_buffer.quarantined);
    m_buffer = {};
    const qint64 checkpoint = m_tracker.contiguous();
    batch.checkpoint = Checkpoint{m_settings.connection, QString::number(checkpoint)};
    const qint64 events = batch.events.size();
    const qint64 quarantined = batch.quarantined.size();
    m_store.ingest(std::move(batch), this, [this, checkpoint, events, quarantined](Result<IngestReport> r) {
        if (!r) {
            ++m_health.errors;
            setState(ConnectionHealth::State::Degraded, r.error());
            Q_EMIT feedFailed(r.error());
            return;
        }
        m_committed = std::max(m_committed, checkpoint);
        m_health.events += events;
        m_health.quarantined += quarantined;
        m_health.lastSuccessMs = nowMs();
        Q_EMIT healthChanged(m_health);
        Q_EMIT checkpointCommitted(m_committed);
        checkCaughtUp();
    });
}

void FeedConnector::checkCaughtUp()
{
    if (m_announced < 0 || m_reportedCaughtUp || m_committed < m_announced)
        return;
    m_reportedCaughtUp = true;
    Q_EMIT caughtUp(m_committed);
}

void FeedConnector::onClosed()
{
    if (!m_running)
        return;
    flush();
    ++m_health.errors;
    const QString why = m_socket ? m_socket->errorString() : QString();
    const auto delay = m_backoff.delayFor(m_reconnectAttempt++);
    ++m_health.retries;
    setState(ConnectionHealth::State::Down,
             QStringLiteral("feed closed (%1); reconnecting in %2 ms").arg(why).arg(delay.count()));
    m_reconnectTimer.start(delay);
}

void FeedConnector::onWatchdog()
{
    if (!m_socket || m_socket->state() != QAbstractSocket::ConnectedState)
        return;
    const qint64 silent = nowMs() - m_lastMessageMs;
    if (silent > m_settings.heartbeatTimeout.count()) {
        qCWarning(lcConnectors) << m_settings.connection << "feed silent for" << silent << "ms; reconnecting";
        m_socket->abort(); // emits disconnected → onClosed → reconnect with backoff
        return;
    }
    m_socket->ping();
}

void FeedConnector::setState(ConnectionHealth::State state, const QString &error)
{
    m_health.state = state;
    if (!error.isEmpty())
        m_health.lastError = error;
    Q_EMIT healthChanged(m_health);
}

} // namespace sightline
