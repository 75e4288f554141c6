// sightline-cli roles list | set USER ROLE: team mode's roles, kept in the shared store.

#include "app/cli/clicommands.h"
#include "models/actions/userroles.h"
#include "models/store/connection.h"
#include "models/store/store.h"

#include <QCommandLineParser>
#include <QDateTime>

namespace sightline::cli {
namespace {

int listRoles(const Context &ctx)
{
    const QString name = uniqueConnectionName(u"cli-roles");
    int code = Ok;
    {
        auto db = openReadConnection(ctx.dbPath, name);
        if (!db) {
            ctx.err << db.error() << '\n';
            return Failure;
        }
        const auto roles = userroles::list(db.value());
        if (!roles) {
            ctx.err << roles.error() << '\n';
            code = Failure;
        } else {
            if (roles->isEmpty())
                ctx.out << "no roles in the store yet; an administrator sets them: roles set USER ROLE\n";
            for (const userroles::UserRole &r : roles.value())
                ctx.out << r.user << '\t' << roleName(r.role) << "\t(set by " << r.updatedBy << ", "
                        << QDateTime::fromMSecsSinceEpoch(r.updatedMs, Qt::UTC).toString(Qt::ISODate)
                        << ")\n";
        }
    }
    closeConnection(name);
    return code;
}

int setRole(const Context &ctx, const QString &user, const QString &role)
{
    const auto parsed = roleFromName(role);
    if (!parsed) {
        ctx.err << "unknown role '" << role
                << "': customer_service, buyer, warehouse_supervisor, manager or admin\n";
        return Failure;
    }
    auto store = Store::open(ctx.dbPath);
    if (!store) {
        ctx.err << store.error() << '\n';
        return Failure;
    }
    auto refusal = std::make_shared<QString>();
    IngestBatch batch;
    batch.writes.push_back(userroles::setRole(RoleDirectory::currentUser(), user, *parsed,
                                              QDateTime::currentMSecsSinceEpoch(), refusal));
    if (auto r = store.value()->ingestAndWait(std::move(batch)); !r) {
        ctx.err << r.error() << '\n';
        return Failure;
    }
    if (!refusal->isEmpty()) {
        ctx.err << "refused: " << *refusal << '\n';
        return Failure;
    }
    ctx.out << user << " is now " << roleName(*parsed) << '\n';
    return Ok;
}

} // namespace

int roles(const Context &ctx, const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Team mode: who has which role, kept in the shared store.\n"
        "  list            every user with a role (users not listed may read and export only)\n"
        "  set USER ROLE   give USER the role; only an administrator may (the first administrator\n"
        "                  is set by whoever runs 'roles set USER admin' on a store without one)"));
    parser.addPositionalArgument(QStringLiteral("list|set"), QStringLiteral("What to do."));
    int exitCode = Ok;
    if (!parseCommand(parser, args, ctx, exitCode))
        return exitCode;
    const QStringList pos = parser.positionalArguments();
    if (pos.value(0) == u"list" && pos.size() == 1)
        return listRoles(ctx);
    if (pos.value(0) == u"set" && pos.size() == 3)
        return setRole(ctx, pos.at(1), pos.at(2));
    ctx.err << "roles: say list, or set USER ROLE\n\n" << parser.helpText();
    return Failure;
}

} // namespace sightline::cli
