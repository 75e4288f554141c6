#include "connectors/demo/demosandbox.h"

#include "connectors/connectorslog.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QProcessEnvironment>

#ifdef Q_OS_LINUX
#include <csignal>
#include <sys/prctl.h>
#endif

namespace sightline {

DemoSandbox::DemoSandbox(QObject *parent) : QObject(parent)
{
    m_process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
#ifdef Q_OS_LINUX
    // The sandbox goes when the console goes, even when the console is killed.
    m_process.setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGTERM); });
#endif
    connect(&m_process, &QProcess::readyReadStandardOutput, this, &DemoSandbox::readBanner);
    connect(&m_process, &QProcess::finished, this, &DemoSandbox::onFinished);
    connect(&m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
        if (error == QProcess::FailedToStart)
            Q_EMIT failed(tr("The demo sandbox could not start (%1): %2")
                              .arg(m_process.program(), m_process.errorString()));
    });
}

DemoSandbox::~DemoSandbox()
{
    stop();
}

QString DemoSandbox::findProgram()
{
    const QString configured =
        QProcessEnvironment::systemEnvironment().value(QStringLiteral("SIGHTLINE_SANDBOX"));
    if (!configured.isEmpty())
        return configured;
    const QDir here(QCoreApplication::applicationDirPath());
    for (const QString &candidate : {here.filePath(QStringLiteral("sightline-sandbox")),
                                     here.filePath(QStringLiteral("sandbox/sightline-sandbox")),
                                     here.filePath(QStringLiteral("../app/sandbox/sightline-sandbox"))}) {
        const QFileInfo info(candidate);
        if (info.isFile() && info.isExecutable())
            return info.canonicalFilePath();
    }
    return {};
}

std::optional<DemoSandbox::Endpoints> DemoSandbox::parseBanner(const QByteArray &line)
{
    const QList<QByteArray> words = line.simplified().split(' ');
    Endpoints endpoints;
    for (qsizetype i = 0; i + 1 < words.size(); ++i) {
        if (words.at(i) == "api")
            endpoints.api = QUrl(QString::fromUtf8(words.at(i + 1)));
        else if (words.at(i) == "feed")
            endpoints.feed = QUrl(QString::fromUtf8(words.at(i + 1)));
    }
    if (!words.value(0).startsWith("sightline-sandbox") || !endpoints.api.isValid() ||
        !endpoints.feed.isValid() || endpoints.api.host() != QLatin1String("127.0.0.1"))
        return std::nullopt;
    return endpoints;
}

void DemoSandbox::start(const QStringList &arguments)
{
    const QString program = findProgram();
    if (program.isEmpty()) {
        Q_EMIT failed(tr("The demo sandbox program (sightline-sandbox) was not found beside %1; build it "
                         "or set SIGHTLINE_SANDBOX to its path.")
                          .arg(QCoreApplication::applicationDirPath()));
        return;
    }
    qCInfo(lcConnectors) << "starting the demo sandbox" << program << arguments;
    m_process.start(program, arguments, QIODevice::ReadOnly);
}

void DemoSandbox::stop()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    m_process.terminate();
    if (!m_process.waitForFinished(3000)) {
        m_process.kill();
        m_process.waitForFinished(1000);
    }
}

void DemoSandbox::readBanner()
{
    if (m_ready) {
        m_process.readAllStandardOutput(); // later output is not ours to show
        return;
    }
    m_banner += m_process.readAllStandardOutput();
    const qsizetype end = m_banner.indexOf('\n');
    if (end < 0)
        return;
    const auto endpoints = parseBanner(m_banner.left(end));
    if (!endpoints) {
        Q_EMIT failed(tr("The demo sandbox said something unexpected: %1")
                          .arg(QString::fromUtf8(m_banner.left(end).left(200))));
        stop();
        return;
    }
    m_ready = true;
    m_endpoints = *endpoints;
    Q_EMIT ready(m_endpoints);
}

void DemoSandbox::onFinished(int exitCode, QProcess::ExitStatus status)
{
    const bool wasReady = m_ready;
    m_ready = false;
    if (status == QProcess::CrashExit)
        Q_EMIT failed(tr("The demo sandbox stopped unexpectedly (crashed)."));
    else if (!wasReady || exitCode != 0)
        Q_EMIT failed(tr("The demo sandbox exited with code %1.").arg(exitCode));
}

} // namespace sightline
