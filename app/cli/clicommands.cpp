#include "app/cli/clicommands.h"

#include "models/export/traceexport.h"
#include "models/ingest/ingestpipeline.h"
#include "models/store/store.h"
#include "models/store/storelocation.h"
#include "models/store/storereader.h"

#include <QCommandLineParser>
#include <QFileInfo>

namespace sightline::cli {
namespace {

void reportQuarantine(const Context &ctx, StoreReader &reader, qint64 count)
{
    auto entries = reader.quarantine(int(std::min<qint64>(count, 50)));
    if (!entries)
        return;
    for (auto it = entries->crbegin(); it != entries->crend(); ++it)
        ctx.err << it->input.origin << ": " << it->input.position << ": " << it->input.error << '\n';
    if (count > 50)
        ctx.err << "... and " << (count - 50) << " more in the store's quarantine\n";
}

} // namespace

// Parses a command's own arguments; prints help or the error. Returns false to stop.
bool parseCommand(QCommandLineParser &parser, const QStringList &args, const Context &ctx, int &exitCode)
{
    parser.addHelpOption();
    if (!parser.parse(args)) {
        ctx.err << parser.errorText() << "\n\n" << parser.helpText();
        exitCode = Failure;
        return false;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        ctx.out << parser.helpText();
        exitCode = Ok;
        return false;
    }
    return true;
}

int ingest(const Context &ctx, const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Reads CloudEvents 1.0 JSON files (one event, a batch array, or JSON Lines) into the store.\n"
        "Repeated events are counted, not stored twice; input that cannot be read is kept in the\n"
        "quarantine with its reason. Exit 0: all accepted; 2: something was quarantined; 1: error."));
    parser.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("Files to ingest."),
                                 QStringLiteral("FILE..."));
    int exitCode = Ok;
    if (!parseCommand(parser, args, ctx, exitCode))
        return exitCode;
    const QStringList files = parser.positionalArguments();
    if (files.isEmpty()) {
        ctx.err << "ingest: name at least one file\n\n" << parser.helpText();
        return Failure;
    }
    auto store = Store::open(ctx.dbPath);
    if (!store) {
        ctx.err << store.error() << '\n';
        return Failure;
    }
    IngestPipeline pipeline(*store.value());
    bool readFailed = false;
    for (const QString &file : files) {
        if (Status s = pipeline.addFile(file); !s) {
            ctx.err << s.error() << '\n';
            readFailed = true;
        }
    }
    const auto totals = pipeline.finish();
    if (!totals) {
        ctx.err << totals.error() << '\n';
        return Failure;
    }
    ctx.out << "accepted " << totals->accepted << ", duplicate " << totals->duplicates << ", quarantined "
            << totals->quarantined << '\n';
    ctx.out.flush();
    if (totals->quarantined > 0) {
        store.value().reset(); // close the writer before reading what it wrote
        if (auto reader = StoreReader::open(ctx.dbPath))
            reportQuarantine(ctx, *reader.value(), totals->quarantined);
    }
    if (readFailed)
        return Failure;
    return totals->quarantined > 0 ? Quarantined : Ok;
}

int trace(const Context &ctx, const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Prints the whole trace of a document found by any of its identifiers: order, PO, ASN,\n"
        "shipment, tracking or invoice number. Events are in the order they happened."));
    parser.addPositionalArgument(QStringLiteral("IDENTIFIER"),
                                 QStringLiteral("Any identifier in the trace."));
    const QCommandLineOption jsonOption(QStringLiteral("json"),
                                        QStringLiteral("Print JSON instead of a timeline."));
    parser.addOption(jsonOption);
    int exitCode = Ok;
    if (!parseCommand(parser, args, ctx, exitCode))
        return exitCode;
    if (parser.positionalArguments().size() != 1) {
        ctx.err << "trace: name exactly one identifier\n\n" << parser.helpText();
        return Failure;
    }
    const QString identifier = parser.positionalArguments().constFirst();
    if (!storeExists(ctx.dbPath)) {
        ctx.err << "no store at " << ctx.dbPath << "; ingest something first\n";
        return Failure;
    }
    auto reader = StoreReader::open(ctx.dbPath);
    if (!reader) {
        ctx.err << reader.error() << '\n';
        return Failure;
    }
    const auto traces = reader.value()->findTraces(identifier);
    if (!traces) {
        ctx.err << traces.error() << '\n';
        return Failure;
    }
    if (traces->isEmpty()) {
        ctx.err << "no document is known by '" << identifier << "'\n";
        return Failure;
    }
    if (traces->size() > 1)
        ctx.err << "'" << identifier << "' names documents in " << traces->size()
                << " traces; showing the most recent\n";
    const auto trace = reader.value()->loadTrace(traces->constFirst());
    if (!trace) {
        ctx.err << trace.error() << '\n';
        return Failure;
    }
    if (parser.isSet(jsonOption))
        ctx.out << QString::fromUtf8(traceToJson(trace.value())) << '\n';
    else
        ctx.out << traceToText(trace.value());
    return Ok;
}

} // namespace sightline::cli
