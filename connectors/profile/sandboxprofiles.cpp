#include "connectors/profile/sandboxprofiles.h"

#include <QFile>

namespace sightline {

QByteArray fillSandboxPlaceholders(QByteArray profilesText, const QUrl &api, const QUrl &feed)
{
    QString apiText = api.toString(QUrl::FullyEncoded);
    while (apiText.endsWith(u'/'))
        apiText.chop(1);
    profilesText.replace("{sandbox_api}", apiText.toUtf8());
    profilesText.replace("{sandbox_feed}", feed.toString(QUrl::FullyEncoded).toUtf8());
    return profilesText;
}

Result<QList<ConnectionProfile>> sandboxConnectionProfiles(const QUrl &api, const QUrl &feed,
                                                           const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error{QStringLiteral("cannot read the sandbox profiles %1: %2").arg(path, file.errorString())};
    return parseConnectionProfiles(fillSandboxPlaceholders(file.readAll(), api, feed),
                                   QStringLiteral("sandbox.json"));
}

void useSandboxDefaultCredentials()
{
    static const std::pair<const char *, const char *> kDefaults[] = {
        {"SIGHTLINE_SANDBOX_ERP_TOKEN", "sandbox-erp-token"},
        {"SIGHTLINE_SANDBOX_WMS_KEY", "sandbox-wms-key"},
        {"SIGHTLINE_SANDBOX_PORTAL_PASSWORD", "sandbox-portal"},
        {"SIGHTLINE_SANDBOX_OAUTH_CLIENT_SECRET", "sandbox-oauth-secret"},
    };
    for (const auto &[name, value] : kDefaults) {
        if (qEnvironmentVariableIsEmpty(name))
            qputenv(name, value);
    }
}

} // namespace sightline
