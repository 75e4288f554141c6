#include "connectors/sandbox/sandboxoptions.h"

#include <QCommandLineParser>
#include <QDateTime>
#include <QProcessEnvironment>

namespace sightline::sandbox {

namespace {
QCommandLineOption option(const char *name, const char *description, const char *valueName = nullptr,
                          const QString &defaultValue = {})
{
    if (!valueName)
        return QCommandLineOption(QString::fromLatin1(name), QString::fromLatin1(description));
    return QCommandLineOption(QString::fromLatin1(name), QString::fromLatin1(description),
                              QString::fromLatin1(valueName), defaultValue);
}

Result<double> number(const QCommandLineParser &parser, const QString &name, double low, double high)
{
    bool ok = false;
    const double v = parser.value(name).toDouble(&ok);
    if (!ok || v < low || v > high)
        return Error{QStringLiteral("--%1 must be a number between %2 and %3, got '%4'")
                         .arg(name)
                         .arg(low)
                         .arg(high)
                         .arg(parser.value(name))};
    return v;
}
} // namespace

Result<SandboxOptions> parseSandboxOptions(const QStringList &arguments, QString *helpText)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Sightline sandbox: a simulated ERP (/erp/api/v1, bearer token), WMS (/wms/api/v1, X-Api-Key) and "
        "supplier portal (/portal/api/v1, HTTP Basic), with a CloudEvents WebSocket feed (/feed?after=SEQ), "
        "admin endpoints (/admin/inspect, /admin/faults, /admin/clock) and fault injection. Listens on "
        "127.0.0.1 only. Credentials may also come from SIGHTLINE_SANDBOX_ERP_TOKEN, "
        "SIGHTLINE_SANDBOX_WMS_KEY, SIGHTLINE_SANDBOX_PORTAL_USER, SIGHTLINE_SANDBOX_PORTAL_PASSWORD and "
        "SIGHTLINE_SANDBOX_OAUTH_CLIENT_SECRET."));
    parser.addHelpOption();
    const SandboxOptions defaults;
    const QList<QCommandLineOption> options{
        option("port", "HTTP port (0 = a free one, printed at start).", "port", QStringLiteral("0")),
        option("feed-port", "WebSocket feed port (0 = a free one).", "port", QStringLiteral("0")),
        option("seed", "Scenario seed: the same seed gives the same scenario.", "n", QStringLiteral("42")),
        option("start", "Simulated start instant, RFC 3339 (default: now, to the hour).", "time"),
        option("speed", "Simulated seconds per real second (3600 = an hour per second; 0 = stopped).", "x",
               QStringLiteral("60")),
        option("backfill-days", "Days of history generated before the start.", "n", QStringLiteral("2")),
        option("orders-per-hour", "Mean sales orders created per simulated hour.", "n", QStringLiteral("4")),
        option("pos-per-hour", "Mean purchase orders created per simulated hour.", "n",
               QStringLiteral("1.5")),
        option("trouble", "Rate (0..1) of every kind of trouble.", "rate", QStringLiteral("0.08")),
        option("trouble-kind",
               "Rate of one kind of trouble, kind=rate (repeatable): late_ack, partial_ack, asn_mismatch, "
               "receipt_tolerance, invoice_price, status_conflict, orphan_event, rejected_message, "
               "failed_delivery, late_event.",
               "kind=rate"),
        option("heartbeat-ms", "Feed heartbeat interval.", "ms", QStringLiteral("5000")),
        option("erp-token", "ERP bearer token (default sandbox-erp-token).", "token"),
        option("wms-key", "WMS API key (default sandbox-wms-key).", "key"),
        option("portal-user", "Portal Basic user (default supplier).", "user"),
        option("portal-password", "Portal Basic password (default sandbox-portal).", "password"),
        option("oauth-client-secret",
               "Secret of the OAuth2 client 'sightline' at POST /oauth/token, whose tokens the ERP accepts "
               "(default sandbox-oauth-secret).",
               "secret"),
        option("latency-ms", "Fault: delay every API response.", "ms", QStringLiteral("0")),
        option("error-rate", "Fault: rate of 503 answers.", "rate", QStringLiteral("0")),
        option("rate-limit-rate", "Fault: rate of 429 answers with Retry-After.", "rate",
               QStringLiteral("0")),
        option("hang-rate", "Fault: rate of requests never answered.", "rate", QStringLiteral("0")),
        option("malformed-rate", "Fault: rate of responses with a cut JSON body.", "rate",
               QStringLiteral("0")),
        option("feed-duplicate-rate", "Fault: rate of feed events sent twice.", "rate", QStringLiteral("0")),
        option("feed-reorder-rate", "Fault: rate of feed events sent after the next one.", "rate",
               QStringLiteral("0")),
        option("feed-malformed-rate", "Fault: rate of broken JSON texts on the feed.", "rate",
               QStringLiteral("0")),
        option("feed-disconnect-after", "Fault: abort each feed connection after N events (0 = never).", "n",
               QStringLiteral("0")),
    };
    parser.addOptions(options);
    if (helpText)
        *helpText = parser.helpText();
    if (!parser.parse(arguments))
        return Error{parser.errorText()};

    SandboxOptions out = defaults;
    struct Real
    {
        const char *name;
        double low, high;
        double *target;
    };
    double httpPort = 0, feedPort = 0, seed = 0, backfill = 0, heartbeat = 0, trouble = 0, latency = 0,
           disconnectAfter = 0;
    const Real reals[] = {
        {"port", 0, 65535, &httpPort},
        {"feed-port", 0, 65535, &feedPort},
        {"seed", 0, 9007199254740992.0, &seed},
        {"speed", 0, 1e7, &out.speed},
        {"backfill-days", 0, 365, &backfill},
        {"orders-per-hour", 0, 1000, &out.scenario.salesOrdersPerHour},
        {"pos-per-hour", 0, 1000, &out.scenario.purchaseOrdersPerHour},
        {"trouble", 0, 1, &trouble},
        {"heartbeat-ms", 50, 3600000, &heartbeat},
        {"latency-ms", 0, 3600000, &latency},
        {"error-rate", 0, 1, &out.faults.errorRate},
        {"rate-limit-rate", 0, 1, &out.faults.rateLimitRate},
        {"hang-rate", 0, 1, &out.faults.hangRate},
        {"malformed-rate", 0, 1, &out.faults.malformedRate},
        {"feed-duplicate-rate", 0, 1, &out.faults.feedDuplicateRate},
        {"feed-reorder-rate", 0, 1, &out.faults.feedReorderRate},
        {"feed-malformed-rate", 0, 1, &out.faults.feedMalformedRate},
        {"feed-disconnect-after", 0, 1e9, &disconnectAfter},
    };
    for (const Real &r : reals) {
        auto v = number(parser, QString::fromLatin1(r.name), r.low, r.high);
        if (!v)
            return Error{v.error()};
        *r.target = v.value();
    }
    out.httpPort = static_cast<quint16>(httpPort);
    out.feedPort = static_cast<quint16>(feedPort);
    out.scenario.seed = static_cast<quint64>(seed);
    out.scenario.backfillDays = static_cast<int>(backfill);
    out.heartbeatMs = static_cast<int>(heartbeat);
    out.faults.latencyMs = static_cast<int>(latency);
    out.faults.feedDisconnectAfter = static_cast<int>(disconnectAfter);
    out.scenario.trouble.setAll(trouble);
    for (const QString &assignment : parser.values(QStringLiteral("trouble-kind"))) {
        if (const Status s = out.scenario.trouble.parse(assignment); !s)
            return Error{s.error()};
    }
    if (parser.isSet(QStringLiteral("start"))) {
        out.scenario.start = QDateTime::fromString(parser.value(QStringLiteral("start")), Qt::ISODate);
        if (!out.scenario.start.isValid())
            return Error{
                QStringLiteral("--start must be an RFC 3339 time such as 2026-11-20T08:00:00Z, got '%1'")
                    .arg(parser.value(QStringLiteral("start")))};
        out.scenario.start = out.scenario.start.toUTC();
    } else {
        const QDateTime now = QDateTime::currentDateTimeUtc();
        out.scenario.start = QDateTime(now.date(), QTime(now.time().hour(), 0), Qt::UTC);
    }
    const QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    const auto credential = [&](const char *flag, const char *variable, QString &target) {
        if (parser.isSet(QString::fromLatin1(flag)))
            target = parser.value(QString::fromLatin1(flag));
        else if (env.contains(QString::fromLatin1(variable)))
            target = env.value(QString::fromLatin1(variable));
    };
    credential("erp-token", "SIGHTLINE_SANDBOX_ERP_TOKEN", out.credentials.erpToken);
    credential("wms-key", "SIGHTLINE_SANDBOX_WMS_KEY", out.credentials.wmsApiKey);
    credential("portal-user", "SIGHTLINE_SANDBOX_PORTAL_USER", out.credentials.portalUser);
    credential("portal-password", "SIGHTLINE_SANDBOX_PORTAL_PASSWORD", out.credentials.portalPassword);
    credential("oauth-client-secret", "SIGHTLINE_SANDBOX_OAUTH_CLIENT_SECRET",
               out.credentials.oauthClientSecret);
    if (parser.isSet(QStringLiteral("help")))
        return Error{QString()}; // the caller prints helpText
    return out;
}

} // namespace sightline::sandbox
