#include "connectors/profile/connectionprofile.h"

#include "connectors/rabbitmq/rabbitmqprofilejson.h"

#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>
#include <nlohmann/json.hpp>

namespace sightline {
namespace {

using json = nlohmann::json;

QString qs(const std::string &s)
{
    return QString::fromStdString(s);
}

class ProfileReader
{
public:
    ProfileReader(QString file, QString connection)
        : m_file(std::move(file)), m_connection(std::move(connection))
    {}

    Error error(const QString &what) const
    {
        return Error{QStringLiteral("%1: connection '%2': %3").arg(m_file, m_connection, what)};
    }

    Result<AuthSettings> auth(const json &c) const
    {
        AuthSettings a;
        const auto it = c.find("auth");
        if (it == c.end() || it->is_null())
            return a;
        if (!it->is_object())
            return error(QStringLiteral("'auth' must be an object"));
        const std::string type = it->value("type", std::string("none"));
        static const std::pair<const char *, AuthSettings::Type> kTypes[] = {
            {"none", AuthSettings::Type::None},
            {"api_key", AuthSettings::Type::ApiKey},
            {"bearer", AuthSettings::Type::Bearer},
            {"basic", AuthSettings::Type::Basic},
            {"oauth2_client_credentials", AuthSettings::Type::OAuth2ClientCredentials}};
        const auto known = std::find_if(std::begin(kTypes), std::end(kTypes),
                                        [&](const auto &t) { return type == t.first; });
        if (known == std::end(kTypes))
            return error(QStringLiteral("auth type '%1' is unknown (none, api_key, bearer, basic, "
                                        "oauth2_client_credentials)")
                             .arg(qs(type)));
        a.type = known->second;
        a.header = QByteArray::fromStdString(it->value("header", std::string("X-Api-Key")));
        a.user = qs(it->value("user", it->value("client_id", std::string())));
        a.tokenUrl = QUrl(qs(it->value("token_url", std::string())));
        a.scope = qs(it->value("scope", std::string()));
        if (a.type == AuthSettings::Type::None)
            return a;
        const char *secretField = a.type == AuthSettings::Type::ApiKey   ? "key"
                                  : a.type == AuthSettings::Type::Bearer ? "token"
                                  : a.type == AuthSettings::Type::Basic  ? "password"
                                                                         : "client_secret";
        const auto secret = it->find(secretField);
        if (secret == it->end() || !secret->is_string())
            return error(QStringLiteral("auth needs '%1' as env:NAME, file:PATH or keychain:NAME")
                             .arg(QLatin1String(secretField)));
        auto ref = SecretRef::parse(qs(secret->get<std::string>()));
        if (!ref)
            return error(QStringLiteral("auth '%1': %2").arg(QLatin1String(secretField), ref.error()));
        a.secret = ref.value();
        if ((a.type == AuthSettings::Type::Basic || a.type == AuthSettings::Type::OAuth2ClientCredentials) &&
            a.user.isEmpty())
            return error(QStringLiteral("auth needs a 'user' (or 'client_id')"));
        if (a.type == AuthSettings::Type::OAuth2ClientCredentials && !a.tokenUrl.isValid())
            return error(QStringLiteral("auth needs a 'token_url'"));
        return a;
    }

    Result<RestResource> resource(const json &r) const
    {
        if (!r.is_object() || !r.contains("path") || !r.contains("mapping"))
            return error(QStringLiteral("each resource needs a 'path' and a 'mapping'"));
        RestResource res;
        res.path = qs(r.value("path", std::string()));
        res.mappingFile = qs(r.value("mapping", std::string()));
        res.updatedSinceParam = qs(r.value("updated_since_param", std::string()));
        res.updatedAtPointer = qs(r.value("updated_at", std::string()));
        if (const auto p = r.find("paging"); p != r.end() && p->is_object()) {
            const std::string type = p->value("type", std::string("none"));
            if (type == "cursor")
                res.paging.type = PagingSettings::Type::Cursor;
            else if (type == "page")
                res.paging.type = PagingSettings::Type::PageNumber;
            else if (type != "none")
                return error(
                    QStringLiteral("paging type '%1' is unknown (cursor, page, none)").arg(qs(type)));
            res.paging.itemsPointer = qs(p->value("items", res.paging.itemsPointer.toStdString()));
            res.paging.nextCursorPointer =
                qs(p->value("next_cursor", res.paging.nextCursorPointer.toStdString()));
            res.paging.cursorParam = qs(p->value("cursor_param", res.paging.cursorParam.toStdString()));
            res.paging.pageParam = qs(p->value("page_param", res.paging.pageParam.toStdString()));
            res.paging.limitParam = qs(p->value("limit_param", res.paging.limitParam.toStdString()));
            res.paging.limit = p->value("limit", res.paging.limit);
        }
        return res;
    }

private:
    QString m_file;
    QString m_connection;
};

Result<ConnectionProfile> readProfile(const json &c, const QString &fileName, int index)
{
    const QString name = c.is_object() ? qs(c.value("name", std::string())) : QString();
    const ProfileReader reader(fileName, name.isEmpty() ? QStringLiteral("#%1").arg(index + 1) : name);
    if (!c.is_object() || name.isEmpty())
        return reader.error(QStringLiteral("a connection needs a 'name'"));
    ConnectionProfile p;
    p.name = name;
    const std::string kind = c.value("kind", std::string());
    if (kind == "rest")
        p.kind = ConnectionProfile::Kind::Rest;
    else if (kind == "websocket")
        p.kind = ConnectionProfile::Kind::WebSocketFeed;
    else if (kind == "tryton")
        p.kind = ConnectionProfile::Kind::Tryton;
    else if (kind == "rabbitmq")
        p.kind = ConnectionProfile::Kind::RabbitMq;
    else
        return reader.error(
            QStringLiteral("kind '%1' is unknown (rest, websocket, tryton, rabbitmq)").arg(qs(kind)));
    p.url = QUrl(qs(c.value("url", std::string())), QUrl::StrictMode);
    if (!p.url.isValid() || p.url.scheme().isEmpty() || p.url.host().isEmpty())
        return reader.error(QStringLiteral("'url' must be an absolute URL"));
    p.enabled = c.value("enabled", true);
    p.pollInterval = std::chrono::seconds(c.value("poll_interval_seconds", 30));
    p.heartbeatTimeout = std::chrono::seconds(c.value("heartbeat_timeout_seconds", 15));
    p.timeout = std::chrono::seconds(c.value("timeout_seconds", 15));
    auto auth = reader.auth(c);
    if (!auth)
        return Error{auth.error()};
    p.auth = auth.value();
    if (const auto rs = c.find("resources"); rs != c.end() && rs->is_array()) {
        for (const json &r : *rs) {
            auto res = reader.resource(r);
            if (!res)
                return Error{res.error()};
            p.resources.append(res.value());
        }
    }
    if (p.kind == ConnectionProfile::Kind::RabbitMq) {
        if (const auto why = readRabbitMqSettings(c.value("rabbitmq", json()), p.rabbitmq))
            return reader.error(*why);
    }
    if (p.kind == ConnectionProfile::Kind::Rest && p.resources.isEmpty())
        return reader.error(QStringLiteral("a rest connection needs at least one entry in 'resources'"));
    if (p.kind == ConnectionProfile::Kind::Tryton) {
        p.trytonDatabase = qs(c.value("database", std::string()));
        p.trytonPageSize = c.value("page_size", p.trytonPageSize);
        if (p.trytonDatabase.isEmpty())
            return reader.error(QStringLiteral("a tryton connection needs its 'database'"));
        if (p.auth.type != AuthSettings::Type::Basic)
            return reader.error(
                QStringLiteral("a tryton connection logs in with auth type 'basic' (user, password)"));
        if (p.trytonPageSize < 1 || p.trytonPageSize > 10000)
            return reader.error(QStringLiteral("'page_size' must be between 1 and 10000"));
        static const QStringList kModels{QStringLiteral("sale.sale"), QStringLiteral("stock.shipment.out"),
                                         QStringLiteral("purchase.purchase"),
                                         QStringLiteral("stock.shipment.in"), QStringLiteral("stock.move")};
        if (const auto models = c.find("models"); models != c.end()) {
            if (!models->is_array() || models->empty())
                return reader.error(QStringLiteral("'models' must be a list of Tryton models"));
            for (const json &m : *models) {
                const QString model = m.is_string() ? qs(m.get<std::string>()) : QString();
                if (!kModels.contains(model))
                    return reader.error(QStringLiteral("'models': '%1' is not one the connector reads (%2)")
                                            .arg(model, kModels.join(QStringLiteral(", "))));
                p.trytonModels.append(model);
            }
        }
    }
    return p;
}

} // namespace

Result<QList<ConnectionProfile>> parseConnectionProfiles(QByteArrayView text, const QString &fileName)
{
    const json root = json::parse(text.begin(), text.end(), nullptr, false);
    if (root.is_discarded())
        return Error{QStringLiteral("%1: not valid JSON").arg(fileName)};
    if (!root.is_object() || !root.contains("connections") || !root["connections"].is_array())
        return Error{
            QStringLiteral("%1: a profiles file is an object with a 'connections' array").arg(fileName)};
    QList<ConnectionProfile> profiles;
    for (int i = 0; i < int(root["connections"].size()); ++i) {
        auto p = readProfile(root["connections"][std::size_t(i)], fileName, i);
        if (!p)
            return Error{p.error()};
        for (const ConnectionProfile &other : profiles) {
            if (other.name == p->name)
                return Error{QStringLiteral("%1: two connections are named '%2'").arg(fileName, p->name)};
        }
        profiles.append(p.value());
    }
    return profiles;
}

Result<QList<ConnectionProfile>> loadConnectionProfiles(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error{QStringLiteral("cannot read %1: %2").arg(path, file.errorString())};
    return parseConnectionProfiles(file.readAll(), QFileInfo(path).fileName());
}

namespace {

json authToJson(const AuthSettings &a)
{
    static const char *const kTypes[] = {"none", "api_key", "bearer", "basic", "oauth2_client_credentials"};
    json j{{"type", kTypes[int(a.type)]}};
    const std::string secret = a.secret ? a.secret->describe().toStdString() : std::string();
    switch (a.type) {
    case AuthSettings::Type::None:
        break;
    case AuthSettings::Type::ApiKey:
        j["header"] = a.header.toStdString();
        j["key"] = secret;
        break;
    case AuthSettings::Type::Bearer:
        j["token"] = secret;
        break;
    case AuthSettings::Type::Basic:
        j["user"] = a.user.toStdString();
        j["password"] = secret;
        break;
    case AuthSettings::Type::OAuth2ClientCredentials:
        j["client_id"] = a.user.toStdString();
        j["client_secret"] = secret;
        j["token_url"] = a.tokenUrl.toString().toStdString();
        if (!a.scope.isEmpty())
            j["scope"] = a.scope.toStdString();
        break;
    }
    return j;
}

json resourceToJson(const RestResource &r)
{
    static const char *const kPaging[] = {"none", "cursor", "page"};
    const PagingSettings &p = r.paging;
    json j{{"path", r.path.toStdString()},
           {"mapping", r.mappingFile.toStdString()},
           {"paging",
            {{"type", kPaging[int(p.type)]},
             {"items", p.itemsPointer.toStdString()},
             {"next_cursor", p.nextCursorPointer.toStdString()},
             {"cursor_param", p.cursorParam.toStdString()},
             {"page_param", p.pageParam.toStdString()},
             {"limit_param", p.limitParam.toStdString()},
             {"limit", p.limit}}}};
    if (!r.updatedSinceParam.isEmpty())
        j["updated_since_param"] = r.updatedSinceParam.toStdString();
    if (!r.updatedAtPointer.isEmpty())
        j["updated_at"] = r.updatedAtPointer.toStdString();
    return j;
}

} // namespace

QByteArray connectionProfilesToJson(const QList<ConnectionProfile> &profiles)
{
    json list = json::array();
    for (const ConnectionProfile &p : profiles) {
        json c{{"name", p.name.toStdString()},
               {"kind", p.kind == ConnectionProfile::Kind::Rest       ? "rest"
                        : p.kind == ConnectionProfile::Kind::Tryton   ? "tryton"
                        : p.kind == ConnectionProfile::Kind::RabbitMq ? "rabbitmq"
                                                                      : "websocket"},
               {"url", p.url.toString().toStdString()},
               {"enabled", p.enabled},
               {"timeout_seconds", p.timeout.count()},
               {"auth", authToJson(p.auth)}};
        if (p.kind == ConnectionProfile::Kind::Rest) {
            c["poll_interval_seconds"] = p.pollInterval.count();
            c["resources"] = json::array();
            for (const RestResource &r : p.resources)
                c["resources"].push_back(resourceToJson(r));
        } else if (p.kind == ConnectionProfile::Kind::Tryton) {
            c["poll_interval_seconds"] = p.pollInterval.count();
            c["database"] = p.trytonDatabase.toStdString();
            c["page_size"] = p.trytonPageSize;
            if (!p.trytonModels.isEmpty()) {
                c["models"] = json::array();
                for (const QString &m : p.trytonModels)
                    c["models"].push_back(m.toStdString());
            }
        } else {
            c["heartbeat_timeout_seconds"] = p.heartbeatTimeout.count();
        }
        if (p.kind == ConnectionProfile::Kind::RabbitMq)
            c["rabbitmq"] = rabbitMqSettingsToJson(p.rabbitmq);
        list.push_back(std::move(c));
    }
    return QByteArray::fromStdString(json{{"connections", list}}.dump(2));
}

QString userConnectionProfilesPath()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation) +
           QStringLiteral("/connections.json");
}

} // namespace sightline
