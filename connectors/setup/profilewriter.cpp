#include "connectors/setup/profilewriter.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <nlohmann/json.hpp>

namespace sightline {
namespace {

using json = nlohmann::json;

std::string str(const QString &s)
{
    return s.toStdString();
}

const char *authTypeName(AuthSettings::Type type)
{
    switch (type) {
    case AuthSettings::Type::None:
        return "none";
    case AuthSettings::Type::ApiKey:
        return "api_key";
    case AuthSettings::Type::Bearer:
        return "bearer";
    case AuthSettings::Type::Basic:
        return "basic";
    case AuthSettings::Type::OAuth2ClientCredentials:
        return "oauth2_client_credentials";
    }
    return "none";
}

const char *secretField(AuthSettings::Type type)
{
    switch (type) {
    case AuthSettings::Type::ApiKey:
        return "key";
    case AuthSettings::Type::Bearer:
        return "token";
    case AuthSettings::Type::Basic:
        return "password";
    case AuthSettings::Type::OAuth2ClientCredentials:
        return "client_secret";
    case AuthSettings::Type::None:
        break;
    }
    return nullptr;
}

json authJson(const AuthSettings &a)
{
    json j{{"type", authTypeName(a.type)}};
    if (a.type == AuthSettings::Type::ApiKey)
        j["header"] = a.header.toStdString();
    if (a.type == AuthSettings::Type::Basic)
        j["user"] = str(a.user);
    if (a.type == AuthSettings::Type::OAuth2ClientCredentials) {
        j["client_id"] = str(a.user);
        j["token_url"] = str(a.tokenUrl.toString());
        if (!a.scope.isEmpty())
            j["scope"] = str(a.scope);
    }
    if (const char *field = secretField(a.type); field && a.secret)
        j[field] = str(a.secret->describe()); // the reference, never the value
    return j;
}

json pagingJson(const PagingSettings &p)
{
    if (p.type == PagingSettings::Type::None)
        return {{"type", "none"}};
    json j{{"type", p.type == PagingSettings::Type::Cursor ? "cursor" : "page"},
           {"items", str(p.itemsPointer)},
           {"limit_param", str(p.limitParam)},
           {"limit", p.limit}};
    if (p.type == PagingSettings::Type::Cursor) {
        j["next_cursor"] = str(p.nextCursorPointer);
        j["cursor_param"] = str(p.cursorParam);
    } else {
        j["page_param"] = str(p.pageParam);
    }
    return j;
}

json resourceJson(const RestResource &r)
{
    json j{{"path", str(r.path)}, {"mapping", str(r.mappingFile)}, {"paging", pagingJson(r.paging)}};
    if (!r.updatedSinceParam.isEmpty())
        j["updated_since_param"] = str(r.updatedSinceParam);
    if (!r.updatedAtPointer.isEmpty())
        j["updated_at"] = str(r.updatedAtPointer);
    return j;
}

json profileJson(const ConnectionProfile &p)
{
    const bool rest = p.kind == ConnectionProfile::Kind::Rest;
    json j{{"name", str(p.name)},  {"kind", rest ? "rest" : "websocket"},  {"url", str(p.url.toString())},
           {"enabled", p.enabled}, {"timeout_seconds", p.timeout.count()}, {"auth", authJson(p.auth)}};
    if (rest) {
        j["poll_interval_seconds"] = p.pollInterval.count();
        json resources = json::array();
        for (const RestResource &r : p.resources)
            resources.push_back(resourceJson(r));
        j["resources"] = resources;
    } else {
        j["heartbeat_timeout_seconds"] = p.heartbeatTimeout.count();
    }
    return j;
}

Status writeFile(const QString &path, const QByteArray &bytes)
{
    if (!QDir().mkpath(QFileInfo(path).absolutePath()))
        return Error{QStringLiteral("cannot create the folder of %1").arg(path)};
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return Error{QStringLiteral("cannot write %1: %2").arg(path, file.errorString())};
    file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    file.write(bytes);
    if (!file.commit())
        return Error{QStringLiteral("cannot write %1: %2").arg(path, file.errorString())};
    return {};
}

} // namespace

QByteArray connectionProfilesJson(const QList<ConnectionProfile> &profiles)
{
    json connections = json::array();
    for (const ConnectionProfile &p : profiles)
        connections.push_back(profileJson(p));
    return QByteArray::fromStdString(json{{"connections", connections}}.dump(2) + '\n');
}

Status writeConnectionProfiles(const QString &path, const QList<ConnectionProfile> &profiles)
{
    return writeFile(path, connectionProfilesJson(profiles));
}

Status writeDemoProfiles(const QString &path)
{
    const json demo{{"demo", true}, {"connections", json::array()}};
    return writeFile(path, QByteArray::fromStdString(demo.dump(2) + '\n'));
}

bool isDemoProfilesFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return false;
    const QByteArray text = file.readAll();
    const json root = json::parse(text.begin(), text.end(), nullptr, false);
    if (!root.is_object())
        return false;
    const auto demo = root.find("demo");
    return demo != root.end() && demo->is_boolean() && demo->get<bool>();
}

bool firstRunDue(const QString &profilesPath)
{
    return !QFileInfo::exists(profilesPath);
}

} // namespace sightline
