#include "app/cli/clicommands.h"
#include "connectors/profile/connectionprofile.h"
#include "connectors/tryton/trytoncorrection.h"
#include "models/actions/correction.h"
#include "models/store/store.h"

#include <QCommandLineParser>

namespace sightline::cli {
namespace {

// The connection named, else the only tryton connection of the profiles.
Result<QString> correctionConnection(const QList<ConnectionProfile> &profiles, const QString &named)
{
    QStringList tryton;
    for (const ConnectionProfile &p : profiles) {
        if (p.kind == ConnectionProfile::Kind::Tryton)
            tryton.append(p.name);
    }
    if (!named.isEmpty()) {
        if (!tryton.contains(named))
            return Error{QStringLiteral("there is no tryton connection named '%1'").arg(named)};
        return named;
    }
    if (tryton.size() != 1)
        return Error{tryton.isEmpty()
                         ? QStringLiteral("the profiles name no tryton connection")
                         : QStringLiteral("several tryton connections: name one with --connection")};
    return tryton.constFirst();
}

} // namespace

int correct(const Context &ctx, const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Corrects a document in the system that owns it, through that system's own API (Tryton):\n"
        "moves a shipment's or receipt's planned date, or cancels a draft one. Acts as the signed-in\n"
        "user with the role configuration gives them (SIGHTLINE_ROLES_FILE or roles.json): shipments\n"
        "and receipts are warehouse documents. Every correction and refusal goes to the audit log.\n"
        "Exit 0: applied; 1: refused or failed, with the reason."));
    parser.addPositionalArgument(QStringLiteral("KIND"), QStringLiteral("shipment or receipt"));
    parser.addPositionalArgument(QStringLiteral("NUMBER"),
                                 QStringLiteral("The document's number in Tryton."));
    const QCommandLineOption planned(QStringLiteral("planned-date"), QStringLiteral("Move the planned date."),
                                     QStringLiteral("YYYY-MM-DD"));
    const QCommandLineOption cancel(QStringLiteral("cancel"),
                                    QStringLiteral("Cancel a draft (or waiting) one."));
    const QCommandLineOption reason(QStringLiteral("reason"),
                                    QStringLiteral("Why, for the audit log (required)."),
                                    QStringLiteral("TEXT"));
    const QCommandLineOption connection(QStringLiteral("connection"),
                                        QStringLiteral("The tryton connection (default: the only one)."),
                                        QStringLiteral("NAME"));
    const QCommandLineOption profiles(
        QStringLiteral("profiles"),
        QStringLiteral("Connection profiles file (default: %1).").arg(userConnectionProfilesPath()),
        QStringLiteral("FILE"), userConnectionProfilesPath());
    parser.addOptions({planned, cancel, reason, connection, profiles});
    int exitCode = Ok;
    if (!parseCommand(parser, args, ctx, exitCode))
        return exitCode;
    const QStringList positional = parser.positionalArguments();
    if (positional.size() != 2 || parser.isSet(planned) == parser.isSet(cancel)) {
        ctx.err << "correct: name KIND and NUMBER, and either --planned-date or --cancel\n\n"
                << parser.helpText();
        return Failure;
    }
    auto identity = RoleDirectory::currentIdentity();
    auto loaded = loadConnectionProfiles(parser.value(profiles));
    if (!identity || !loaded) {
        ctx.err << "correct: " << (identity ? loaded.error() : identity.error()) << '\n';
        return Failure;
    }
    auto target = correctionConnection(loaded.value(), parser.value(connection));
    if (!target) {
        ctx.err << "correct: " << target.error() << '\n';
        return Failure;
    }
    auto store = Store::open(ctx.dbPath);
    if (!store) {
        ctx.err << store.error() << '\n';
        return Failure;
    }
    CorrectionRequest request;
    request.connection = target.value();
    request.documentKind = positional.at(0);
    request.documentKey = positional.at(1);
    request.change = parser.isSet(cancel) ? QStringLiteral("cancel") : QStringLiteral("planned_date");
    request.value = parser.value(planned);
    request.reason = parser.value(reason);
    tryton::CorrectionSender sender(loaded.value());
    CorrectionService service(store.value().get(), identity.value(), &sender);
    const auto outcome = service.performAndWait(request);
    if (!outcome) {
        ctx.err << outcome.error() << '\n';
        return Failure;
    }
    if (!outcome->done) {
        ctx.err << "correction not made: " << outcome->message << " (as " << identity->user << ", "
                << roleName(identity->role) << ")\n";
        return Failure;
    }
    ctx.out << outcome->message << "\n  before " << outcome->result.before << "\n  after  "
            << outcome->result.after << '\n';
    return Ok;
}

} // namespace sightline::cli
