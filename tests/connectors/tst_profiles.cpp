#include "connectors/profile/connectionprofile.h"
#include "connectors/profile/sandboxprofiles.h"
#include "tests/connectors/profiledata.h"

#include <QtTest>

using namespace sightline;

class TestProfiles : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void readsRestAndFeedConnections()
    {
        const QByteArray text = profiledata::k0;
        const auto profiles = parseConnectionProfiles(text, QStringLiteral("connections.json"));
        QVERIFY2(profiles.ok(), profiles.ok() ? "" : qPrintable(profiles.error()));
        QCOMPARE(profiles->size(), 3);
        const ConnectionProfile &erp = profiles->at(0);
        QCOMPARE(erp.kind, ConnectionProfile::Kind::Rest);
        QCOMPARE(erp.pollInterval, std::chrono::seconds(5));
        QCOMPARE(erp.auth.type, AuthSettings::Type::Bearer);
        QCOMPARE(erp.auth.secret->describe(), QStringLiteral("env:ERP_TOKEN"));
        QCOMPARE(erp.resources.constFirst().paging.type, PagingSettings::Type::Cursor);
        QCOMPARE(erp.resources.constFirst().paging.itemsPointer, QStringLiteral("/data"));
        QCOMPARE(erp.resources.constFirst().paging.limit, 50);
        QCOMPARE(erp.resources.constFirst().updatedSinceParam, QStringLiteral("updated_since"));
        QCOMPARE(profiles->at(1).auth.user, QStringLiteral("buyer"));
        QCOMPARE(profiles->at(1).resources.constFirst().paging.type, PagingSettings::Type::PageNumber);
        QCOMPARE(profiles->at(2).kind, ConnectionProfile::Kind::WebSocketFeed);
        QCOMPARE(profiles->at(2).heartbeatTimeout, std::chrono::seconds(9));
    }

    void refusesWhatIsWrong_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("message");
        QTest::newRow("json") << QByteArray("{") << QStringLiteral("c.json: not valid JSON");
        QTest::newRow("shape") << QByteArray(profiledata::k1) << QStringLiteral("'connections' array");
        QTest::newRow("name") << QByteArray(profiledata::k2) << QStringLiteral("needs a 'name'");
        QTest::newRow("kind") << QByteArray(profiledata::k3)
                              << QStringLiteral("connection 'a': kind 'ftp' is unknown");
        QTest::newRow("url") << QByteArray(profiledata::k4)
                             << QStringLiteral("'url' must be an absolute URL");
        QTest::newRow("inline secret")
            << QByteArray(profiledata::k5) << QStringLiteral("never written into the profile");
        QTest::newRow("no resources")
            << QByteArray(profiledata::k6) << QStringLiteral("at least one entry in 'resources'");
        QTest::newRow("twice") << QByteArray(profiledata::k7)
                               << QStringLiteral("two connections are named 'a'");
        QTest::newRow("auth type") << QByteArray(profiledata::k8)
                                   << QStringLiteral("auth type 'kerberos' is unknown");
    }

    void refusesWhatIsWrong()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, message);
        const auto profiles = parseConnectionProfiles(text, QStringLiteral("c.json"));
        QVERIFY(!profiles.ok());
        QVERIFY2(profiles.error().contains(message), qPrintable(profiles.error()));
        QVERIFY2(!profiles.error().contains(QStringLiteral("hunter2")), "an inline secret is never echoed");
    }

    void writtenBackAsReferencesAndReadAgain()
    {
        qputenv("ERP_TOKEN", "tok-3f9e2d1c");
        const auto profiles = parseConnectionProfiles(profiledata::k0, QStringLiteral("connections.json"));
        QVERIFY(profiles.ok());
        const QByteArray written = connectionProfilesToJson(profiles.value());
        QVERIFY(written.contains("env:ERP_TOKEN"));
        QVERIFY(written.contains("file:/run/secrets/portal"));
        QVERIFY(!written.contains("tok-3f9e2d1c"));
        const auto again = parseConnectionProfiles(written, QStringLiteral("again.json"));
        QVERIFY2(again.ok(), again.ok() ? "" : qPrintable(again.error()));
        QCOMPARE(connectionProfilesToJson(again.value()), written);
        QCOMPARE(again->at(0).resources.constFirst().paging.nextCursorPointer, QStringLiteral("/next"));
        QCOMPARE(again->at(1).auth.type, AuthSettings::Type::Basic);
        QCOMPARE(again->at(2).heartbeatTimeout, std::chrono::seconds(9));
    }

    void sandboxProfilesReadWithTheirPlaceholdersFilled()
    {
        const auto profiles = sandboxConnectionProfiles(
            QUrl(QStringLiteral("http://127.0.0.1:4100/")), QUrl(QStringLiteral("ws://127.0.0.1:4101/feed")),
            QStringLiteral(SIGHTLINE_PROFILES_DIR "/sandbox.json"));
        QVERIFY2(profiles.ok(), profiles.ok() ? "" : qPrintable(profiles.error()));
        QCOMPARE(profiles->size(), 5);
        QCOMPARE(profiles->at(0).url, QUrl(QStringLiteral("ws://127.0.0.1:4101/feed")));
        QCOMPARE(profiles->at(1).url, QUrl(QStringLiteral("http://127.0.0.1:4100/erp/api/v1")));
        // Only the feed runs by default: the REST lists carry the same facts (their events would
        // show each milestone twice in a trace); a profile enables them instead of the feed.
        QVERIFY(profiles->at(0).enabled);
        for (qsizetype i = 1; i < profiles->size(); ++i)
            QVERIFY(!profiles->at(i).enabled);
        for (const ConnectionProfile &p : profiles.value()) {
            if (p.auth.secret)
                QVERIFY(p.auth.secret->describe().startsWith(u"env:SIGHTLINE_SANDBOX_"));
            for (const RestResource &r : p.resources)
                QVERIFY2(QFile::exists(QStringLiteral(SIGHTLINE_MAPPINGS_DIR "/") + r.mappingFile),
                         qPrintable(r.mappingFile));
        }
    }
};

QTEST_GUILESS_MAIN(TestProfiles)
#include "tst_profiles.moc"
