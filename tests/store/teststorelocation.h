#pragma once

// Where a test's store lives. The store's suites run twice under CTest: on SQLite files, and
// (the *_pg tests) on a PostgreSQL cluster that tests/pg/pgcluster.sh starts for them, whose
// location CTest passes in SIGHTLINE_TEST_STORE_URL_FILE (or directly in SIGHTLINE_TEST_STORE_URL).
// Each store of a PostgreSQL run is a schema of its own in the test database.

#include <QAtomicInt>
#include <QCoreApplication>
#include <QFile>
#include <QRegularExpression>
#include <QString>
#include <QTemporaryDir>
#include <QtTest>

namespace sightline::test {

// The test database's location, empty for an SQLite run.
inline QString postgresBaseUrl()
{
    QString url = qEnvironmentVariable("SIGHTLINE_TEST_STORE_URL");
    const QString file = qEnvironmentVariable("SIGHTLINE_TEST_STORE_URL_FILE");
    if (url.isEmpty() && !file.isEmpty()) {
        QFile f(file);
        if (f.open(QIODevice::ReadOnly))
            url = QString::fromUtf8(f.readAll()).trimmed();
    }
    return url;
}

inline bool onPostgres()
{
    return !qEnvironmentVariableIsEmpty("SIGHTLINE_TEST_STORE_URL") ||
           !qEnvironmentVariableIsEmpty("SIGHTLINE_TEST_STORE_URL_FILE");
}

// Why a PostgreSQL run cannot run (no PostgreSQL here), empty when it can.
inline QString postgresUnavailable()
{
    if (!onPostgres() || !postgresBaseUrl().isEmpty())
        return {};
    QFile skip(QFileInfo(qEnvironmentVariable("SIGHTLINE_TEST_STORE_URL_FILE"))
                   .dir()
                   .filePath(QStringLiteral("skip")));
    if (skip.open(QIODevice::ReadOnly))
        return QString::fromUtf8(skip.readAll()).trimmed();
    return QStringLiteral(
        "the test PostgreSQL cluster did not start (see the pg_cluster_start test's output)");
}

// The location of a store named name: a file in dir, or a fresh schema in the test database.
inline QString storeLocation(const QTemporaryDir &dir, const QString &name)
{
    const QString base = postgresBaseUrl();
    if (base.isEmpty())
        return dir.filePath(name);
    static QAtomicInt counter;
    QString schema = QStringLiteral("t%1_%2_%3")
                         .arg(QCoreApplication::applicationPid())
                         .arg(counter.fetchAndAddOrdered(1) + 1)
                         .arg(name.toLower());
    schema.replace(QRegularExpression(QStringLiteral("[^a-z0-9_]")), QStringLiteral("_"));
    return base + QStringLiteral("?schema=") + schema.left(60);
}

} // namespace sightline::test

// In initTestCase of a suite that runs on PostgreSQL too: skips, saying why, when it cannot.
#define SIGHTLINE_SKIP_WITHOUT_POSTGRES()                                                                    \
    do {                                                                                                     \
        if (const QString why = sightline::test::postgresUnavailable(); !why.isEmpty())                      \
            QSKIP(qPrintable(QStringLiteral("PostgreSQL run skipped: ") + why));                             \
    } while (false)
