#pragma once

#include "models/actions/roles.h"
#include "models/result.h"
#include "models/store/ingestbatch.h"

#include <QList>
#include <QSqlDatabase>
#include <memory>

namespace sightline::userroles {

// Team mode: who has which role is kept in the shared store (table user_roles), the same for every
// console, and changed by an administrator only. A single-user SQLite store keeps using the roles
// file (RoleDirectory).
struct UserRole
{
    QString user;
    Role role = Role::CustomerService;
    QString updatedBy;
    qint64 updatedMs = 0;
};

Result<QList<UserRole>> list(QSqlDatabase &db);

// The identity a person acts with on this store: on a shared (PostgreSQL) store their role is the
// store's, customer service (read and export) when it names them not; on SQLite, as claimed.
Result<Identity> resolve(QSqlDatabase &db, const Identity &claimed);

// A write that gives user the role, if actingUser is an administrator in the store, or (the first
// time) when the store has no administrator yet and this makes one. Otherwise *refusal says why and
// nothing changes but the audit log, which records both.
StoreWrite setRole(QString actingUser, QString user, Role role, qint64 nowMs,
                   std::shared_ptr<QString> refusal);

} // namespace sightline::userroles
