#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QNetworkReply>
#include <chrono>
#include <optional>
#include <random>

namespace sightline {

// What to do after one attempt of a request, decided in layers: the network, then the HTTP status.
enum class AttemptOutcome {
    Success,
    RetryLater,           // timeout, connection error, 5xx, 429: try again after a delay
    AuthenticationFailed, // 401/403: stop the connection until its credentials change
    Rejected,             // another 4xx: the target refused this request; retrying cannot help
};

AttemptOutcome classifyAttempt(QNetworkReply::NetworkError error, int httpStatus);

// Retry-After as delta-seconds or an HTTP-date; nothing when absent or unreadable.
std::optional<std::chrono::milliseconds> parseRetryAfter(const QByteArray &value, const QDateTime &now);

// Exponential backoff with full jitter: attempt n waits a random time in [0, min(cap, base * 2^n)],
// and never less than a server's Retry-After.
class RetryPolicy
{
public:
    struct Settings
    {
        std::chrono::milliseconds base{500};
        std::chrono::milliseconds cap{30'000};
        int maxAttempts = 5;
    };

    explicit RetryPolicy(Settings settings, std::uint64_t seed = std::random_device{}());

    int maxAttempts() const { return m_settings.maxAttempts; }
    std::chrono::milliseconds ceilingFor(int attempt) const;
    std::chrono::milliseconds delayFor(int attempt, std::optional<std::chrono::milliseconds> retryAfter = {});

private:
    Settings m_settings;
    std::mt19937_64 m_random;
};

// Stops calling a target that keeps failing: after `threshold` failures in a row the circuit
// opens for `openFor`; then one probe is let through (half-open): success closes it, failure
// opens it again.
class CircuitBreaker
{
public:
    enum class State { Closed, Open, HalfOpen };

    CircuitBreaker(int threshold, std::chrono::milliseconds openFor)
        : m_threshold(threshold), m_openFor(openFor)
    {}

    State state() const { return m_state; }
    bool allowRequest(qint64 nowMs);
    void recordSuccess();
    void recordFailure(qint64 nowMs);
    qint64 reopensAtMs() const { return m_openedAtMs + m_openFor.count(); }

private:
    int m_threshold;
    std::chrono::milliseconds m_openFor;
    State m_state = State::Closed;
    int m_failuresInARow = 0;
    qint64 m_openedAtMs = 0;
    bool m_probeInFlight = false;
};

} // namespace sightline
