// sightline-cli sla: per policy, measured, met, breached, at risk, on-time %, p50, p90, p95.
#include "app/cli/clicommands.h"
#include "models/sla/slareader.h"
#include "models/sla/slaupdater.h"
#include "models/store/store.h"
#include "models/store/storelocation.h"

#include <QCommandLineParser>
#include <QDateTime>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace sightline::cli {
namespace {

// RFC 3339 or a date (midnight UTC).
std::optional<qint64> parseTime(const QString &text)
{
    QDateTime t = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!t.isValid()) {
        const QDate d = QDate::fromString(text, Qt::ISODate);
        if (!d.isValid())
            return std::nullopt;
        t = QDateTime(d, QTime(0, 0), Qt::UTC);
    }
    if (t.timeSpec() == Qt::LocalTime)
        t.setTimeSpec(Qt::UTC);
    return t.toMSecsSinceEpoch();
}

Result<SlaConfig> loadConfig(const QString &path)
{
    if (path.isEmpty())
        return SlaConfig::load();
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error{QStringLiteral("cannot read %1: %2").arg(path, file.errorString())};
    auto config = SlaConfig::fromJson(file.readAll());
    if (!config)
        return Error{QStringLiteral("%1: %2").arg(path, config.error())};
    return config;
}

QString hours(qint64 ms)
{
    return QString::number(static_cast<double>(ms) / 3'600'000.0, 'f', 2) + QStringLiteral(" h");
}

QString percentText(double p)
{
    return p < 0 ? QStringLiteral("-") : QString::number(p, 'f', 1) + u'%';
}

void printTable(const Context &ctx, const QList<SlaSummary> &summaries)
{
    const QStringList header{QStringLiteral("policy"),   QStringLiteral("measured"), QStringLiteral("met"),
                             QStringLiteral("breached"), QStringLiteral("at risk"),  QStringLiteral("open"),
                             QStringLiteral("on time"),  QStringLiteral("p50"),      QStringLiteral("p90"),
                             QStringLiteral("p95")};
    QList<QStringList> rows{header};
    for (const SlaSummary &s : summaries)
        rows.append({s.policy, QString::number(s.measured), QString::number(s.met),
                     QString::number(s.breached), QString::number(s.atRisk), QString::number(s.open),
                     percentText(s.onTimePercent()), hours(s.p50Ms), hours(s.p90Ms), hours(s.p95Ms)});
    QList<qsizetype> widths(header.size(), 0);
    for (const QStringList &row : rows)
        for (qsizetype i = 0; i < row.size(); ++i)
            widths[i] = std::max(widths[i], row[i].size());
    for (const QStringList &row : rows) {
        QString line = row[0].leftJustified(widths[0]);
        for (qsizetype i = 1; i < row.size(); ++i)
            line += QStringLiteral("  ") + row[i].rightJustified(widths[i]);
        ctx.out << line.trimmed() << '\n';
    }
}

QJsonObject toJson(const SlaSummary &s)
{
    return {{QStringLiteral("policy"), s.policy},
            {QStringLiteral("measured"), s.measured},
            {QStringLiteral("met"), s.met},
            {QStringLiteral("breached"), s.breached},
            {QStringLiteral("at_risk"), s.atRisk},
            {QStringLiteral("open"), s.open},
            {QStringLiteral("on_time_percent"),
             s.onTimePercent() < 0 ? QJsonValue() : QJsonValue(s.onTimePercent())},
            {QStringLiteral("p50_ms"), s.p50Ms},
            {QStringLiteral("p90_ms"), s.p90Ms},
            {QStringLiteral("p95_ms"), s.p95Ms}};
}

} // namespace

int sla(const Context &ctx, const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Prints per SLA policy: measured, met, breached, at risk, open, on-time % (met of met and\n"
        "breached) and the p50, p90 and p95 latency of completed items (business hours for business-hour\n"
        "policies). Items are counted by when their measurement started. Brings the store's SLA tables\n"
        "up to date first. Policies: the built-in defaults with the user's sla-policies.json applied."));
    const QCommandLineOption fromOption(QStringLiteral("from"),
                                        QStringLiteral("Start of the period (RFC 3339 or date)."),
                                        QStringLiteral("TIME"));
    const QCommandLineOption toOption(QStringLiteral("to"), QStringLiteral("End of the period, exclusive."),
                                      QStringLiteral("TIME"));
    const QCommandLineOption policyOption(QStringLiteral("policy"), QStringLiteral("Only this policy."),
                                          QStringLiteral("NAME"));
    const QCommandLineOption jsonOption(QStringLiteral("json"), QStringLiteral("Print JSON."));
    const QCommandLineOption atOption(QStringLiteral("at"),
                                      QStringLiteral("Judge open items as of TIME (default: now)."),
                                      QStringLiteral("TIME"));
    const QCommandLineOption policiesOption(QStringLiteral("policies"),
                                            QStringLiteral("Use the policies and calendars of FILE instead."),
                                            QStringLiteral("FILE"));
    parser.addOptions({fromOption, toOption, policyOption, jsonOption, atOption, policiesOption});
    int exitCode = Ok;
    if (!parseCommand(parser, args, ctx, exitCode))
        return exitCode;
    SlaFilter filter;
    qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (const auto &[option, target] : {std::pair{&fromOption, &filter.fromMs},
                                         std::pair{&toOption, &filter.toMs}, std::pair{&atOption, &now}}) {
        if (!parser.isSet(*option))
            continue;
        const auto t = parseTime(parser.value(*option));
        if (!t) {
            ctx.err << "sla: --" << option->names().constFirst() << " " << parser.value(*option)
                    << " is not a time (2026-11-20T08:00:00Z or 2026-11-20)\n";
            return Failure;
        }
        *target = *t;
    }
    if (parser.isSet(fromOption) && !parser.isSet(toOption))
        filter.toMs = std::numeric_limits<qint64>::max();
    if (parser.isSet(toOption) && !parser.isSet(fromOption))
        filter.fromMs = std::numeric_limits<qint64>::min();
    auto config = loadConfig(parser.value(policiesOption));
    if (!config) {
        ctx.err << config.error() << '\n';
        return Failure;
    }
    filter.policy = parser.value(policyOption);
    if (!filter.policy.isEmpty() && !config->policy(filter.policy)) {
        ctx.err << "sla: no policy named " << filter.policy << '\n';
        return Failure;
    }
    if (!storeExists(ctx.dbPath)) {
        ctx.err << "no store at " << ctx.dbPath << "; ingest something first\n";
        return Failure;
    }
    auto store = Store::open(ctx.dbPath);
    if (!store) {
        ctx.err << store.error() << '\n';
        return Failure;
    }
    auto reader = SlaReader::open(ctx.dbPath);
    if (!reader) {
        ctx.err << reader.error() << '\n';
        return Failure;
    }
    SlaUpdater updater(*store.value(), *reader.value(), config.value());
    if (Status s = updater.sync(now); !s) {
        ctx.err << s.error() << '\n';
        return Failure;
    }
    auto rows = reader.value()->measurements(filter);
    if (!rows) {
        ctx.err << rows.error() << '\n';
        return Failure;
    }
    QStringList order;
    for (const SlaPolicy &p : config->policies) {
        if (filter.policy.isEmpty() || p.name == filter.policy)
            order.append(p.name);
    }
    const QList<SlaSummary> summaries = summarize(rows.value(), order);
    if (!parser.isSet(jsonOption)) {
        printTable(ctx, summaries);
        return Ok;
    }
    QJsonArray policies;
    for (const SlaSummary &s : summaries)
        policies.append(toJson(s));
    ctx.out << QString::fromUtf8(QJsonDocument(QJsonObject{{QStringLiteral("policies"), policies}}).toJson());
    return Ok;
}

} // namespace sightline::cli
