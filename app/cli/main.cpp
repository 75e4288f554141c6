#include "app/cli/clicommands.h"
#include "app/cli/exceptioncommands.h"
#include "app/cli/synccommands.h"
#include "models/store/store.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QLoggingCategory>
#include <cstdio>

namespace {

const char kUsage[] = "Commands:\n"
                      "  ingest FILE...         read CloudEvents files into the store\n"
                      "  trace IDENTIFIER       print the trace of a document\n"
                      "  sync                   run the configured connections into the store\n"
                      "  status                 print each connection's health and checkpoints\n"
                      "  exceptions             list exceptions (filters, --detect, --json)\n"
                      "  replay ID              re-send an exception's kept message (--dry-run)\n"
                      "  audit verify|export    check or print the audit log\n"
                      "  sla                    SLA figures per policy (measured, met, breached, p50...)\n"
                      "  correct KIND NUMBER    correct a shipment in Tryton (--planned-date, --cancel)\n"
                      "  roles list|set         team mode: users' roles in the shared store (admin only)\n"
                      "\n"
                      "Run 'sightline-cli COMMAND --help' for a command's options.\n";

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("sightline"));
    QCoreApplication::setOrganizationName(QStringLiteral("sightline"));
    QCoreApplication::setApplicationVersion(QStringLiteral(SIGHTLINE_VERSION));
    // stderr carries the problems a user must act on ("file: position: reason"), not the store's
    // notes (schema migrated...); QT_LOGGING_RULES="sightline.*.info=true" brings those back.
    QLoggingCategory::setFilterRules(QStringLiteral("sightline.*.info=false"));

    QTextStream out(stdout);
    QTextStream err(stderr);

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Sightline command line: ingest events and read traces."));
    parser.setOptionsAfterPositionalArgumentsMode(QCommandLineParser::ParseAsPositionalArguments);
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption dbOption(
        QStringLiteral("db"),
        QStringLiteral("The store: a file, or postgresql://USER@HOST:PORT/DB?password=env:NAME for a "
                       "shared store (default: %1).")
            .arg(sightline::Store::defaultLocation()),
        QStringLiteral("LOCATION"), sightline::Store::defaultLocation());
    parser.addOption(dbOption);
    parser.addPositionalArgument(
        QStringLiteral("COMMAND"),
        QStringLiteral("ingest, trace, sync, status, exceptions, replay, audit, sla, correct or roles"));

    parser.process(app); // handles --help and --version, exits 1 on unknown options
    const QStringList rest = parser.positionalArguments();
    if (rest.isEmpty()) {
        err << parser.helpText() << '\n' << kUsage;
        return sightline::cli::Failure;
    }
    const QString command = rest.constFirst();
    QStringList args = rest;
    args[0] = QCoreApplication::applicationName() % u' ' % command;
    const sightline::cli::Context ctx{parser.value(dbOption), out, err};
    if (command == QLatin1String("ingest"))
        return sightline::cli::ingest(ctx, args);
    if (command == QLatin1String("trace"))
        return sightline::cli::trace(ctx, args);
    if (command == QLatin1String("sync"))
        return sightline::cli::sync(ctx, args);
    if (command == QLatin1String("status"))
        return sightline::cli::status(ctx, args);
    if (command == QLatin1String("exceptions"))
        return sightline::cli::exceptions(ctx, args);
    if (command == QLatin1String("replay"))
        return sightline::cli::replay(ctx, args);
    if (command == QLatin1String("audit"))
        return sightline::cli::audit(ctx, args);
    if (command == QLatin1String("sla"))
        return sightline::cli::sla(ctx, args);
    if (command == QLatin1String("correct"))
        return sightline::cli::correct(ctx, args);
    if (command == QLatin1String("roles"))
        return sightline::cli::roles(ctx, args);
    err << "unknown command '" << command << "'\n\n" << kUsage;
    return sightline::cli::Failure;
}
