#include "models/store/storelocation.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QUrl>
#include <QUrlQuery>

namespace sightline {
namespace {

bool isIdentifier(const QString &s)
{
    static const QRegularExpression re(QStringLiteral("^[a-z_][a-z0-9_]{0,62}$"));
    return re.match(s).hasMatch();
}

Result<StoreLocation> parseUrl(const QString &text)
{
    const QUrl url(text, QUrl::StrictMode);
    if (!url.isValid())
        return Error{
            QStringLiteral("the store location %1 is not a valid URL: %2").arg(text, url.errorString())};
    if (!url.password().isEmpty())
        return Error{QStringLiteral("the store location must not contain a password: reference it as "
                                    "?password=env:NAME or ?password=file:PATH")};
    StoreLocation loc;
    loc.kind = StoreLocation::Kind::PostgreSQL;
    loc.text = text;
    loc.host = url.host();
    loc.port = url.port(5432);
    loc.user = url.userName();
    loc.database = url.path().mid(1);
    const QUrlQuery query(url);
    for (const auto &[key, value] : query.queryItems(QUrl::FullyDecoded)) {
        if (key == QLatin1String("password"))
            loc.passwordRef = value;
        else if (key == QLatin1String("schema"))
            loc.schema = value;
        else if (key == QLatin1String("sslmode"))
            loc.sslMode = value;
        else if (key == QLatin1String("host"))
            loc.host = value; // a Unix socket folder
        else
            return Error{QStringLiteral("the store location has an unknown option '%1' (known: password, "
                                        "schema, sslmode, host)")
                             .arg(key)};
    }
    if (loc.database.isEmpty() || loc.database.contains(u'/'))
        return Error{
            QStringLiteral("the store location %1 names no database: postgresql://USER@HOST:PORT/DATABASE")
                .arg(text)};
    if (loc.host.isEmpty())
        loc.host = QStringLiteral("localhost");
    if (!loc.schema.isEmpty() && !isIdentifier(loc.schema))
        return Error{QStringLiteral("the schema '%1' is not a plain lower-case name").arg(loc.schema)};
    if (!loc.passwordRef.isEmpty() && !loc.passwordRef.startsWith(QLatin1String("env:")) &&
        !loc.passwordRef.startsWith(QLatin1String("file:")))
        return Error{QStringLiteral("the store's password is referenced as env:NAME or file:PATH, never "
                                    "written into the location")};
    return loc;
}

} // namespace

bool StoreLocation::looksLikeUrl(const QString &location)
{
    return location.startsWith(QLatin1String("postgresql:")) ||
           location.startsWith(QLatin1String("postgres:"));
}

Result<StoreLocation> StoreLocation::parse(const QString &location)
{
    if (looksLikeUrl(location))
        return parseUrl(location);
    if (location.contains(QLatin1String("://")))
        return Error{
            QStringLiteral("unknown store location %1: give a file path or postgresql://...").arg(location)};
    StoreLocation loc;
    loc.text = location;
    return loc;
}

QString StoreLocation::describe() const
{
    if (!isPostgreSQL())
        return text;
    QString s = QStringLiteral("%1@%2:%3/%4").arg(user, host).arg(port).arg(database);
    if (!schema.isEmpty())
        s += QStringLiteral(" (schema %1)").arg(schema);
    return s;
}

QString configuredStoreLocation(const QString &fallbackPath)
{
    const QString fromEnv = qEnvironmentVariable("SIGHTLINE_STORE");
    if (!fromEnv.isEmpty())
        return fromEnv;
    const QStringList files = QStandardPaths::locateAll(QStandardPaths::GenericConfigLocation,
                                                        QStringLiteral("sightline/store.json"));
    for (const QString &path : files) {
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly))
            continue;
        const QString store =
            QJsonDocument::fromJson(f.readAll()).object().value(QStringLiteral("store")).toString();
        if (!store.isEmpty())
            return store;
    }
    return fallbackPath;
}

} // namespace sightline

namespace sightline {
bool storeExists(const QString &location)
{
    return StoreLocation::looksLikeUrl(location) || QFile::exists(location);
}
} // namespace sightline
