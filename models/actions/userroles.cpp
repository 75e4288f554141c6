#include "models/actions/userroles.h"

#include "models/audit/auditlog.h"
#include "models/store/schema.h"

#include <QSqlError>
#include <QSqlQuery>

namespace sightline::userroles {
namespace {

Error sqlError(const QSqlQuery &q, const char *what)
{
    return Error{QStringLiteral("roles: %1 failed: %2").arg(QLatin1String(what), q.lastError().text())};
}

Result<std::optional<Role>> storedRole(QSqlDatabase &db, const QString &user)
{
    QSqlQuery q(db);
    q.prepare(QStringLiteral("SELECT role FROM user_roles WHERE user_name = ?"));
    q.addBindValue(user);
    if (!q.exec())
        return sqlError(q, "reading a role");
    if (!q.next())
        return std::optional<Role>();
    return roleFromName(q.value(0).toString());
}

Result<qint64> adminCount(QSqlDatabase &db)
{
    QSqlQuery q(db);
    q.prepare(QStringLiteral("SELECT COUNT(*) FROM user_roles WHERE role = ?"));
    q.addBindValue(roleName(Role::Admin));
    if (!q.exec() || !q.next())
        return sqlError(q, "counting administrators");
    return q.value(0).toLongLong();
}

Status audit(QSqlDatabase &db, const QString &actor, const QString &actorRole, const QString &user, Role role,
             qint64 nowMs, const QString &result)
{
    AuditEntry a;
    a.atMs = nowMs;
    a.actor = actor;
    a.role = actorRole;
    a.action = QStringLiteral("set_role");
    a.request = QStringLiteral("%1 -> %2").arg(user, roleName(role));
    a.result = result;
    return appendAudit(db, a);
}

} // namespace

Result<QList<UserRole>> list(QSqlDatabase &db)
{
    QSqlQuery q(db);
    q.setForwardOnly(true);
    if (!q.exec(QStringLiteral(
            "SELECT user_name, role, updated_by, updated_ms FROM user_roles ORDER BY user_name")))
        return sqlError(q, "reading roles");
    QList<UserRole> out;
    while (q.next())
        out.append({q.value(0).toString(),
                    roleFromName(q.value(1).toString()).value_or(Role::CustomerService),
                    q.value(2).toString(), q.value(3).toLongLong()});
    return out;
}

Result<Identity> resolve(QSqlDatabase &db, const Identity &claimed)
{
    if (dialectOf(db) != SqlDialect::PostgreSQL)
        return claimed;
    auto role = storedRole(db, claimed.user);
    if (!role)
        return Error{role.error()};
    return Identity{claimed.user, role->value_or(Role::CustomerService)};
}

StoreWrite setRole(QString actingUser, QString user, Role role, qint64 nowMs,
                   std::shared_ptr<QString> refusal)
{
    return [=](QSqlDatabase &db) -> Status {
        refusal->clear();
        auto acting = storedRole(db, actingUser);
        if (!acting)
            return Error{acting.error()};
        auto admins = adminCount(db);
        if (!admins)
            return Error{admins.error()};
        const bool isAdmin = acting->value_or(Role::CustomerService) == Role::Admin;
        const bool bootstrap = admins.value() == 0 && role == Role::Admin;
        const QString actingRole = roleName(acting->value_or(Role::CustomerService));
        if (!isAdmin && !bootstrap) {
            *refusal = admins.value() == 0
                           ? QStringLiteral("the store has no administrator yet: make one first "
                                            "(sightline-cli roles set USER admin)")
                           : QStringLiteral("only an administrator may change roles (%1 is %2)")
                                 .arg(actingUser, roleLabel(acting->value_or(Role::CustomerService)));
            return audit(db, actingUser, actingRole, user, role, nowMs,
                         QStringLiteral("refused: ") + *refusal);
        }
        QSqlQuery q(db);
        q.prepare(QStringLiteral(
            "INSERT INTO user_roles (user_name, role, updated_by, updated_ms) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (user_name) DO UPDATE SET role = excluded.role, "
            "updated_by = excluded.updated_by, updated_ms = excluded.updated_ms"));
        q.addBindValue(user);
        q.addBindValue(roleName(role));
        q.addBindValue(actingUser);
        q.addBindValue(nowMs);
        if (!q.exec())
            return sqlError(q, "setting a role");
        return audit(db, actingUser, actingRole, user, role, nowMs,
                     bootstrap && !isAdmin ? QStringLiteral("ok (first administrator)")
                                           : QStringLiteral("ok"));
    };
}

} // namespace sightline::userroles
