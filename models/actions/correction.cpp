#include "models/actions/correction.h"

#include "models/audit/auditlog.h"
#include "models/domain/timestamp.h"
#include "models/store/store.h"

#include <QEventLoop>
#include <memory>

namespace sightline {

CorrectionService::CorrectionService(Store *store, Identity identity, CorrectionSender *sender,
                                     QObject *parent)
    : QObject(parent), m_store(store), m_identity(std::move(identity)), m_sender(sender)
{}

QString CorrectionService::refusalFor(const Identity &who, const QString &documentKind)
{
    if (who.role == Role::Admin)
        return {};
    const auto permission = permissionToActOn(documentKind);
    if (!permission)
        return QStringLiteral("only an administrator may correct a %1").arg(documentKind);
    if (roleMay(who.role, *permission))
        return {};
    return QStringLiteral("%1 (%2) may not correct %3 documents")
        .arg(who.user, roleLabel(who.role),
             *permission == Permission::ActOnWarehouse ? QStringLiteral("warehouse")
                                                       : QStringLiteral("purchasing"));
}

void CorrectionService::perform(const CorrectionRequest &request, Done done)
{
    CorrectionOutcome refused;
    refused.message = refusalFor(m_identity, request.documentKind);
    if (refused.message.isEmpty() && request.reason.trimmed().isEmpty())
        refused.message = QStringLiteral("a correction needs a reason");
    if (refused.message.isEmpty() && !m_sender)
        refused.message = QStringLiteral("no connection can send corrections");
    if (!refused.message.isEmpty()) {
        refused.result.error = refused.message;
        record(request, refused, std::move(done));
        return;
    }
    m_sender->send(request, this, [this, request, done = std::move(done)](CorrectionResult result) mutable {
        CorrectionOutcome outcome;
        outcome.done = result.applied;
        outcome.message = result.applied ? QStringLiteral("%1 %2: %3 changed in %4")
                                               .arg(request.documentKind, request.documentKey, request.change,
                                                    request.connection)
                                         : result.error;
        outcome.result = std::move(result);
        record(request, outcome, std::move(done));
    });
}

void CorrectionService::record(const CorrectionRequest &request, const CorrectionOutcome &outcome, Done done)
{
    AuditEntry a;
    a.atMs = nowMs();
    a.actor = m_identity.user;
    a.role = roleName(m_identity.role);
    a.action = QStringLiteral("correct");
    a.reason = request.reason;
    a.request = outcome.result.request.isEmpty()
                    ? QStringLiteral("%1: %2 %3: %4 %5")
                          .arg(request.connection, request.documentKind, request.documentKey, request.change,
                               request.value)
                          .trimmed()
                    : outcome.result.request;
    a.response = outcome.result.response;
    a.result = outcome.done ? QStringLiteral("applied")
                            : (outcome.result.request.isEmpty() ? QStringLiteral("refused: ")
                                                                : QStringLiteral("failed: ")) +
                                  outcome.message;
    a.before = outcome.result.before;
    a.after = outcome.result.after;
    IngestBatch batch;
    batch.writes.push_back([a](QSqlDatabase &db) { return appendAudit(db, a); });
    m_store->ingest(std::move(batch), this, [outcome, done = std::move(done)](Result<IngestReport> r) {
        if (!r) {
            done(Error{QStringLiteral("the correction's audit entry was not written: %1").arg(r.error())});
            return;
        }
        done(outcome);
    });
}

Result<CorrectionOutcome> CorrectionService::performAndWait(const CorrectionRequest &request)
{
    QEventLoop loop;
    auto answer = std::make_shared<std::optional<Result<CorrectionOutcome>>>();
    perform(request, [answer, &loop](Result<CorrectionOutcome> r) {
        answer->emplace(std::move(r));
        loop.quit();
    });
    if (!answer->has_value())
        loop.exec();
    return std::move(**answer);
}

} // namespace sightline
