// sightline-eventgen: writes a realistic, deterministic stream of CloudEvents as JSON Lines.
#include "tests/bench/eventgen/eventstreamgenerator.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <cstdio>
#include <memory>

namespace {

struct FileCloser
{
    void operator()(std::FILE *f) const
    {
        if (f && f != stdout)
            std::fclose(f);
    }
};

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("sightline-eventgen"));
    QCoreApplication::setApplicationVersion(QStringLiteral(SIGHTLINE_VERSION));
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Writes a realistic stream of supply-chain CloudEvents (sales and purchase orders across erp, wms, "
        "portal and carrier) as JSON Lines. The same seed always gives the same stream."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption events(QStringLiteral("events"),
                                    QStringLiteral("How many lines to write (default 1000000)."),
                                    QStringLiteral("N"), QStringLiteral("1000000"));
    const QCommandLineOption seed(QStringLiteral("seed"), QStringLiteral("Seed of the stream (default 1)."),
                                  QStringLiteral("S"), QStringLiteral("1"));
    const QCommandLineOption output(
        QStringLiteral("output"), QStringLiteral("Write to FILE instead of stdout."), QStringLiteral("FILE"));
    parser.addOptions({events, seed, output});
    parser.process(app);

    bool countOk = false;
    bool seedOk = false;
    const qulonglong count = parser.value(events).toULongLong(&countOk);
    const qulonglong seedValue = parser.value(seed).toULongLong(&seedOk);
    if (!countOk || !seedOk) {
        std::fprintf(stderr, "sightline-eventgen: --events and --seed take a non-negative whole number\n");
        return 1;
    }
    std::unique_ptr<std::FILE, FileCloser> out(stdout);
    if (parser.isSet(output)) {
        out.reset(std::fopen(parser.value(output).toLocal8Bit().constData(), "wb"));
        if (!out) {
            std::fprintf(stderr, "sightline-eventgen: cannot write %s\n",
                         parser.value(output).toLocal8Bit().constData());
            return 1;
        }
    }
    static char buffer[1 << 20];
    std::setvbuf(out.get(), buffer, _IOFBF, sizeof buffer);
    sightline::bench::EventStreamGenerator generator(seedValue);
    for (qulonglong i = 0; i < count; ++i) {
        std::string line = generator.next().json;
        line += '\n';
        if (std::fwrite(line.data(), 1, line.size(), out.get()) != line.size()) {
            std::fprintf(stderr, "sightline-eventgen: write failed after %llu lines\n", i);
            return 1;
        }
    }
    if (std::fflush(out.get()) != 0) {
        std::fprintf(stderr, "sightline-eventgen: write failed\n");
        return 1;
    }
    return 0;
}
