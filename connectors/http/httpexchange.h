#pragma once

#include "connectors/reliability/retrypolicy.h"

#include <QByteArray>
#include <QList>
#include <QMetaType>
#include <QString>
#include <QUrl>
#include <chrono>

namespace sightline {

// The one request shape every connector sends.
struct HttpRequest
{
    QByteArray method = "GET";
    QUrl url;
    QList<std::pair<QByteArray, QByteArray>> headers;
    QByteArray body;
    std::chrono::milliseconds timeout{15'000};
    bool retry = true; // writes with an Idempotency-Key may be retried; others say false
};

// The one result shape every connector receives, after retries.
struct HttpResult
{
    AttemptOutcome outcome = AttemptOutcome::Success;
    int status = 0; // HTTP status; 0 when no answer came
    QByteArray body;
    QList<std::pair<QByteArray, QByteArray>> headers;
    QString error; // for a person: what went wrong, never a secret
    int attempts = 0;

    bool ok() const { return outcome == AttemptOutcome::Success; }
    QByteArray header(QByteArrayView name) const;
};

} // namespace sightline

Q_DECLARE_METATYPE(sightline::HttpResult)
