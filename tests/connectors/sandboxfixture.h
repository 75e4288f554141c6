#pragma once

// Shared by the connector tests that run against the sandbox in this process over real HTTP on
// 127.0.0.1: connection profiles for its three APIs, and plain HTTP calls to its admin endpoints.

#include "connectors/profile/connectionprofile.h"
#include "connectors/sandbox/sandboxserver.h"

#include <QEventLoop>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>

namespace sandboxfixture {

using namespace sightline;

inline sandbox::SandboxOptions calmOptions(quint64 seed = 7, int backfillDays = 2)
{
    sandbox::SandboxOptions options;
    options.speed = 0;
    options.heartbeatMs = 200;
    options.scenario.seed = seed;
    options.scenario.start = QDateTime(QDate(2026, 11, 20), QTime(8, 0), Qt::UTC);
    options.scenario.backfillDays = backfillDays;
    return options;
}

inline QString apiBase(const sandbox::SandboxServer &server, const char *api)
{
    return QStringLiteral("http://127.0.0.1:%1/%2/api/v1").arg(server.httpPort()).arg(QLatin1String(api));
}

inline SecretRef envSecret(const char *variable, const QByteArray &value)
{
    qputenv(variable, value);
    return SecretRef::parse(QStringLiteral("env:") + QLatin1String(variable)).value();
}

// The sandbox ERP with its bearer token read from the environment variable `variable`.
inline ConnectionProfile erpProfile(const sandbox::SandboxServer &server,
                                    const QByteArray &token = "sandbox-erp-token",
                                    const char *variable = "TST_SANDBOX_ERP_TOKEN")
{
    ConnectionProfile p;
    p.name = QStringLiteral("erp");
    p.kind = ConnectionProfile::Kind::Rest;
    p.url = QUrl(apiBase(server, "erp"));
    p.auth.type = AuthSettings::Type::Bearer;
    p.auth.secret = envSecret(variable, token);
    p.timeout = std::chrono::seconds(2);
    return p;
}

inline ConnectionProfile wmsProfile(const sandbox::SandboxServer &server)
{
    ConnectionProfile p;
    p.name = QStringLiteral("wms");
    p.kind = ConnectionProfile::Kind::Rest;
    p.url = QUrl(apiBase(server, "wms"));
    p.auth.type = AuthSettings::Type::ApiKey;
    p.auth.header = "X-Api-Key";
    p.auth.secret = envSecret("TST_SANDBOX_WMS_KEY", "sandbox-wms-key");
    p.timeout = std::chrono::seconds(2);
    return p;
}

inline ConnectionProfile portalProfile(const sandbox::SandboxServer &server)
{
    ConnectionProfile p;
    p.name = QStringLiteral("portal");
    p.kind = ConnectionProfile::Kind::Rest;
    p.url = QUrl(apiBase(server, "portal"));
    p.auth.type = AuthSettings::Type::Basic;
    p.auth.user = QStringLiteral("supplier");
    p.auth.secret = envSecret("TST_SANDBOX_PORTAL_PASSWORD", "sandbox-portal");
    p.timeout = std::chrono::seconds(2);
    return p;
}

// A plain call to the sandbox (admin endpoints); waits in a local event loop.
inline QJsonObject call(const sandbox::SandboxServer &server, const QByteArray &method, const QString &path,
                        const QByteArray &body = {})
{
    QNetworkAccessManager network;
    QNetworkRequest request(QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(server.httpPort()).arg(path)));
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    QNetworkReply *reply = network.sendCustomRequest(request, method, body);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    loop.exec();
    const QJsonObject json = QJsonDocument::fromJson(reply->readAll()).object();
    reply->deleteLater();
    return json;
}

inline QJsonObject inspect(const sandbox::SandboxServer &server)
{
    return call(server, "GET", QStringLiteral("/admin/inspect"));
}

inline void setFaults(const sandbox::SandboxServer &server, const QByteArray &json)
{
    call(server, "POST", QStringLiteral("/admin/faults"), json);
}

} // namespace sandboxfixture

namespace sandboxfixture {

// A polled list of the sandbox: cursor paging, incremental by updated_since.
inline RestResource resource(const char *path, const char *mapping, int limit = 50)
{
    RestResource r;
    r.path = QString::fromLatin1(path);
    r.mappingFile = QString::fromLatin1(mapping);
    r.paging.type = PagingSettings::Type::Cursor;
    r.paging.limit = limit;
    r.updatedSinceParam = QStringLiteral("updated_since");
    r.updatedAtPointer = QStringLiteral("/updated_at");
    return r;
}

inline void addErpResources(ConnectionProfile &p)
{
    p.resources = {resource("sales-orders", "sandbox-erp-sales-orders.json"),
                   resource("purchase-orders", "sandbox-erp-purchase-orders.json"),
                   resource("messages", "sandbox-erp-messages.json")};
}

inline void addWmsResources(ConnectionProfile &p)
{
    p.resources = {resource("shipments", "sandbox-wms-shipments.json"),
                   resource("receipts", "sandbox-wms-receipts.json")};
}

inline void addPortalResources(ConnectionProfile &p)
{
    p.resources = {resource("acknowledgments", "sandbox-portal-acknowledgments.json"),
                   resource("asns", "sandbox-portal-asns.json"),
                   resource("invoices", "sandbox-portal-invoices.json")};
}

// How many records the sandbox's REST lists hold now: what a full sync maps into events.
inline qint64 recordCount(const sandbox::SandboxServer &server, const QStringList &collections)
{
    qint64 n = 0;
    for (const QString &c : collections)
        n += server.scenario().records().count(c);
    return n;
}

inline const QStringList &erpCollections()
{
    static const QStringList c{sandbox::collection::SalesOrders, sandbox::collection::PurchaseOrders,
                               sandbox::collection::Messages};
    return c;
}

inline const QStringList &wmsCollections()
{
    static const QStringList c{sandbox::collection::Shipments, sandbox::collection::Receipts};
    return c;
}

inline const QStringList &portalCollections()
{
    static const QStringList c{sandbox::collection::Acknowledgments, sandbox::collection::Asns,
                               sandbox::collection::SupplierInvoices};
    return c;
}

} // namespace sandboxfixture
