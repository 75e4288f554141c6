#pragma once

#include "models/exceptions/exceptionitem.h"
#include "models/result.h"

#include <QSqlDatabase>

namespace sightline {

// The detection engine's side of the lifecycle, run inside the writer's transaction: a finding
// with no exception raises one (new); one that was resolved reopens; an open one counts another
// occurrence when its evidence changed; an ignored one stays ignored. The open exceptions of
// traceId that no finding names any more resolve automatically (their condition cleared).
// traceId 0: findings only, nothing resolves (quarantined input).
Status reconcileFindings(QSqlDatabase &db, qint64 traceId, const QList<ExceptionItem> &findings,
                         qint64 nowMs);

} // namespace sightline
