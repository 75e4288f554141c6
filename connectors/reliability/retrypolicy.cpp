#include "connectors/reliability/retrypolicy.h"

#include <QLocale>
#include <QTimeZone>
#include <algorithm>

namespace sightline {

AttemptOutcome classifyAttempt(QNetworkReply::NetworkError error, int httpStatus)
{
    if (httpStatus == 401 || httpStatus == 403)
        return AttemptOutcome::AuthenticationFailed;
    if (httpStatus == 429 || httpStatus >= 500)
        return AttemptOutcome::RetryLater;
    if (httpStatus >= 400)
        return AttemptOutcome::Rejected;
    if (httpStatus == 0 || error != QNetworkReply::NoError) {
        // No HTTP answer: timeouts, refused or dropped connections, DNS, TLS. TLS failures are
        // not retried: they need a person, not patience.
        if (error == QNetworkReply::SslHandshakeFailedError)
            return AttemptOutcome::Rejected;
        return AttemptOutcome::RetryLater;
    }
    return AttemptOutcome::Success;
}

std::optional<std::chrono::milliseconds> parseRetryAfter(const QByteArray &value, const QDateTime &now)
{
    const QByteArray text = value.trimmed();
    if (text.isEmpty())
        return std::nullopt;
    bool ok = false;
    const qint64 seconds = text.toLongLong(&ok);
    if (ok)
        return seconds >= 0 ? std::optional(std::chrono::milliseconds(seconds * 1000)) : std::nullopt;
    // IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT"
    QDateTime when =
        QLocale::c().toDateTime(QString::fromLatin1(text), QStringLiteral("ddd, dd MMM yyyy HH:mm:ss 'GMT'"));
    if (!when.isValid())
        return std::nullopt;
    when.setTimeZone(QTimeZone::utc());
    return std::chrono::milliseconds(std::max<qint64>(0, now.msecsTo(when)));
}

RetryPolicy::RetryPolicy(Settings settings, std::uint64_t seed) : m_settings(settings), m_random(seed) {}

std::chrono::milliseconds RetryPolicy::ceilingFor(int attempt) const
{
    const int shift = std::clamp(attempt, 0, 30);
    const qint64 grown = m_settings.base.count() * (qint64(1) << shift);
    return std::chrono::milliseconds(std::min<qint64>(grown, m_settings.cap.count()));
}

std::chrono::milliseconds RetryPolicy::delayFor(int attempt,
                                                std::optional<std::chrono::milliseconds> retryAfter)
{
    std::uniform_int_distribution<qint64> jitter(0, ceilingFor(attempt).count());
    const std::chrono::milliseconds delay(jitter(m_random));
    return retryAfter ? std::max(delay, *retryAfter) : delay;
}

bool CircuitBreaker::allowRequest(qint64 nowMs)
{
    switch (m_state) {
    case State::Closed:
        return true;
    case State::Open:
        if (nowMs < reopensAtMs())
            return false;
        m_state = State::HalfOpen;
        m_probeInFlight = true;
        return true;
    case State::HalfOpen:
        if (m_probeInFlight)
            return false;
        m_probeInFlight = true;
        return true;
    }
    return false;
}

void CircuitBreaker::recordSuccess()
{
    m_state = State::Closed;
    m_failuresInARow = 0;
    m_probeInFlight = false;
}

void CircuitBreaker::recordFailure(qint64 nowMs)
{
    m_probeInFlight = false;
    ++m_failuresInARow;
    if (m_state == State::HalfOpen || m_failuresInARow >= m_threshold) {
        m_state = State::Open;
        m_openedAtMs = nowMs;
    }
}

} // namespace sightline
