#pragma once

#include "models/result.h"

#include <QHash>
#include <QString>
#include <optional>

namespace sightline {

// The roles of SPEC.md §5.
enum class Role { CustomerService, Buyer, WarehouseSupervisor, Manager, Admin };

// What a role may do (SPEC.md §5). Checked by the action service, whatever a UI shows.
enum class Permission {
    Read,
    Export,
    CommentTakeAssign,
    ActOnPurchasing, // replay, edit-and-resubmit, correct: PO, ack, ASN, supplier invoice
    ActOnWarehouse,  // replay, edit-and-resubmit, correct: release, pick, shipment, receipt
    Bulk,
    EditRules,
    ManageConnectors,
};

QString roleName(Role role);  // "customer_service", "buyer", ...
QString roleLabel(Role role); // "Customer service", ...
std::optional<Role> roleFromName(QStringView name);
bool roleMay(Role role, Permission permission);

// The permission a replay or correction of a document of this kind needs; nullopt when only an
// administrator may act on it.
std::optional<Permission> permissionToActOn(const QString &documentKind);

// The document kinds a role's queue shows by default: a buyer's purchasing documents, a
// supervisor's warehouse ones; empty for every other role (all documents).
QStringList defaultDocumentKinds(Role role);

struct Identity
{
    QString user;
    Role role = Role::CustomerService;
};

// Users and their roles, from configuration an administrator edits:
// {"default_role": "customer_service", "users": {"alice": "buyer", "bob": "warehouse_supervisor"}}.
// A user the file does not name gets the default role (customer service unless it says otherwise).
class RoleDirectory
{
public:
    static Result<RoleDirectory> fromJson(const QByteArray &json);
    // The file at path; a missing file gives every user the default role.
    static Result<RoleDirectory> load(const QString &path);
    // SIGHTLINE_ROLES_FILE when set, else roles.json in the per-user config folder.
    static QString defaultFile();
    // The signed-in operating-system user.
    static QString currentUser();
    // The signed-in user with the role the default file gives them.
    static Result<Identity> currentIdentity();

    Role roleOf(const QString &user) const { return m_roles.value(user, m_defaultRole); }

private:
    QHash<QString, Role> m_roles;
    Role m_defaultRole = Role::CustomerService;
};

} // namespace sightline
