#pragma once

#include "connectors/profile/secretref.h"
#include "connectors/rabbitmq/rabbitmqsettings.h"
#include "models/result.h"

#include <QList>
#include <QString>
#include <QStringList>
#include <QUrl>
#include <chrono>
#include <optional>

namespace sightline {

// How a connection proves who it is. Secrets are references (SecretRef), never values.
struct AuthSettings
{
    enum class Type { None, ApiKey, Bearer, Basic, OAuth2ClientCredentials };
    Type type = Type::None;
    QByteArray header = "X-Api-Key"; // ApiKey
    QString user;                    // Basic; client id for OAuth2
    std::optional<SecretRef> secret; // the key, token, password or client secret
    QUrl tokenUrl;                   // OAuth2
    QString scope;                   // OAuth2
};

// How a list endpoint hands out its records.
struct PagingSettings
{
    enum class Type { None, Cursor, PageNumber };
    Type type = Type::None;
    QString itemsPointer = QStringLiteral("/items");
    QString nextCursorPointer = QStringLiteral("/next_cursor"); // Cursor
    QString cursorParam = QStringLiteral("cursor");
    QString pageParam = QStringLiteral("page"); // PageNumber
    QString limitParam = QStringLiteral("limit");
    int limit = 200;
};

// One polled list of a REST connection: where, how it pages, how it syncs incrementally, and the
// mapping that turns its records into canonical events.
struct RestResource
{
    QString path;
    QString mappingFile;
    PagingSettings paging;
    QString updatedSinceParam; // e.g. "updated_since"; empty: no incremental filter
    QString updatedAtPointer;  // where a record says when it changed
};

// A connection to one upstream system (SPEC.md §7), as written in a profile file.
struct ConnectionProfile
{
    enum class Kind { Rest, WebSocketFeed, Tryton, RabbitMq };
    QString name;
    Kind kind = Kind::Rest;
    QUrl url;
    AuthSettings auth;
    QList<RestResource> resources;             // Rest
    std::chrono::seconds pollInterval{30};     // Rest
    std::chrono::seconds heartbeatTimeout{15}; // WebSocketFeed; RabbitMq: the STOMP heart-beat
    RabbitMqSettings rabbitmq;                 // RabbitMq
    std::chrono::seconds timeout{15};
    QString trytonDatabase;   // Tryton: the database name; auth is basic (user, password reference)
    int trytonPageSize = 200; // Tryton: records per search_read
    QStringList trytonModels; // Tryton: the models polled; empty: all it knows
    bool enabled = true;
};

// Reads a profiles file: {"connections": [...]}. Errors name the file and the connection.
// Secrets may only appear as references; an inline secret is refused.
Result<QList<ConnectionProfile>> parseConnectionProfiles(QByteArrayView json, const QString &fileName);
Result<QList<ConnectionProfile>> loadConnectionProfiles(const QString &path);

// A profiles file's text for these connections, as parseConnectionProfiles() reads it. Secrets are
// written as their references (env:NAME, file:PATH, keychain:NAME), never as values.
QByteArray connectionProfilesToJson(const QList<ConnectionProfile> &profiles);

// The user's profiles file in the per-user configuration folder.
QString userConnectionProfilesPath();

} // namespace sightline
