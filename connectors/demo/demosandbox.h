#pragma once

#include <QObject>
#include <QProcess>
#include <QStringList>
#include <QUrl>
#include <optional>

namespace sightline {

// The console's embedded default: a sightline-sandbox child process (simulated ERP, WMS, portal
// and event feed) on free ports of 127.0.0.1. Asynchronous: start() returns at once; ready() or
// failed() follows once the sandbox has printed its first line or could not start. The process is
// stopped when this object goes away.
class DemoSandbox : public QObject
{
    Q_OBJECT
public:
    struct Endpoints
    {
        QUrl api;  // http://127.0.0.1:PORT
        QUrl feed; // ws://127.0.0.1:PORT/feed
    };

    explicit DemoSandbox(QObject *parent = nullptr);
    ~DemoSandbox() override;

    // Where the sandbox program is: SIGHTLINE_SANDBOX, else beside the running program (installed
    // layout), else in the build tree's app/sandbox folder. Empty when it is nowhere.
    static QString findProgram();
    // Parses the sandbox's first line ("sightline-sandbox listening: api URL feed URL ...").
    static std::optional<Endpoints> parseBanner(const QByteArray &line);

    void start(const QStringList &arguments);
    void stop();
    const Endpoints &endpoints() const { return m_endpoints; }

Q_SIGNALS:
    void ready(const sightline::DemoSandbox::Endpoints &endpoints);
    void failed(const QString &message);

private:
    void readBanner();
    void onFinished(int exitCode, QProcess::ExitStatus status);

    QProcess m_process;
    QByteArray m_banner;
    Endpoints m_endpoints;
    bool m_ready = false;
};

} // namespace sightline
