#pragma once

// The console's replay path (WritePathReplaySender over the connectors' WriteService) to the
// sandbox's ERP and WMS, with a counter and a switch that loses answers: a crash between sending
// and recording, as the replay tests need it.

#include "connectors/write/writeservice.h"
#include "ui/exceptions/writepathreplaysender.h"

#include <QUrl>

namespace sightline::test {

inline ConnectionProfile sandboxErp(quint16 port)
{
    qputenv("TST_EXCEPTIONS_ERP_TOKEN", "sandbox-erp-token");
    ConnectionProfile p;
    p.name = QStringLiteral("erp");
    p.kind = ConnectionProfile::Kind::Rest;
    p.url = QUrl(QStringLiteral("http://127.0.0.1:%1/erp/api/v1").arg(port));
    p.auth.type = AuthSettings::Type::Bearer;
    p.auth.secret = SecretRef::parse(QStringLiteral("env:TST_EXCEPTIONS_ERP_TOKEN")).value();
    p.timeout = std::chrono::seconds(5);
    return p;
}

inline ConnectionProfile sandboxWms(quint16 port)
{
    qputenv("TST_EXCEPTIONS_WMS_KEY", "sandbox-wms-key");
    ConnectionProfile p;
    p.name = QStringLiteral("wms");
    p.kind = ConnectionProfile::Kind::Rest;
    p.url = QUrl(QStringLiteral("http://127.0.0.1:%1/wms/api/v1").arg(port));
    p.auth.type = AuthSettings::Type::ApiKey;
    p.auth.header = "X-Api-Key";
    p.auth.secret = SecretRef::parse(QStringLiteral("env:TST_EXCEPTIONS_WMS_KEY")).value();
    p.timeout = std::chrono::seconds(5);
    return p;
}

class SandboxReplaySender : public ReplaySender
{
public:
    explicit SandboxReplaySender(quint16 port)
        : m_service({sandboxErp(port), sandboxWms(port)}), m_path(&m_service)
    {}

    // When set, the call is made but its answer is never reported: a crash between sending and recording.
    bool loseAnswers = false;
    int sent = 0;

    void send(const ReplayAction &action, QObject *context, std::function<void(ReplayResponse)> done) override
    {
        ++sent;
        if (!loseAnswers) {
            m_path.send(action, context, std::move(done));
            return;
        }
        m_path.send(action, context, [](ReplayResponse) {});
    }

private:
    WriteService m_service;
    WritePathReplaySender m_path;
};

} // namespace sightline::test
