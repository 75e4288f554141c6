#include "app/cli/exceptioncommands.h"

#include "connectors/profile/connectionprofile.h"
#include "connectors/write/writeservice.h"
#include "models/actions/actionservice.h"
#include "models/audit/auditlog.h"
#include "models/exceptions/exceptionengine.h"
#include "models/exceptions/exceptionrepository.h"
#include "models/store/connection.h"
#include "models/store/store.h"
#include "models/store/storelocation.h"
#include "models/store/storereader.h"
#include "ui/exceptions/writepathreplaysender.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace sightline::cli {
namespace {

// A read connection to an existing store at the current schema.
class ReadConnection
{
public:
    ~ReadConnection()
    {
        m_db = QSqlDatabase();
        if (!m_name.isEmpty())
            closeConnection(m_name);
    }
    Status open(const QString &path)
    {
        if (!storeExists(path))
            return Error{QStringLiteral("no store at %1; ingest something first").arg(path)};
        // The reader checks the schema version: an old store is named, not misread.
        if (auto reader = StoreReader::open(path); !reader)
            return Error{reader.error()};
        m_name = uniqueConnectionName(u"cli");
        auto db = openStoreConnection(path, m_name, true);
        if (!db)
            return Error{db.error()};
        m_db = db.value();
        return {};
    }
    QSqlDatabase &db() { return m_db; }

private:
    QString m_name;
    QSqlDatabase m_db;
};

QString isoTime(qint64 ms)
{
    return ms ? QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODate) : QString();
}

QJsonObject itemJson(const ExceptionItem &e)
{
    return {{QStringLiteral("id"), e.id},
            {QStringLiteral("rule"), e.rule},
            {QStringLiteral("family"), e.family},
            {QStringLiteral("type"), e.type},
            {QStringLiteral("severity"), exceptionSeverityName(e.severity)},
            {QStringLiteral("status"), exceptionStatusName(e.status)},
            {QStringLiteral("title"), e.title},
            {QStringLiteral("detail"), e.detail},
            {QStringLiteral("signature"), e.signature},
            {QStringLiteral("trace"), e.traceId ? QJsonValue(e.traceId) : QJsonValue()},
            {QStringLiteral("document"), e.documentKey.isEmpty()
                                             ? QJsonValue()
                                             : QJsonValue(QString(e.documentKind + u'/' + e.documentKey))},
            {QStringLiteral("system"), e.system},
            {QStringLiteral("partner"), e.partner},
            {QStringLiteral("warehouse"), e.warehouse},
            {QStringLiteral("owner"), e.owner},
            {QStringLiteral("firstSeen"), isoTime(e.firstSeenMs)},
            {QStringLiteral("lastSeen"), isoTime(e.lastSeenMs)},
            {QStringLiteral("occurrences"), e.occurrences},
            {QStringLiteral("reason"), e.statusReason},
            {QStringLiteral("replays"), e.replayCount}};
}

// One full detection pass over every trace and the quarantine, before listing.
Status detect(const QString &dbPath)
{
    auto store = Store::open(dbPath);
    if (!store)
        return Error{store.error()};
    auto rules = ExceptionRules::load();
    if (!rules)
        return Error{rules.error()};
    ExceptionEngine engine(store.value().get(), rules.value());
    QString failure;
    QObject::connect(&engine, &ExceptionEngine::engineFailed, &engine,
                     [&failure](const QString &m) { failure = m; });
    engine.start(false);
    engine.scanAll();
    // Every pass queued its writes in order: one more empty batch is committed after them all.
    (void)store.value()->ingestAndWait(IngestBatch{});
    QCoreApplication::processEvents();
    if (!failure.isEmpty())
        return Error{failure};
    return {};
}

} // namespace

int exceptions(const Context &ctx, const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Lists exceptions: failed and dead-lettered messages, unreadable input and business-rule\n"
        "failures, oldest first."));
    const QCommandLineOption status(QStringLiteral("status"),
                                    QStringLiteral("new, in_progress, resolved, ignored or open."),
                                    QStringLiteral("S"));
    const QCommandLineOption type(QStringLiteral("type"),
                                  QStringLiteral("A rule, e.g. asn_quantity, message_failed."),
                                  QStringLiteral("T"));
    const QCommandLineOption system(QStringLiteral("system"), QStringLiteral("The system, e.g. erp, portal."),
                                    QStringLiteral("X"));
    const QCommandLineOption partner(QStringLiteral("partner"), QStringLiteral("Supplier or customer."),
                                     QStringLiteral("P"));
    const QCommandLineOption owner(QStringLiteral("owner"), QStringLiteral("Who has taken it."),
                                   QStringLiteral("USER"));
    const QCommandLineOption detectOption(QStringLiteral("detect"),
                                          QStringLiteral("Run detection over the whole store first."));
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Print JSON."));
    parser.addOptions({status, type, system, partner, owner, detectOption, json});
    int exitCode = Ok;
    if (!parseCommand(parser, args, ctx, exitCode))
        return exitCode;
    if (!storeExists(ctx.dbPath)) {
        ctx.err << "no store at " << ctx.dbPath << "; ingest something first\n";
        return Failure;
    }
    if (parser.isSet(detectOption)) {
        if (Status s = detect(ctx.dbPath); !s) {
            ctx.err << s.error() << '\n';
            return Failure;
        }
    }
    ExceptionFilter f;
    const QString s = parser.value(status);
    if (s == u"open")
        f.statuses = {QStringLiteral("new"), QStringLiteral("in_progress")};
    else if (!s.isEmpty()) {
        if (!exceptionStatusFromName(s)) {
            ctx.err << "exceptions: unknown status '" << s
                    << "' (new, in_progress, resolved, ignored, open)\n";
            return Failure;
        }
        f.statuses = {s};
    }
    f.type = parser.value(type);
    f.system = parser.value(system);
    f.partner = parser.value(partner);
    f.owner = parser.value(owner);
    ReadConnection read;
    if (Status st = read.open(ctx.dbPath); !st) {
        ctx.err << st.error() << '\n';
        return Failure;
    }
    const auto items = exceptiondb::list(read.db(), f, QDateTime::currentMSecsSinceEpoch());
    if (!items) {
        ctx.err << items.error() << '\n';
        return Failure;
    }
    if (parser.isSet(json)) {
        QJsonArray out;
        for (const ExceptionItem &e : items.value())
            out.append(itemJson(e));
        ctx.out << QString::fromUtf8(QJsonDocument(out).toJson(QJsonDocument::Indented));
        return Ok;
    }
    for (const ExceptionItem &e : items.value()) {
        ctx.out << e.id << "  " << exceptionStatusName(e.status).leftJustified(11) << ' '
                << exceptionSeverityName(e.severity).leftJustified(8) << ' ' << isoTime(e.firstSeenMs) << "  "
                << e.title << " - " << e.detail;
        if (!e.owner.isEmpty())
            ctx.out << " [" << e.owner << ']';
        ctx.out << '\n';
    }
    ctx.out << items->size() << " exception(s)\n";
    return Ok;
}

int replay(const Context &ctx, const QStringList &args)
{
    if (args.contains(QStringLiteral("--bulk")))
        return bulkReplay(ctx, args); // app/cli/bulkcommand.cpp
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Re-sends the kept original message of an exception, byte-exact, through its connection's\n"
        "write path, with an idempotency key derived from the exception and the payload: replaying\n"
        "twice applies once. Acts as the signed-in user with the role configuration gives them\n"
        "(roles file: SIGHTLINE_ROLES_FILE or roles.json in the config folder)."));
    parser.addPositionalArgument(QStringLiteral("ID"),
                                 QStringLiteral("The exception's id (see 'exceptions')."));
    const QCommandLineOption dryRun(QStringLiteral("dry-run"),
                                    QStringLiteral("Say what would be sent; send nothing."));
    const QCommandLineOption profiles(
        QStringLiteral("profiles"),
        QStringLiteral("Connection profiles file (default: %1).").arg(userConnectionProfilesPath()),
        QStringLiteral("FILE"), userConnectionProfilesPath());
    const QCommandLineOption reason(QStringLiteral("reason"), QStringLiteral("Why, for the audit log."),
                                    QStringLiteral("TEXT"));
    parser.addOptions({dryRun, profiles, reason});
    int exitCode = Ok;
    if (!parseCommand(parser, args, ctx, exitCode))
        return exitCode;
    bool ok = false;
    const qint64 id = parser.positionalArguments().value(0).toLongLong(&ok);
    if (parser.positionalArguments().size() != 1 || !ok) {
        ctx.err << "replay: name one exception id\n\n" << parser.helpText();
        return Failure;
    }
    if (!storeExists(ctx.dbPath)) {
        ctx.err << "no store at " << ctx.dbPath << '\n';
        return Failure;
    }
    auto identity = RoleDirectory::currentIdentity();
    if (!identity) {
        ctx.err << identity.error() << '\n';
        return Failure;
    }
    QList<ConnectionProfile> connections;
    if (!parser.isSet(dryRun) || parser.isSet(profiles)) {
        auto loaded = loadConnectionProfiles(parser.value(profiles));
        if (!loaded && !parser.isSet(dryRun)) {
            ctx.err << loaded.error() << '\n';
            return Failure;
        }
        if (loaded)
            connections = loaded.value();
    }
    auto store = Store::open(ctx.dbPath);
    if (!store) {
        ctx.err << store.error() << '\n';
        return Failure;
    }
    WriteService writes(connections);
    WritePathReplaySender sender(&writes);
    ActionService service(store.value().get(), identity.value(), &sender);
    ActionRequest request{ActionKind::Replay, id};
    request.dryRun = parser.isSet(dryRun);
    request.reason = parser.value(reason);
    const auto outcome = service.performAndWait(request);
    if (!outcome) {
        ctx.err << outcome.error() << '\n';
        return Failure;
    }
    if (!outcome->warning.isEmpty())
        ctx.err << "warning: " << outcome->warning << '\n';
    if (!outcome->done) {
        ctx.err << "replay refused: " << outcome->message << " (as " << identity->user << ", "
                << roleName(identity->role) << ")\n";
        return Failure;
    }
    ctx.out << outcome->message << '\n';
    if (outcome->replay)
        ctx.out << "key " << outcome->replay->idempotencyKey << '\n';
    return Ok;
}

int audit(const Context &ctx, const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "verify: recomputes the audit log's hash chain; a changed, removed or inserted entry is named\n"
        "(exit 0 when intact, 3 when not). export: prints every entry (text or --json)."));
    parser.addPositionalArgument(QStringLiteral("verify|export"), QStringLiteral("What to do."));
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("export: print JSON."));
    parser.addOption(json);
    int exitCode = Ok;
    if (!parseCommand(parser, args, ctx, exitCode))
        return exitCode;
    const QString what = parser.positionalArguments().value(0);
    if (parser.positionalArguments().size() != 1 || (what != u"verify" && what != u"export")) {
        ctx.err << "audit: say verify or export\n\n" << parser.helpText();
        return Failure;
    }
    ReadConnection read;
    if (Status st = read.open(ctx.dbPath); !st) {
        ctx.err << st.error() << '\n';
        return Failure;
    }
    if (what == u"verify") {
        const auto v = verifyAudit(read.db());
        if (!v) {
            ctx.err << v.error() << '\n';
            return Failure;
        }
        if (!v->ok()) {
            ctx.out << "audit log BROKEN at entry " << v->brokenSeq << ": " << v->problem << '\n';
            return AuditBroken;
        }
        ctx.out << "audit log intact: " << v->entries << " entries\n";
        return Ok;
    }
    const auto entries = readAudit(read.db());
    if (!entries) {
        ctx.err << entries.error() << '\n';
        return Failure;
    }
    if (parser.isSet(json)) {
        QJsonArray out;
        for (const AuditEntry &e : entries.value())
            out.append(auditEntryJson(e));
        ctx.out << QString::fromUtf8(QJsonDocument(out).toJson(QJsonDocument::Indented));
        return Ok;
    }
    for (const AuditEntry &e : entries.value()) {
        ctx.out << e.seq << "  " << isoTime(e.atMs) << "  " << e.actor << " (" << e.role << ")  " << e.action;
        if (e.exceptionId)
            ctx.out << " #" << e.exceptionId;
        ctx.out << "  " << e.result;
        if (!e.reason.isEmpty())
            ctx.out << "  reason: " << e.reason;
        ctx.out << '\n';
    }
    return Ok;
}

} // namespace sightline::cli
