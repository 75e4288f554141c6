// sightline-cli replay --bulk: a bulk replay job (SPEC.md §4, bulk) over the exceptions a filter
// selects, persisted with its items, rate-limited, resumable after a crash (--resume), with the
// per-item results printed and exportable as CSV.

#include "app/cli/exceptioncommands.h"
#include "connectors/profile/connectionprofile.h"
#include "connectors/write/writeservice.h"
#include "models/actions/bulkjob.h"
#include "models/exceptions/exceptionrepository.h"
#include "models/store/connection.h"
#include "models/store/store.h"
#include "ui/exceptions/writepathreplaysender.h"

#include <QCommandLineParser>
#include <QDateTime>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>

namespace sightline::cli {
namespace {

Result<QList<qint64>> select(const QString &dbPath, const ExceptionFilter &filter)
{
    const QString name = uniqueConnectionName(u"cli-bulk");
    QList<qint64> ids;
    {
        auto db = openReadConnection(dbPath, name);
        if (!db)
            return Error{db.error()};
        auto items = exceptiondb::list(db.value(), filter, QDateTime::currentMSecsSinceEpoch());
        if (!items)
            return Error{items.error()};
        for (const ExceptionItem &e : items.value())
            ids.append(e.id);
    }
    closeConnection(name);
    return ids;
}

Result<qint64> latestUnfinishedJob(const QString &dbPath)
{
    const QString name = uniqueConnectionName(u"cli-bulk");
    qint64 id = 0;
    {
        auto db = openReadConnection(dbPath, name);
        if (!db)
            return Error{db.error()};
        auto job = bulkdb::latestUnfinished(db.value());
        if (!job)
            return Error{job.error()};
        if (job->has_value())
            id = job.value()->id;
    }
    closeConnection(name);
    if (!id)
        return Error{QStringLiteral("there is no unfinished bulk job to resume")};
    return id;
}

} // namespace

int bulkReplay(const Context &ctx, const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "replay --bulk: replays every exception a filter selects as one bulk job, kept in the store\n"
        "with its items: each item's state is written before and after its call, so a job stopped at\n"
        "any point resumes (--resume) without sending any item twice. Bulk actions need the buyer,\n"
        "warehouse supervisor or admin role; each item is checked again by the action service."));
    const QCommandLineOption bulk(QStringLiteral("bulk"), QStringLiteral("A bulk job."));
    const QCommandLineOption type(QStringLiteral("type"), QStringLiteral("Rule, e.g. message_dead_lettered."),
                                  QStringLiteral("T"));
    const QCommandLineOption status(QStringLiteral("status"),
                                    QStringLiteral("new, in_progress or open (default)."),
                                    QStringLiteral("S"), QStringLiteral("open"));
    const QCommandLineOption partner(QStringLiteral("partner"), QStringLiteral("Supplier or customer."),
                                     QStringLiteral("P"));
    const QCommandLineOption limit(QStringLiteral("limit"), QStringLiteral("At most N items."),
                                   QStringLiteral("N"));
    const QCommandLineOption rate(QStringLiteral("rate"), QStringLiteral("Items per second (0: no limit)."),
                                  QStringLiteral("N"), QStringLiteral("0"));
    const QCommandLineOption dryRun(QStringLiteral("dry-run"),
                                    QStringLiteral("Say what each item would send."));
    const QCommandLineOption reason(QStringLiteral("reason"), QStringLiteral("Why, for the audit log."),
                                    QStringLiteral("TEXT"));
    const QCommandLineOption resume(QStringLiteral("resume"),
                                    QStringLiteral("Resume job N (0: the latest unfinished one)."),
                                    QStringLiteral("N"));
    const QCommandLineOption exportCsv(QStringLiteral("export"), QStringLiteral("Write the results as CSV."),
                                       QStringLiteral("FILE"));
    const QCommandLineOption profiles(QStringLiteral("profiles"), QStringLiteral("Connection profiles file."),
                                      QStringLiteral("FILE"), userConnectionProfilesPath());
    parser.addOptions(
        {bulk, type, status, partner, limit, rate, dryRun, reason, resume, exportCsv, profiles});
    int exitCode = Ok;
    if (!parseCommand(parser, args, ctx, exitCode))
        return exitCode;
    if (!QFileInfo::exists(ctx.dbPath)) {
        ctx.err << "no store at " << ctx.dbPath << '\n';
        return Failure;
    }
    auto identity = RoleDirectory::currentIdentity();
    if (!identity) {
        ctx.err << identity.error() << '\n';
        return Failure;
    }
    QList<ConnectionProfile> connections;
    if (auto loaded = loadConnectionProfiles(parser.value(profiles)))
        connections = loaded.value();
    else if (!parser.isSet(dryRun)) {
        ctx.err << loaded.error() << '\n';
        return Failure;
    }
    auto store = Store::open(ctx.dbPath);
    if (!store) {
        ctx.err << store.error() << '\n';
        return Failure;
    }
    WriteService writes(connections);
    WritePathReplaySender sender(&writes);
    ActionService service(store.value().get(), identity.value(), &sender);
    BulkJobRunner runner(store.value().get(), &service);

    qint64 jobId = 0;
    if (parser.isSet(resume)) {
        jobId = parser.value(resume).toLongLong();
        if (jobId <= 0) {
            auto latest = latestUnfinishedJob(ctx.dbPath);
            if (!latest) {
                ctx.err << latest.error() << '\n';
                return Failure;
            }
            jobId = latest.value();
        }
    } else {
        ExceptionFilter f;
        const QString s = parser.value(status);
        f.statuses =
            s == u"open" ? QStringList{QStringLiteral("new"), QStringLiteral("in_progress")} : QStringList{s};
        f.type = parser.value(type);
        f.partner = parser.value(partner);
        f.limit = parser.value(limit).toInt();
        auto ids = select(ctx.dbPath, f);
        if (!ids) {
            ctx.err << ids.error() << '\n';
            return Failure;
        }
        BulkJob job;
        job.reason = parser.value(reason);
        job.dryRun = parser.isSet(dryRun);
        job.ratePerSecond = parser.value(rate).toInt();
        job.selection = QStringList{parser.value(type), s, parser.value(partner)}.join(u' ').simplified();
        std::optional<Result<std::pair<BulkJob, QList<BulkItem>>>> made;
        QEventLoop loop;
        runner.create(job, ids.value(), [&](auto r) {
            made = std::move(r);
            loop.quit();
        });
        if (!made)
            loop.exec();
        if (!made->ok()) {
            ctx.err << made->error() << '\n';
            return Failure;
        }
        jobId = made->value().first.id;
    }
    ctx.out << "job " << jobId << '\n';
    ctx.out.flush();
    QObject::connect(&runner, &BulkJobRunner::progress, &runner, [&ctx](qint64, int done, int total) {
        if (done == total || done % 100 == 0) {
            ctx.out << "progress " << done << '/' << total << '\n';
            ctx.out.flush();
        }
    });
    auto finished = runner.runAndWait(jobId);
    if (!finished) {
        ctx.err << finished.error() << '\n';
        return Failure;
    }
    std::optional<Result<std::pair<BulkJob, QList<BulkItem>>>> loaded;
    QEventLoop loop;
    runner.load(jobId, [&](auto r) {
        loaded = std::move(r);
        loop.quit();
    });
    if (!loaded)
        loop.exec();
    if (!loaded->ok()) {
        ctx.err << loaded->error() << '\n';
        return Failure;
    }
    QHash<QString, int> counts;
    for (const BulkItem &i : loaded->value().second)
        ++counts[i.state];
    ctx.out << "job " << jobId << ' ' << finished->state;
    for (auto it = counts.cbegin(); it != counts.cend(); ++it)
        ctx.out << ", " << it.key() << ' ' << it.value();
    ctx.out << '\n';
    if (parser.isSet(exportCsv)) {
        QFile f(parser.value(exportCsv));
        if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) ||
            f.write(bulkResultsCsv(loaded->value().first, loaded->value().second)) < 0) {
            ctx.err << "cannot write " << f.fileName() << ": " << f.errorString() << '\n';
            return Failure;
        }
    }
    return Ok;
}

} // namespace sightline::cli
