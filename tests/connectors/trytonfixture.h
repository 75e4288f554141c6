#pragma once

// Starts a private Tryton server with installer/tryton.sh for a test, seeds it, and stops it when
// the fixture ends (also when the test fails; a watcher in the script stops it if the test crashes).

#include "connectors/tryton/trytonclient.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

namespace sightline::testing {

class TrytonServer
{
public:
    TrytonServer() = default;
    TrytonServer(const TrytonServer &) = delete;
    TrytonServer &operator=(const TrytonServer &) = delete;
    ~TrytonServer() { stop(); }

    // Why Tryton cannot run here, or empty when it can.
    static QString unavailableBecause()
    {
        if (QStandardPaths::findExecutable(QStringLiteral("trytond")).isEmpty() ||
            QStandardPaths::findExecutable(QStringLiteral("trytond-admin")).isEmpty())
            return QStringLiteral(
                "Tryton is not installed: installer/deps.sh installs tryton-server "
                "tryton-modules-sale tryton-modules-purchase tryton-modules-stock (needs apt "
                "and root or sudo)");
        if (QStandardPaths::findExecutable(QStringLiteral("python3")).isEmpty())
            return QStringLiteral("python3 is missing (installer/tryton.sh seeds through it)");
        return {};
    }

    // Starts the server on a free port of 127.0.0.1; the script's output goes to log.
    bool start(QString &log)
    {
        QTcpServer probe;
        if (!probe.listen(QHostAddress::LocalHost, 0))
            return false;
        m_port = probe.serverPort();
        probe.close();
        m_started = run({QStringLiteral("start"), m_dir.path(), QString::number(m_port)}, log);
        return m_started;
    }
    bool seed(QString &log)
    {
        return run({QStringLiteral("seed"), m_dir.path(), QString::number(m_port)}, log);
    }
    void stop()
    {
        if (!m_started)
            return;
        m_started = false;
        QString log;
        run({QStringLiteral("stop"), m_dir.path()}, log);
    }

    QString dir() const { return m_dir.path(); }
    QString passwordFile() const { return m_dir.filePath(QStringLiteral("admin.pass")); }
    QUrl url() const { return QUrl(QStringLiteral("http://127.0.0.1:%1/").arg(m_port)); }
    QString database() const { return QStringLiteral("sightline"); }

    tryton::ServerSettings settings(const QString &connection = QStringLiteral("tryton")) const
    {
        tryton::ServerSettings s;
        s.connection = connection;
        s.url = url();
        s.database = database();
        s.user = QStringLiteral("admin");
        s.password = SecretRef::parse(QStringLiteral("file:") + passwordFile()).value();
        return s;
    }

    // A profiles file naming this server as connection "tryton".
    QByteArray profilesJson(int pollSeconds = 30) const
    {
        return QStringLiteral(R"({"connections": [{"name": "tryton", "kind": "tryton", "url": "%1",
            "database": "%2", "poll_interval_seconds": %3, "page_size": 2,
            "auth": {"type": "basic", "user": "admin", "password": "file:%4"}}]})")
            .arg(url().toString(), database())
            .arg(pollSeconds)
            .arg(passwordFile())
            .toUtf8();
    }

private:
    bool run(const QStringList &args, QString &log)
    {
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("TRYTON_OWNER_PID"), QString::number(QCoreApplication::applicationPid()));
        p.setProcessEnvironment(env);
        p.setProcessChannelMode(QProcess::MergedChannels);
        p.start(QStringLiteral("bash"), QStringList{QStringLiteral(SIGHTLINE_TRYTON_SCRIPT)} + args);
        const bool finished = p.waitForFinished(180'000);
        log = QString::fromUtf8(p.readAll());
        return finished && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
    }

    QTemporaryDir m_dir;
    quint16 m_port = 0;
    bool m_started = false;
};

// One call through a client, waited for (tests only).
inline tryton::Reply callTryton(tryton::Client &client, const QString &method, const nlohmann::json &params)
{
    static quint64 job = 1000;
    const quint64 mine = ++job;
    QSignalSpy spy(&client, &tryton::Client::finished);
    client.call(mine, method, params);
    QElapsedTimer clock;
    clock.start();
    while (clock.elapsed() < 60'000) {
        for (const QList<QVariant> &args : std::as_const(spy)) {
            if (args.at(0).toULongLong() == mine)
                return args.at(1).value<tryton::Reply>();
        }
        spy.wait(100);
    }
    tryton::Reply timedOut;
    timedOut.failure = tryton::Reply::Failure::Network;
    timedOut.error = QStringLiteral("no answer within 60 s");
    return timedOut;
}

} // namespace sightline::testing
