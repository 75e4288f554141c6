#include "connectors/sandbox/restapi.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QJsonDocument>

namespace sightline::sandbox {

namespace {
constexpr int kDefaultLimit = 50;
constexpr int kMaxLimit = 500;

const QString kErpBase = QStringLiteral("/erp/api/v1/");
const QString kWmsBase = QStringLiteral("/wms/api/v1/");
const QString kPortalBase = QStringLiteral("/portal/api/v1/");
const QString kTokenPath = QStringLiteral("/oauth/token");

// The collection behind a resource name of an API, or empty.
QString collectionFor(const QString &base, const QString &resource)
{
    static const QHash<QString, QString> erp{{QStringLiteral("sales-orders"), collection::SalesOrders},
                                             {QStringLiteral("purchase-orders"), collection::PurchaseOrders},
                                             {QStringLiteral("messages"), collection::Messages},
                                             {QStringLiteral("dead-letters"), collection::DeadLetters}};
    static const QHash<QString, QString> wms{{QStringLiteral("shipments"), collection::Shipments},
                                             {QStringLiteral("receipts"), collection::Receipts}};
    static const QHash<QString, QString> portal{
        {QStringLiteral("acknowledgments"), collection::Acknowledgments},
        {QStringLiteral("asns"), collection::Asns},
        {QStringLiteral("invoices"), collection::SupplierInvoices}};
    if (base == kErpBase)
        return erp.value(resource);
    if (base == kWmsBase)
        return wms.value(resource);
    return portal.value(resource);
}

int statusFor(WriteResult::Outcome outcome)
{
    switch (outcome) {
    case WriteResult::Outcome::Applied:
        return 200;
    case WriteResult::Outcome::NotFound:
        return 404;
    case WriteResult::Outcome::Conflict:
        return 409;
    case WriteResult::Outcome::Invalid:
        return 400;
    }
    return 500;
}

bool constantTimeEquals(const QByteArray &a, const QByteArray &b)
{
    if (a.size() != b.size())
        return false;
    int diff = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        diff |= a.at(i) ^ b.at(i);
    return diff == 0;
}
} // namespace

QByteArray ApiRequest::header(const QByteArray &name) const
{
    for (const auto &[key, value] : headers)
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    return {};
}

ApiReply ApiReply::json(int status, const QJsonObject &body)
{
    return {status,
            QJsonDocument(body).toJson(QJsonDocument::Compact),
            {{QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/json")}}};
}

ApiReply ApiReply::error(int status, const QString &code, const QString &message)
{
    return json(status, {{QStringLiteral("error"), code}, {QStringLiteral("message"), message}});
}

RestApi::RestApi(Scenario &scenario, std::function<qint64()> simulatedNowMs, Credentials credentials)
    : m_scenario(scenario), m_now(std::move(simulatedNowMs)), m_credentials(std::move(credentials))
{}

bool RestApi::handles(const QString &path)
{
    return path.startsWith(kErpBase) || path.startsWith(kWmsBase) || path.startsWith(kPortalBase) ||
           path == kTokenPath;
}

bool RestApi::authorized(Api api, const ApiRequest &request) const
{
    switch (api) {
    case Api::Erp: {
        const QByteArray given = request.header("Authorization");
        if (given.startsWith("Bearer ")) {
            const auto token = m_tokens.constFind(given.mid(7));
            if (token != m_tokens.cend() && *token > QDateTime::currentMSecsSinceEpoch())
                return true;
        }
        return constantTimeEquals(given, "Bearer " + m_credentials.erpToken.toUtf8());
    }
    case Api::Wms:
        return !m_credentials.wmsApiKey.isEmpty() &&
               constantTimeEquals(request.header("X-Api-Key"), m_credentials.wmsApiKey.toUtf8());
    case Api::Portal: {
        const QByteArray expected =
            "Basic " +
            QString(m_credentials.portalUser + u':' + m_credentials.portalPassword).toUtf8().toBase64();
        return constantTimeEquals(request.header("Authorization"), expected);
    }
    }
    return false;
}

ApiReply RestApi::handle(const ApiRequest &request)
{
    if (request.path == kTokenPath)
        return issueToken(request);
    Api api = Api::Erp;
    QString base = kErpBase;
    if (request.path.startsWith(kWmsBase)) {
        api = Api::Wms;
        base = kWmsBase;
    } else if (request.path.startsWith(kPortalBase)) {
        api = Api::Portal;
        base = kPortalBase;
    } else if (!request.path.startsWith(kErpBase)) {
        return ApiReply::error(404, QStringLiteral("not_found"), QStringLiteral("no API at ") + request.path);
    }
    if (!authorized(api, request)) {
        ApiReply reply = ApiReply::error(401, QStringLiteral("unauthorized"),
                                         QStringLiteral("missing or wrong credentials for ") + base);
        const QByteArray challenge = api == Api::Erp   ? QByteArrayLiteral("Bearer realm=\"sandbox-erp\"")
                                     : api == Api::Wms ? QByteArrayLiteral("ApiKey header=\"X-Api-Key\"")
                                                       : QByteArrayLiteral("Basic realm=\"sandbox-portal\"");
        reply.headers.append({QByteArrayLiteral("WWW-Authenticate"), challenge});
        return reply;
    }
    const QStringList segments = request.path.mid(base.size()).split(u'/', Qt::SkipEmptyParts);
    ApiReply reply = route(api, segments, request);
    return reply;
}

ApiReply RestApi::route(Api api, const QStringList &segments, const ApiRequest &request)
{
    const QString base = api == Api::Erp ? kErpBase : api == Api::Wms ? kWmsBase : kPortalBase;
    const QString coll = segments.isEmpty() ? QString() : collectionFor(base, segments.first());
    if (coll.isEmpty())
        return ApiReply::error(404, QStringLiteral("not_found"),
                               QStringLiteral("no resource at ") + request.path);
    if (request.method == "GET") {
        if (segments.size() == 1)
            return list(coll, request);
        if (segments.size() == 2)
            return detail(coll, segments.at(1));
        return ApiReply::error(404, QStringLiteral("not_found"),
                               QStringLiteral("no resource at ") + request.path);
    }
    if (request.method != "POST")
        return ApiReply::error(405, QStringLiteral("method_not_allowed"),
                               QStringLiteral("use GET or POST on ") + request.path);
    const QString id = segments.value(1);
    const qint64 now = m_now();
    // POST <messages>/<id>/resubmit
    if (segments.size() == 3 && coll == collection::Messages && segments.at(2) == u"resubmit")
        return write(api, request, [&](const QJsonObject &) { return m_scenario.resubmitMessage(id, now); });
    bool lineOk = false;
    const int line = segments.value(3).toInt(&lineOk);
    if (segments.size() != 5 || segments.at(2) != u"lines" || !lineOk)
        return ApiReply::error(404, QStringLiteral("not_found"),
                               QStringLiteral("no write at ") + request.path);
    const QString verb = segments.at(4);
    if (verb == u"cancel" && (coll == collection::SalesOrders || coll == collection::PurchaseOrders))
        return write(api, request,
                     [&](const QJsonObject &) { return m_scenario.cancelLine(coll, id, line, now); });
    if (verb == u"correct" && coll == collection::PurchaseOrders) {
        return write(api, request, [&](const QJsonObject &body) -> WriteResult {
            std::optional<double> quantity;
            std::optional<QDate> promised;
            if (body.contains(QStringLiteral("quantity"))) {
                if (!body.value(QStringLiteral("quantity")).isDouble())
                    return {WriteResult::Outcome::Invalid, QStringLiteral("quantity must be a number"), {}};
                quantity = body.value(QStringLiteral("quantity")).toDouble();
            }
            if (body.contains(QStringLiteral("promised_date"))) {
                const QDate d =
                    QDate::fromString(body.value(QStringLiteral("promised_date")).toString(), Qt::ISODate);
                if (!d.isValid())
                    return {WriteResult::Outcome::Invalid,
                            QStringLiteral("promised_date must be YYYY-MM-DD"),
                            {}};
                promised = d;
            }
            return m_scenario.correctPoLine(id, line, quantity, promised, now);
        });
    }
    if (verb == u"adjust" && coll == collection::Receipts) {
        return write(api, request, [&](const QJsonObject &body) -> WriteResult {
            if (!body.value(QStringLiteral("quantity")).isDouble())
                return {WriteResult::Outcome::Invalid, QStringLiteral("quantity (a number) is required"), {}};
            return m_scenario.adjustReceipt(id, line, body.value(QStringLiteral("quantity")).toDouble(), now);
        });
    }
    return ApiReply::error(404, QStringLiteral("not_found"), QStringLiteral("no write at ") + request.path);
}

ApiReply RestApi::list(const QString &collectionName, const ApiRequest &request) const
{
    int limit = kDefaultLimit;
    if (request.query.hasQueryItem(QStringLiteral("limit"))) {
        bool ok = false;
        limit = request.query.queryItemValue(QStringLiteral("limit")).toInt(&ok);
        if (!ok || limit < 1 || limit > kMaxLimit)
            return ApiReply::error(400, QStringLiteral("bad_request"),
                                   QStringLiteral("limit must be an integer from 1 to %1").arg(kMaxLimit));
    }
    qint64 sinceMs = std::numeric_limits<qint64>::min();
    if (request.query.hasQueryItem(QStringLiteral("updated_since"))) {
        const QString text =
            request.query.queryItemValue(QStringLiteral("updated_since"), QUrl::FullyDecoded);
        const QDateTime since = QDateTime::fromString(text, Qt::ISODateWithMs);
        if (!since.isValid())
            return ApiReply::error(400, QStringLiteral("bad_request"),
                                   QStringLiteral("updated_since must be RFC 3339, got '%1'").arg(text));
        sinceMs = since.toMSecsSinceEpoch();
    }
    QString cursor = request.query.queryItemValue(QStringLiteral("cursor"), QUrl::FullyDecoded);
    // Page-number paging (page=1, 2...) for clients that cannot keep a cursor: walks the cursors.
    if (request.query.hasQueryItem(QStringLiteral("page")) && cursor.isEmpty()) {
        bool ok = false;
        const int number = request.query.queryItemValue(QStringLiteral("page")).toInt(&ok);
        if (!ok || number < 1)
            return ApiReply::error(400, QStringLiteral("bad_request"),
                                   QStringLiteral("page must be 1 or more"));
        for (int n = 1; n < number; ++n) {
            const auto skipped = m_scenario.records().page(collectionName, limit, cursor, sinceMs);
            if (!skipped || skipped->nextCursor.isEmpty())
                return ApiReply::json(200, {{QStringLiteral("items"), QJsonArray()},
                                            {QStringLiteral("limit"), limit},
                                            {QStringLiteral("page"), number},
                                            {QStringLiteral("next_cursor"), QJsonValue()}});
            cursor = skipped->nextCursor;
        }
    }
    const auto page = m_scenario.records().page(collectionName, limit, cursor, sinceMs);
    if (!page)
        return ApiReply::error(400, QStringLiteral("bad_cursor"), page.error());
    QJsonArray items;
    for (const QJsonObject &item : page->items)
        items.append(item);
    return ApiReply::json(200, {{QStringLiteral("items"), items},
                                {QStringLiteral("limit"), limit},
                                {QStringLiteral("next_cursor"),
                                 page->nextCursor.isEmpty() ? QJsonValue() : QJsonValue(page->nextCursor)}});
}

ApiReply RestApi::detail(const QString &collectionName, const QString &id) const
{
    const QJsonObject *record = m_scenario.records().find(collectionName, id);
    if (!record)
        return ApiReply::error(404, QStringLiteral("not_found"), QStringLiteral("%1 does not exist").arg(id));
    return ApiReply::json(200, *record);
}

ApiReply RestApi::write(Api api, const ApiRequest &request, const Write &apply)
{
    const QString key = QString::fromUtf8(request.header("Idempotency-Key")).trimmed();
    if (key.isEmpty()) {
        const ApiReply reply = ApiReply::error(400, QStringLiteral("idempotency_key_required"),
                                               QStringLiteral("writes need an Idempotency-Key header"));
        record(request, key, reply, false);
        return reply;
    }
    QJsonObject body;
    if (!request.body.trimmed().isEmpty()) {
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(request.body, &error);
        if (!doc.isObject()) {
            const ApiReply reply =
                ApiReply::error(400, QStringLiteral("bad_request"),
                                QStringLiteral("the body must be a JSON object (%1 at offset %2)")
                                    .arg(error.errorString())
                                    .arg(error.offset));
            record(request, key, reply, false);
            return reply;
        }
        body = doc.object();
    }
    const QByteArray fingerprint =
        QCryptographicHash::hash(QByteArray(request.method + ' ' + request.path.toUtf8() + '\n' +
                                            QJsonDocument(body).toJson(QJsonDocument::Compact)),
                                 QCryptographicHash::Sha256);
    const QString slot = QString::number(static_cast<int>(api)) + u'|' + key;
    if (const auto stored = m_idempotency.constFind(slot); stored != m_idempotency.cend()) {
        if (stored->fingerprint != fingerprint) {
            const ApiReply reply = ApiReply::error(
                422, QStringLiteral("idempotency_key_reused"),
                QStringLiteral("Idempotency-Key '%1' was already used with another request body or path")
                    .arg(key));
            record(request, key, reply, false);
            return reply;
        }
        ApiReply reply = stored->reply;
        reply.headers.append({QByteArrayLiteral("Idempotent-Replayed"), QByteArrayLiteral("true")});
        record(request, key, reply, true);
        return reply;
    }
    const WriteResult result = apply(body);
    const int status = statusFor(result.outcome);
    ApiReply reply = status == 200
                         ? ApiReply::json(200, {{QStringLiteral("result"), QStringLiteral("applied")},
                                                {QStringLiteral("record"), result.record}})
                         : ApiReply::error(status,
                                           status == 409   ? QStringLiteral("conflict")
                                           : status == 404 ? QStringLiteral("not_found")
                                                           : QStringLiteral("bad_request"),
                                           result.reason);
    m_idempotency.insert(slot, {fingerprint, reply});
    record(request, key, reply, false);
    return reply;
}

// OAuth2 client credentials (RFC 6749 §4.4): the client authenticates with HTTP Basic or with
// client_id and client_secret in the form body.
ApiReply RestApi::issueToken(const ApiRequest &request)
{
    if (request.method != "POST")
        return ApiReply::error(405, QStringLiteral("method_not_allowed"),
                               QStringLiteral("POST the token request"));
    const QUrlQuery form(QString::fromUtf8(request.body));
    QByteArray id = form.queryItemValue(QStringLiteral("client_id"), QUrl::FullyDecoded).toUtf8();
    QByteArray secret = form.queryItemValue(QStringLiteral("client_secret"), QUrl::FullyDecoded).toUtf8();
    const QByteArray basic = request.header("Authorization");
    if (basic.startsWith("Basic ")) {
        const QByteArray pair = QByteArray::fromBase64(basic.mid(6));
        id = pair.left(pair.indexOf(':'));
        secret = pair.mid(pair.indexOf(':') + 1);
    }
    if (form.queryItemValue(QStringLiteral("grant_type")) != u"client_credentials")
        return ApiReply::json(400, {{QStringLiteral("error"), QStringLiteral("unsupported_grant_type")}});
    if (!constantTimeEquals(id, m_credentials.oauthClientId.toUtf8()) ||
        !constantTimeEquals(secret, m_credentials.oauthClientSecret.toUtf8())) {
        ApiReply reply = ApiReply::json(401, {{QStringLiteral("error"), QStringLiteral("invalid_client")}});
        reply.headers.append(
            {QByteArrayLiteral("WWW-Authenticate"), QByteArrayLiteral("Basic realm=\"sandbox-oauth\"")});
        return reply;
    }
    const QByteArray seed =
        QByteArray::number(QDateTime::currentMSecsSinceEpoch()) + '|' + QByteArray::number(++m_tokensIssued);
    const QByteArray token =
        "oauth-" + QCryptographicHash::hash(seed, QCryptographicHash::Sha256).toHex().left(32);
    m_tokens.insert(token,
                    QDateTime::currentMSecsSinceEpoch() + m_credentials.oauthTokenSeconds * qint64(1000));
    return ApiReply::json(200, {{QStringLiteral("access_token"), QString::fromLatin1(token)},
                                {QStringLiteral("token_type"), QStringLiteral("Bearer")},
                                {QStringLiteral("expires_in"), m_credentials.oauthTokenSeconds}});
}

void RestApi::record(const ApiRequest &request, const QString &key, const ApiReply &reply, bool replayed)
{
    const QJsonDocument body = QJsonDocument::fromJson(request.body);
    const QJsonDocument result = QJsonDocument::fromJson(reply.body);
    m_writes.append(QJsonObject{
        {QStringLiteral("key"), key},
        {QStringLiteral("method"), QString::fromLatin1(request.method)},
        {QStringLiteral("path"), request.path},
        {QStringLiteral("body"),
         body.isObject() ? QJsonValue(body.object()) : QJsonValue(QString::fromUtf8(request.body))},
        {QStringLiteral("status"), reply.status},
        {QStringLiteral("result"), result.object()},
        {QStringLiteral("replayed"), replayed},
        {QStringLiteral("received_at"), QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs)},
    });
}

} // namespace sightline::sandbox
