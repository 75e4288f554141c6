#pragma once

#include "connectors/profile/connectionprofile.h"

#include <QUrl>

namespace sightline {

// Where the compiled-in sandbox profiles and mapping files are (Qt resources of sightline_resources).
inline QString sandboxProfilesPath()
{
    return QStringLiteral(":/profiles/sandbox.json");
}
inline QString builtInMappingsDir()
{
    return QStringLiteral(":/mappings");
}

// The default connections to the sandbox (resources/profiles/sandbox.json): its feed, ERP, WMS and
// portal, with their mappings in resources/mappings. The file's "{sandbox_api}" and
// "{sandbox_feed}" placeholders are filled with where the sandbox listens
// (http://127.0.0.1:PORT and ws://127.0.0.1:PORT/feed).
QByteArray fillSandboxPlaceholders(QByteArray profilesText, const QUrl &api, const QUrl &feed);
Result<QList<ConnectionProfile>> sandboxConnectionProfiles(const QUrl &api, const QUrl &feed,
                                                           const QString &path = sandboxProfilesPath());

// The sandbox profile reads its secrets from SIGHTLINE_SANDBOX_* variables, the same the sandbox
// takes its credentials from. This sets each that is unset to the sandbox's documented default, for
// `--demo` and tests; real connections never get defaults.
void useSandboxDefaultCredentials();

} // namespace sightline
