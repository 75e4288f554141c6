#pragma once

#include "connectors/sandbox/faultsettings.h"
#include "models/result.h"
#include "models/sandbox/scenarioconfig.h"

#include <QString>
#include <QStringList>

namespace sightline::sandbox {

// Credentials of the three APIs. Sandbox defaults are documented in SANDBOX.md and --help.
struct Credentials
{
    QString erpToken = QStringLiteral("sandbox-erp-token"); // ERP: Authorization: Bearer <token>
    QString wmsApiKey = QStringLiteral("sandbox-wms-key");  // WMS: X-Api-Key: <key>
    QString portalUser = QStringLiteral("supplier");        // portal: HTTP Basic
    QString portalPassword = QStringLiteral("sandbox-portal");
    // OAuth2 client credentials for POST /oauth/token; its tokens are accepted by the ERP.
    QString oauthClientId = QStringLiteral("sightline");
    QString oauthClientSecret = QStringLiteral("sandbox-oauth-secret");
    int oauthTokenSeconds = 3600;
};

struct SandboxOptions
{
    quint16 httpPort = 0; // 0 picks a free port
    quint16 feedPort = 0;
    double speed = 60.0; // simulated seconds per wall-clock second
    int tickMs = 250;
    int heartbeatMs = 5000;
    Credentials credentials;
    ScenarioConfig scenario;
    FaultSettings faults;
};

// Reads the command line (arguments[0] is the program) and the SIGHTLINE_SANDBOX_* environment
// variables. Returns the options or a message for the user; --help and --version are left to
// the caller through `helpText`.
Result<SandboxOptions> parseSandboxOptions(const QStringList &arguments, QString *helpText = nullptr);

} // namespace sightline::sandbox
