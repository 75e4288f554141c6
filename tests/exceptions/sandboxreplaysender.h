#pragma once

// A ReplaySender over real HTTP to the sandbox's ERP API, for the replay tests. The console and
// the command line use the connectors' write path; this one only knows the sandbox's credentials.

#include "models/actions/replay.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QPointer>
#include <QUrl>

namespace sightline::test {

class SandboxReplaySender : public ReplaySender
{
public:
    explicit SandboxReplaySender(quint16 port) : m_port(port) {}

    // When set, the call is made but its answer is never reported: a crash between sending and recording.
    bool loseAnswers = false;
    int sent = 0;

    void send(const ReplayAction &action, QObject *context, std::function<void(ReplayResponse)> done) override
    {
        QNetworkRequest request(QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(m_port).arg(action.path)));
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
        request.setRawHeader("Authorization", "Bearer sandbox-erp-token");
        request.setRawHeader("Idempotency-Key", action.idempotencyKey.toUtf8());
        QNetworkReply *reply = m_network.sendCustomRequest(request, action.method, action.body);
        ++sent;
        const bool lose = loseAnswers;
        QObject::connect(reply, &QNetworkReply::finished, context, [reply, done, lose] {
            reply->deleteLater();
            if (lose)
                return;
            ReplayResponse r;
            r.httpStatus = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            r.body = reply->readAll();
            r.replayedByTarget = reply->rawHeader("Idempotent-Replayed") == "true";
            if (r.httpStatus == 0)
                r.error = reply->errorString();
            done(r);
        });
    }

private:
    quint16 m_port;
    QNetworkAccessManager m_network;
};

} // namespace sightline::test
