// sightline-bench-ingest: how fast the real ingest pipeline fills a file store, against a bare
// prepared-statement SQLite loop writing the same rows, and how fast a trace is found and loaded.
#include "models/domain/timestamp.h"
#include "models/ingest/ingestpipeline.h"
#include "models/store/store.h"
#include "models/store/storereader.h"
#include "tests/bench/eventgen/eventstreamgenerator.h"
#include "tests/bench/ingest/barestore.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <sys/resource.h>
#include <vector>

using namespace sightline;
using namespace sightline::bench;

namespace {

using Clock = std::chrono::steady_clock;

constexpr int kBatchEvents = 2000; // the pipeline's batch; the baseline commits as many per transaction
constexpr int kLookups = 2000;

// CPU seconds of the whole process (every thread) so far.
double cpuSeconds()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    auto seconds = [](const timeval &t) {
        return double(t.tv_sec) + double(t.tv_usec) / 1e6;
    };
    return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

double secondsSince(Clock::time_point start)
{
    return std::chrono::duration<double>(Clock::now() - start).count();
}

std::string withCommas(double value)
{
    const std::string digits = std::to_string(static_cast<long long>(value + 0.5));
    std::string out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0)
            out += ',';
        out += digits[i];
    }
    return out;
}

struct Settings
{
    std::uint64_t events = 1'000'000;
    std::uint64_t seed = 1;
    QString dir;
    bool keep = false;
};

struct Stream
{
    QString path;
    std::uint64_t bytes = 0;
    std::uint64_t repeats = 0;
    std::vector<std::string> lookups;
};

bool fail(const QString &message)
{
    std::fprintf(stderr, "sightline-bench-ingest: %s\n", qPrintable(message));
    return false;
}

// Writes the stream as JSON Lines (untimed), keeping a sample of identifiers to look up later.
bool writeStream(const Settings &settings, Stream &stream)
{
    stream.path = settings.dir + QStringLiteral("/events.jsonl");
    QFile file(stream.path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return fail(QStringLiteral("cannot write %1: %2").arg(stream.path, file.errorString()));
    EventStreamGenerator generator(settings.seed);
    IdentifierSample sample(kLookups, settings.seed);
    std::string chunk;
    for (std::uint64_t i = 0; i < settings.events; ++i) {
        const GeneratedEvent ev = generator.next();
        sample.offer(ev);
        stream.repeats += ev.repeat ? 1 : 0;
        chunk += ev.json;
        chunk += '\n';
        if (chunk.size() > (1 << 20) || i + 1 == settings.events) {
            if (file.write(chunk.data(), qint64(chunk.size())) != qint64(chunk.size()))
                return fail(QStringLiteral("cannot write %1: %2").arg(stream.path, file.errorString()));
            stream.bytes += chunk.size();
            chunk.clear();
        }
    }
    stream.lookups = sample.values();
    return true;
}

struct PipelineRun
{
    double seconds = 0;
    double cpu = 0;
    IngestReport report;
};

bool runPipeline(const QString &dbPath, const Stream &stream, PipelineRun &run)
{
    auto store = Store::open(dbPath);
    if (!store)
        return fail(store.error());
    const auto start = Clock::now();
    const double cpuStart = cpuSeconds();
    IngestPipeline pipeline(*store.value(), IngestPipeline::Options{kBatchEvents, 4});
    if (Status s = pipeline.addFile(stream.path); !s)
        return fail(s.error());
    auto report = pipeline.finish();
    run.seconds = secondsSince(start);
    run.cpu = cpuSeconds() - cpuStart;
    if (!report)
        return fail(report.error());
    run.report = report.value();
    return true;
}

// The reader alone, for comparison: the file read and parsed, validated and mapped on one thread.
bool runReaderAlone(const Stream &stream, double &seconds)
{
    QFile file(stream.path);
    if (!file.open(QIODevice::ReadOnly))
        return fail(QStringLiteral("cannot read %1").arg(stream.path));
    const auto start = Clock::now();
    const CloudEventReader reader(QStringLiteral("events.jsonl"));
    ParsedInput parsed;
    int line = 0;
    qint64 events = 0;
    while (!file.atEnd()) {
        QByteArray text = file.readLine();
        if (text.endsWith('\n'))
            text.chop(1);
        reader.readLines(text, ++line, nowMs(), parsed);
        if (parsed.events.size() >= kBatchEvents) {
            events += parsed.events.size();
            parsed = {};
        }
    }
    seconds = secondsSince(start);
    return events > 0;
}

struct BareRun
{
    double seconds = 0;
    double cpu = 0;
    BareStore::Counts counts;
};

bool runBare(const QString &dbPath, const Settings &settings, BareRun &run)
{
    {
        auto schema = Store::open(dbPath); // the store makes the schema: the same tables and indexes
        if (!schema)
            return fail(schema.error());
    }
    BareStore bare;
    std::string error;
    if (!bare.open(dbPath.toStdString(), error))
        return fail(QString::fromStdString(error));
    EventStreamGenerator generator(settings.seed);
    std::vector<GeneratedEvent> chunk;
    chunk.reserve(kBatchEvents);
    std::uint64_t done = 0;
    while (done < settings.events) {
        chunk.clear();
        while (chunk.size() < std::size_t(kBatchEvents) && done < settings.events) {
            chunk.push_back(generator.next());
            ++done;
        }
        bare.plan(chunk, nowMs());
        const auto start = Clock::now();
        const double cpuStart = cpuSeconds();
        if (!bare.insert(error))
            return fail(QString::fromStdString(error));
        run.seconds += secondsSince(start);
        run.cpu += cpuSeconds() - cpuStart;
    }
    run.counts = bare.counts();
    return true;
}

struct Latency
{
    double p50 = 0;
    double p95 = 0;
    double p99 = 0;
    double max = 0;
    int misses = 0;
    double documents = 0;
    double events = 0;
};

bool lookUpTraces(const QString &dbPath, const Stream &stream, Latency &latency)
{
    auto reader = StoreReader::open(dbPath);
    if (!reader)
        return fail(reader.error());
    std::vector<double> ms;
    ms.reserve(stream.lookups.size());
    for (std::size_t i = 0; i < stream.lookups.size(); ++i) {
        QString identifier = QString::fromStdString(stream.lookups[i]);
        if (i % 2 == 1)
            identifier = identifier.toLower(); // found case-insensitively
        const auto start = Clock::now();
        auto traces = reader.value()->findTraces(identifier);
        if (!traces)
            return fail(traces.error());
        if (traces->isEmpty()) {
            ++latency.misses;
            ms.push_back(secondsSince(start) * 1000);
            continue;
        }
        auto trace = reader.value()->loadTrace(traces->first());
        ms.push_back(secondsSince(start) * 1000);
        if (!trace)
            return fail(trace.error());
        latency.documents += double(trace->documents.size());
        latency.events += double(trace->events.size());
    }
    if (ms.empty())
        return fail(QStringLiteral("no identifiers to look up"));
    std::sort(ms.begin(), ms.end());
    auto at = [&ms](double q) {
        return ms[std::min(ms.size() - 1, std::size_t(q * double(ms.size())))];
    };
    latency.p50 = at(0.50);
    latency.p95 = at(0.95);
    latency.p99 = at(0.99);
    latency.max = ms.back();
    latency.documents /= double(ms.size());
    latency.events /= double(ms.size());
    return true;
}

bool parse(QCoreApplication &app, Settings &settings)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Ingests generated events through the real pipeline into "
                                                    "a fresh file store, writes the same rows with "
                                                    "a bare prepared-statement SQLite loop, prints both "
                                                    "rates and their ratio, then trace lookup latency."));
    parser.addHelpOption();
    const QCommandLineOption events(QStringLiteral("events"),
                                    QStringLiteral("Events to ingest (default 1000000)."),
                                    QStringLiteral("N"), QStringLiteral("1000000"));
    const QCommandLineOption seed(QStringLiteral("seed"), QStringLiteral("Seed of the stream (default 1)."),
                                  QStringLiteral("S"), QStringLiteral("1"));
    const QCommandLineOption dir(
        QStringLiteral("db-dir"),
        QStringLiteral("Folder for the stream and the two stores (default: a temporary "
                       "folder, removed afterwards; a given folder is kept)."),
        QStringLiteral("DIR"));
    parser.addOptions({events, seed, dir});
    parser.process(app);
    bool eventsOk = false;
    bool seedOk = false;
    settings.events = parser.value(events).toULongLong(&eventsOk);
    settings.seed = parser.value(seed).toULongLong(&seedOk);
    if (!eventsOk || !seedOk || settings.events == 0)
        return fail(QStringLiteral("--events takes a positive whole number, --seed a whole number"));
    if (parser.isSet(dir)) {
        settings.dir = QDir(parser.value(dir)).absolutePath();
        settings.keep = true;
        if (!QDir().mkpath(settings.dir))
            return fail(QStringLiteral("cannot create %1").arg(settings.dir));
    }
    return true;
}

bool removeStore(const QString &path)
{
    for (const QString &suffix : {QString(), QStringLiteral("-wal"), QStringLiteral("-shm")})
        QFile::remove(path + suffix);
    return !QFile::exists(path);
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("sightline-bench-ingest"));
    Settings settings;
    if (!parse(app, settings))
        return 1;
    QTemporaryDir temporary;
    if (settings.dir.isEmpty()) {
        if (!temporary.isValid()) {
            fail(QStringLiteral("cannot make a temporary folder"));
            return 1;
        }
        settings.dir = temporary.path();
    }
    const QString pipelineDb = settings.dir + QStringLiteral("/pipeline.db");
    const QString bareDb = settings.dir + QStringLiteral("/bare.db");
    if (!removeStore(pipelineDb) || !removeStore(bareDb)) {
        fail(QStringLiteral("cannot remove the stores of an earlier run in %1").arg(settings.dir));
        return 1;
    }

    std::printf("sightline-bench-ingest: %s events, seed %llu, in %s\n",
                withCommas(double(settings.events)).c_str(), static_cast<unsigned long long>(settings.seed),
                qPrintable(settings.dir));
    std::fflush(stdout);
    Stream stream;
    if (!writeStream(settings, stream))
        return 1;
    PipelineRun pipeline;
    if (!runPipeline(pipelineDb, stream, pipeline))
        return 1;
    double readerSeconds = 0;
    if (!runReaderAlone(stream, readerSeconds))
        return 1;
    BareRun bare;
    if (!runBare(bareDb, settings, bare))
        return 1;
    const StoreComparison same = compareStores(pipelineDb.toStdString(), bareDb.toStdString());
    Latency latency;
    if (!lookUpTraces(pipelineDb, stream, latency))
        return 1;

    const double events = double(settings.events);
    const double pipelineRate = events / pipeline.seconds;
    const double bareRate = events / bare.seconds;
    const double ratio = pipelineRate / bareRate;
    const auto &c = bare.counts;
    const std::string sameRows = !same.ok                   ? "could not compare (" + same.error + ")"
                                 : same.differences.empty() ? std::string("yes")
                                                            : "NO: " + same.differences;
    std::printf("\n== sightline-bench-ingest figures ==\n");
    std::printf("stream        %s events (%s duplicates), %.0f MB JSON Lines, %.0f bytes/event, seed %llu\n",
                withCommas(events).c_str(), withCommas(double(stream.repeats)).c_str(),
                double(stream.bytes) / 1e6, double(stream.bytes) / events,
                static_cast<unsigned long long>(settings.seed));
    std::printf("pipeline      %10s events/s  %8.2f s wall  %8.2f s CPU  (file -> read, parse, validate, map "
                "-> IngestPipeline -> Store writer thread)\n",
                withCommas(pipelineRate).c_str(), pipeline.seconds, pipeline.cpu);
    std::printf("              accepted %s, duplicates %s, quarantined %s, traces merged %s\n",
                withCommas(double(pipeline.report.accepted)).c_str(),
                withCommas(double(pipeline.report.duplicates)).c_str(),
                withCommas(double(pipeline.report.quarantined)).c_str(),
                withCommas(double(pipeline.report.tracesMerged)).c_str());
    std::printf(
        "bare loop     %10s events/s  %8.2f s wall  %8.2f s CPU  %s rows/s (sqlite3 prepared statements, "
        "%d events per transaction)\n",
        withCommas(bareRate).c_str(), bare.seconds, bare.cpu,
        withCommas(double(c.rows()) / bare.seconds).c_str(), kBatchEvents);
    std::printf(
        "              rows: %s documents, %s identifiers, %s links, %s events; %s duplicate counts; %s "
        "merges, %s relabelling committed rows\n",
        withCommas(double(c.documents)).c_str(), withCommas(double(c.identifiers)).c_str(),
        withCommas(double(c.links)).c_str(), withCommas(double(c.events)).c_str(),
        withCommas(double(c.duplicates)).c_str(), withCommas(double(c.merges)).c_str(),
        withCommas(double(c.relabelled)).c_str());
    std::printf("same rows     %s\n", sameRows.c_str());
    std::printf("ratio         %.2f pipeline/bare (target >= 0.70)\n", ratio);
    std::printf(
        "reader alone  %10s events/s  %8.2f s wall  (read, parse, validate, map on one thread, no store)\n",
        withCommas(events / readerSeconds).c_str(), readerSeconds);
    std::printf(
        "trace lookup  p50 %.3f ms  p95 %.3f ms  p99 %.3f ms  max %.3f ms (target p95 < 5 ms; findTraces + "
        "loadTrace, %zu random identifiers, %d not found, %.1f documents and %.1f events per trace)\n",
        latency.p50, latency.p95, latency.p99, latency.max, stream.lookups.size(), latency.misses,
        latency.documents, latency.events);
    return same.ok && same.differences.empty() ? 0 : 2;
}
