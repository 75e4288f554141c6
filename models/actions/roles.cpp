#include "models/actions/roles.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStandardPaths>

#ifdef Q_OS_UNIX
#include <pwd.h>
#include <unistd.h>
#endif

namespace sightline {

QString roleName(Role role)
{
    switch (role) {
    case Role::CustomerService:
        return QStringLiteral("customer_service");
    case Role::Buyer:
        return QStringLiteral("buyer");
    case Role::WarehouseSupervisor:
        return QStringLiteral("warehouse_supervisor");
    case Role::Manager:
        return QStringLiteral("manager");
    case Role::Admin:
        return QStringLiteral("admin");
    }
    return {};
}

QString roleLabel(Role role)
{
    switch (role) {
    case Role::CustomerService:
        return QStringLiteral("Customer service");
    case Role::Buyer:
        return QStringLiteral("Buyer");
    case Role::WarehouseSupervisor:
        return QStringLiteral("Warehouse supervisor");
    case Role::Manager:
        return QStringLiteral("Manager");
    case Role::Admin:
        return QStringLiteral("Administrator");
    }
    return {};
}

std::optional<Role> roleFromName(QStringView name)
{
    for (Role r :
         {Role::CustomerService, Role::Buyer, Role::WarehouseSupervisor, Role::Manager, Role::Admin}) {
        if (name == roleName(r))
            return r;
    }
    return std::nullopt;
}

bool roleMay(Role role, Permission p)
{
    switch (p) {
    case Permission::Read:
    case Permission::Export:
        return true;
    case Permission::CommentTakeAssign:
        return role != Role::CustomerService;
    case Permission::ActOnPurchasing:
        return role == Role::Buyer || role == Role::Admin;
    case Permission::ActOnWarehouse:
        return role == Role::WarehouseSupervisor || role == Role::Admin;
    case Permission::Bulk:
        return role == Role::Buyer || role == Role::WarehouseSupervisor || role == Role::Admin;
    case Permission::EditRules:
        return role == Role::Manager || role == Role::Admin;
    case Permission::ManageConnectors:
        return role == Role::Admin;
    }
    return false;
}

namespace {
const QStringList &purchasingKinds()
{
    static const QStringList kinds{QStringLiteral("purchase_order"), QStringLiteral("purchase_order_line"),
                                   QStringLiteral("po_acknowledgment"), QStringLiteral("asn"),
                                   QStringLiteral("supplier_invoice")};
    return kinds;
}

const QStringList &warehouseKinds()
{
    static const QStringList kinds{QStringLiteral("release"), QStringLiteral("shipment"),
                                   QStringLiteral("receipt"), QStringLiteral("pick")};
    return kinds;
}
} // namespace

QStringList defaultDocumentKinds(Role role)
{
    if (role == Role::Buyer)
        return purchasingKinds();
    if (role == Role::WarehouseSupervisor)
        return warehouseKinds();
    return {};
}

std::optional<Permission> permissionToActOn(const QString &kind)
{
    const QStringList &purchasing = purchasingKinds();
    const QStringList &warehouse = warehouseKinds();
    if (purchasing.contains(kind))
        return Permission::ActOnPurchasing;
    if (warehouse.contains(kind))
        return Permission::ActOnWarehouse;
    return std::nullopt;
}

Result<RoleDirectory> RoleDirectory::fromJson(const QByteArray &json)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
    if (!doc.isObject())
        return Error{QStringLiteral("the roles file is not a JSON object (%1)").arg(error.errorString())};
    RoleDirectory dir;
    const QJsonObject o = doc.object();
    if (o.contains(QStringLiteral("default_role"))) {
        const QString name = o.value(QStringLiteral("default_role")).toString();
        const auto role = roleFromName(name);
        if (!role)
            return Error{QStringLiteral("the roles file names an unknown default role '%1'").arg(name)};
        dir.m_defaultRole = *role;
    }
    const QJsonObject users = o.value(QStringLiteral("users")).toObject();
    for (auto it = users.begin(); it != users.end(); ++it) {
        const auto role = roleFromName(it.value().toString());
        if (!role)
            return Error{
                QStringLiteral("the roles file gives %1 an unknown role '%2' (known: customer_service, "
                               "buyer, warehouse_supervisor, manager, admin)")
                    .arg(it.key(), it.value().toString())};
        dir.m_roles.insert(it.key(), *role);
    }
    return dir;
}

Result<RoleDirectory> RoleDirectory::load(const QString &path)
{
    QFile f(path);
    if (!f.exists())
        return RoleDirectory();
    if (!f.open(QIODevice::ReadOnly))
        return Error{QStringLiteral("cannot read the roles file %1: %2").arg(path, f.errorString())};
    auto dir = fromJson(f.readAll());
    if (!dir)
        return Error{QStringLiteral("%1: %2").arg(path, dir.error())};
    return dir;
}

QString RoleDirectory::defaultFile()
{
    const QString env = qEnvironmentVariable("SIGHTLINE_ROLES_FILE");
    if (!env.isEmpty())
        return env;
    return QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation) +
           QStringLiteral("/roles.json");
}

QString RoleDirectory::currentUser()
{
#ifdef Q_OS_UNIX
    // The account the process runs as, not an environment variable anyone can set.
    if (const passwd *pw = getpwuid(getuid()); pw && pw->pw_name)
        return QString::fromLocal8Bit(pw->pw_name);
#endif
    for (const char *name : {"USER", "USERNAME", "LOGNAME"}) {
        const QString v = qEnvironmentVariable(name);
        if (!v.isEmpty())
            return v;
    }
    return QStringLiteral("unknown");
}

Result<Identity> RoleDirectory::currentIdentity()
{
    auto dir = load(defaultFile());
    if (!dir)
        return Error{dir.error()};
    const QString user = currentUser();
    return Identity{user, dir->roleOf(user)};
}

} // namespace sightline
