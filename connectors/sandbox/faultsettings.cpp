#include "connectors/sandbox/faultsettings.h"

#include <QStringList>

namespace sightline::sandbox {

QJsonObject FaultSettings::toJson() const
{
    return {{QStringLiteral("latency_ms"), latencyMs},
            {QStringLiteral("error_rate"), errorRate},
            {QStringLiteral("rate_limit_rate"), rateLimitRate},
            {QStringLiteral("retry_after_seconds"), retryAfterSeconds},
            {QStringLiteral("hang_rate"), hangRate},
            {QStringLiteral("malformed_rate"), malformedRate},
            {QStringLiteral("feed_duplicate_rate"), feedDuplicateRate},
            {QStringLiteral("feed_reorder_rate"), feedReorderRate},
            {QStringLiteral("feed_malformed_rate"), feedMalformedRate},
            {QStringLiteral("feed_disconnect_after"), feedDisconnectAfter}};
}

Status FaultSettings::merge(const QJsonObject &json)
{
    FaultSettings next = *this;
    const QJsonObject known = toJson();
    for (auto it = json.begin(); it != json.end(); ++it) {
        if (!known.contains(it.key()))
            return Error{
                QStringLiteral("unknown fault '%1'; known: %2").arg(it.key(), known.keys().join(u", "))};
        if (!it.value().isDouble())
            return Error{QStringLiteral("fault '%1' must be a number").arg(it.key())};
        const double v = it.value().toDouble();
        const bool isRate = it.key().endsWith(u"_rate");
        if (isRate && (v < 0 || v > 1))
            return Error{QStringLiteral("fault '%1' is a rate between 0 and 1, got %2").arg(it.key()).arg(v)};
        if (!isRate && v < 0)
            return Error{QStringLiteral("fault '%1' must not be negative").arg(it.key())};
        const QString &k = it.key();
        if (k == u"latency_ms")
            next.latencyMs = static_cast<int>(v);
        else if (k == u"error_rate")
            next.errorRate = v;
        else if (k == u"rate_limit_rate")
            next.rateLimitRate = v;
        else if (k == u"retry_after_seconds")
            next.retryAfterSeconds = static_cast<int>(v);
        else if (k == u"hang_rate")
            next.hangRate = v;
        else if (k == u"malformed_rate")
            next.malformedRate = v;
        else if (k == u"feed_duplicate_rate")
            next.feedDuplicateRate = v;
        else if (k == u"feed_reorder_rate")
            next.feedReorderRate = v;
        else if (k == u"feed_malformed_rate")
            next.feedMalformedRate = v;
        else if (k == u"feed_disconnect_after")
            next.feedDisconnectAfter = static_cast<int>(v);
    }
    *this = next;
    return {};
}

} // namespace sightline::sandbox
