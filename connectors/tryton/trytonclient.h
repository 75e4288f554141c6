#pragma once

#include "connectors/http/httprunner.h"
#include "connectors/profile/secretref.h"
#include "connectors/tryton/trytonvalues.h"

#include <QHash>
#include <QList>
#include <QMetaType>
#include <QObject>
#include <QUrl>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>

namespace sightline::tryton {

// Where a Tryton server is and who the connector logs in as.
struct ServerSettings
{
    QString connection; // the profile's name, for messages
    QUrl url;           // the server's root, e.g. http://127.0.0.1:8000/
    QString database;
    QString user;
    std::optional<SecretRef> password; // never logged
    std::chrono::milliseconds timeout{15'000};
};

// The answer to one call, checked in layers: the network and HTTP, the JSON, Tryton's JSON-RPC
// error, the shape of the result. error is for a person and never holds a secret.
struct Reply
{
    enum class Failure { None, Network, Authentication, Json, Rpc, Shape };
    Failure failure = Failure::None;
    QString error;
    QString method;
    QByteArray body;                        // the whole answer, as it came
    ByteSpan resultSpan;                    // where "result" is in body: records keep their bytes
    std::shared_ptr<nlohmann::json> result; // parsed "result"; null when failed

    bool ok() const { return failure == Failure::None; }
    // Marks the reply as a shape failure ("... should be a list") unless it is one already.
    Reply &shapeError(const QString &what);
};

// A JSON-RPC client of one Tryton server, living on its connector's thread with that thread's one
// QNetworkAccessManager (through HttpRunner). It logs in with common.db.login, sends
// "Authorization: Session base64(user:id:session)", takes the user's preferences as the context of
// every model call (company, language), and logs in again once when Tryton answers 401 or 403 (the
// session expired or was ended). Calls made while logging in wait for it.
class Client : public QObject
{
    Q_OBJECT
public:
    Client(ServerSettings settings, HttpRunner::Settings http, QObject *parent = nullptr);
    ~Client() override;

    const ServerSettings &settings() const { return m_settings; }
    // "model.sale.sale.search_read" with params (the context is appended to model calls).
    // finished() follows once for each job.
    void call(quint64 jobId, const QString &method, nlohmann::json params);
    int logins() const { return m_logins; }
    const nlohmann::json &context() const { return m_context; }

Q_SIGNALS:
    void finished(quint64 jobId, const sightline::tryton::Reply &reply);

private:
    enum class Stage { LoggedOut, LoggingIn, LoggedIn };
    struct Job
    {
        quint64 callerJob = 0;
        QString method;
        nlohmann::json params;
        bool loggedInAgain = false;
    };

    void dispatch(quint64 internalJob);
    void onHttp(quint64 internalJob, const HttpResult &result);
    void login();
    void onLogin(const Reply &reply);
    void onPreferences(const Reply &reply);
    void failWaiting(const Reply &reply);
    void finish(quint64 internalJob, Reply reply);
    QUrl databaseUrl() const;
    Reply readAnswer(const QString &method, const HttpResult &result) const;

    ServerSettings m_settings;
    HttpRunner *m_runner;
    Stage m_stage = Stage::LoggedOut;
    QByteArray m_authorization; // "Session ..."; never logged
    nlohmann::json m_context = nlohmann::json::object();
    QHash<quint64, Job> m_jobs;
    QList<quint64> m_waiting; // for the login
    quint64 m_nextJob = 1;
    quint64 m_loginJob = 0;
    quint64 m_preferencesJob = 0;
    int m_logins = 0;
};

// A readable text of Tryton's JSON-RPC "error" member: ["UserError", ["message", "description"]]
// gives "message: description"; [text, traceback] gives the text.
QString describeRpcError(const nlohmann::json &error);

} // namespace sightline::tryton

Q_DECLARE_METATYPE(sightline::tryton::Reply)
