#pragma once

#include "models/result.h"

#include <QString>

namespace sightline {

// Where the store lives: an SQLite file (the default, for one person and the demo) or a shared
// PostgreSQL database (team mode), written as
//   postgresql://USER@HOST:PORT/DATABASE?password=env:NAME&schema=NAME&sslmode=require
// The password is only ever a secret reference (env:NAME or file:PATH, see SecretRef), resolved
// when a connection opens; the location itself is safe to show and to log.
struct StoreLocation
{
    enum class Kind { SqliteFile, PostgreSQL };

    Kind kind = Kind::SqliteFile;
    QString text; // as given: the file path or the URL
    // PostgreSQL only:
    QString host; // a name, an address, or a folder holding the server's Unix socket
    int port = 5432;
    QString user;
    QString database;
    QString passwordRef; // env:NAME or file:PATH; empty: no password (peer or trust authentication)
    QString schema;      // empty: the user's default search_path
    QString sslMode;     // libpq's sslmode, empty: libpq's default

    static bool looksLikeUrl(const QString &location);
    static Result<StoreLocation> parse(const QString &location);

    bool isPostgreSQL() const { return kind == Kind::PostgreSQL; }
    // For messages: the file, or user@host:port/database (schema).
    QString describe() const;
};

// The store location a program uses when none is given on its command line: SIGHTLINE_STORE when
// set, else "store" in store.json of the per-user (then the system) config folder, else
// fallbackPath (the SQLite file in the per-user data folder).
QString configuredStoreLocation(const QString &fallbackPath);

} // namespace sightline

namespace sightline {
// Whether there is a store at location: the SQLite file exists; a PostgreSQL location is taken as
// existing (opening it says what is wrong).
bool storeExists(const QString &location);
} // namespace sightline
