#include "models/actions/actionservice.h"

#include "models/actions/outbox.h"
#include "models/actions/resubmitdrafts.h"
#include "models/actions/userroles.h"
#include "models/audit/auditlog.h"
#include "models/exceptions/exceptionrepository.h"
#include "models/exceptions/exceptionrules.h"
#include "models/store/store.h"

#include <QDateTime>
#include <QEventLoop>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlError>
#include <QSqlQuery>
#include <memory>

namespace sightline {
namespace {

using exceptiondb::Change;

// The decision and change of one action, made inside the writer's transaction.
struct ActionContext
{
    QSqlDatabase &db;
    const Identity &identity;
    const ActionRequest &request;
    qint64 nowMs;
    qint64 inFlightTimeoutMs;
    const EditRules &editRules;
};

Change changeFor(const ActionContext &c)
{
    Change ch;
    ch.actor = {c.identity.user, roleName(c.identity.role)};
    ch.action = actionKindName(c.request.kind);
    ch.reason = c.request.reason;
    ch.atMs = c.nowMs;
    return ch;
}

// Records the change and gives the outcome the exception as it now stands: its new version, so
// that the person's next action on it is decided on the version they see.
Status recordInto(QSqlDatabase &db, const ExceptionItem &before, const ExceptionItem &after, const Change &ch,
                  ExceptionItem &now)
{
    if (Status s = exceptiondb::record(db, before, after, ch); !s)
        return s;
    now = after;
    now.version = before.version + 1;
    now.updatedBy = ch.actor.name;
    return {};
}

// A refusal is recorded too: who tried what, and why not.
Status refuse(const ActionContext &c, const ExceptionItem &item, const QString &why, ActionOutcome &out)
{
    out.done = false;
    out.message = why;
    out.item = item;
    AuditEntry a;
    a.atMs = c.nowMs;
    a.actor = c.identity.user;
    a.role = roleName(c.identity.role);
    a.action = actionKindName(c.request.kind);
    a.exceptionId = item.id ? item.id : c.request.exceptionId;
    a.reason = c.request.reason;
    a.result = QStringLiteral("refused: ") + why;
    a.before = item.id ? exceptiondb::stateJson(item) : QString();
    return appendAudit(c.db, a);
}

QString requiredPermissionText(Permission p)
{
    switch (p) {
    case Permission::CommentTakeAssign:
        return QStringLiteral("comment on, take or assign exceptions");
    case Permission::ActOnPurchasing:
        return QStringLiteral("replay, edit or correct purchasing documents");
    case Permission::ActOnWarehouse:
        return QStringLiteral("replay, edit or correct warehouse documents");
    default:
        return QStringLiteral("do this");
    }
}

bool sendsToTarget(ActionKind kind)
{
    return kind == ActionKind::Replay || kind == ActionKind::Resubmit || kind == ActionKind::Correct;
}

std::optional<Permission> permissionFor(ActionKind kind, const ExceptionItem &item, QString &onlyAdmin)
{
    if (!sendsToTarget(kind))
        return Permission::CommentTakeAssign;
    const auto p = permissionToActOn(item.documentKind);
    if (!p)
        onlyAdmin =
            QStringLiteral("only an administrator may replay a %1 message")
                .arg(item.documentKind.isEmpty() ? QStringLiteral("document-less") : item.documentKind);
    return p;
}

bool permitted(const Identity &who, ActionKind kind, const ExceptionItem &item, QString *why)
{
    QString onlyAdmin;
    const auto p = permissionFor(kind, item, onlyAdmin);
    if (who.role == Role::Admin)
        return true;
    if (!p) {
        if (why)
            *why = onlyAdmin;
        return false;
    }
    if (roleMay(who.role, *p))
        return true;
    if (why)
        *why = QStringLiteral("%1 (%2) may not %3")
                   .arg(who.user, roleLabel(who.role), requiredPermissionText(*p));
    return false;
}

Result<QByteArray> keptPayload(QSqlDatabase &db, const ExceptionItem &item)
{
    QSqlQuery q(db);
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT raw FROM events WHERE id = ?"));
    q.addBindValue(item.eventRowId);
    if (!q.exec())
        return Error{q.lastError().text()};
    return q.next() ? q.value(0).toByteArray() : QByteArray();
}

QString writeRequestText(const ReplayAction &action);

// Marks the write in flight and records it (or, for a dry run, only says what would be sent): the
// shared part of every action that calls a target's write API.
Status startWrite(const ActionContext &c, const ExceptionItem &before, const ReplayAction &action,
                  const QString &extraRequest, ActionOutcome &out)
{
    const bool resuming = c.request.resumeInFlight && before.replayKey == action.idempotencyKey;
    const bool inFlight =
        !resuming && !before.replayKey.isEmpty() && c.nowMs - before.replayStartedMs < c.inFlightTimeoutMs;
    if (inFlight)
        return refuse(c, before, QStringLiteral("another replay of exception %1 is in flight").arg(before.id),
                      out);
    out.inDoubt = resuming;
    auto waiting = outboxdb::hasPending(c.db, before.id);
    if (!waiting)
        return Error{waiting.error()};
    if (waiting.value())
        return refuse(
            c, before,
            QStringLiteral("an action on exception %1 waits in the outbox for its target").arg(before.id),
            out);
    if (before.replayCount >= ActionService::kLoopGuardReplays)
        out.warning = QStringLiteral("exception %1 has been replayed %2 times already: if it keeps failing, "
                                     "fix the cause rather than replaying again")
                          .arg(before.id)
                          .arg(before.replayCount);
    else if (action.deaths > ActionService::kLoopGuardReplays) // a broker counts the deaths itself
        out.warning = QStringLiteral("the message of exception %1 has died %2 times already: if it keeps "
                                     "failing, fix the cause rather than replaying again")
                          .arg(before.id)
                          .arg(action.deaths);
    out.replay = action;
    out.item = before;
    const QString kind = actionKindName(c.request.kind);
    Change ch = changeFor(c);
    ch.request = writeRequestText(action) + extraRequest;
    if (c.request.dryRun) {
        out.done = true;
        out.message = QStringLiteral("dry run: would send %1").arg(writeRequestText(action));
        AuditEntry a;
        a.atMs = c.nowMs;
        a.actor = c.identity.user;
        a.role = roleName(c.identity.role);
        a.action = kind + QStringLiteral("_dry_run");
        a.exceptionId = before.id;
        a.reason = c.request.reason;
        a.request = ch.request;
        a.result = QStringLiteral("dry run");
        a.before = a.after = exceptiondb::stateJson(before);
        return appendAudit(c.db, a);
    }
    ExceptionItem after = before;
    after.replayKey = action.idempotencyKey;
    after.replayStartedMs = c.nowMs;
    after.replayCount = before.replayCount + 1;
    after.updatedMs = c.nowMs;
    if (after.status == ExceptionStatus::New)
        after.status = ExceptionStatus::InProgress;
    if (after.owner.isEmpty())
        after.owner = c.identity.user;
    ch.action = kind + QStringLiteral("_sent");
    ch.result = QStringLiteral("sending");
    ch.historyDetail = QStringLiteral("%1 %2 sent").arg(kind).arg(after.replayCount);
    out.done = true;
    return recordInto(c.db, before, after, ch, out.item);
}

// A resolved or ignored exception is done with: sending its message again would post it twice.
bool refusedAsClosed(const ActionContext &c, const ExceptionItem &before, ActionOutcome &out, Status &s)
{
    if (isOpen(before.status))
        return false;
    s = refuse(c, before,
               QStringLiteral("exception %1 is %2: reopen it before sending anything again")
                   .arg(before.id)
                   .arg(exceptionStatusName(before.status)),
               out);
    return true;
}

Status startReplay(const ActionContext &c, const ExceptionItem &before, ActionOutcome &out)
{
    if (Status s; refusedAsClosed(c, before, out, s))
        return s;
    auto raw = keptPayload(c.db, before);
    if (!raw)
        return Error{raw.error()};
    auto action = replayActionFor(before, raw.value());
    if (!action)
        return refuse(c, before, action.error(), out);
    return startWrite(c, before, action.value(), QString(), out);
}

// Edit and resubmit: the edited message, checked here against the kept original and the edit
// rules (a locked field is refused whatever the editor allowed), kept as a draft version, and sent
// like a replay with a key of its own; the diff goes to the audit log with the request.
Status startResubmit(const ActionContext &c, const ExceptionItem &before, ActionOutcome &out)
{
    if (c.request.reason.trimmed().isEmpty())
        return refuse(c, before, QStringLiteral("a reason is required to edit and resubmit"), out);
    if (Status s; refusedAsClosed(c, before, out, s))
        return s;
    auto raw = keptPayload(c.db, before);
    if (!raw)
        return Error{raw.error()};
    auto replay = replayActionFor(before, raw.value());
    if (!replay)
        return refuse(c, before, replay.error(), out);
    const EditCheck check = checkEdit(raw.value(), c.request.editedBody, c.editRules, before.documentKind);
    out.changes = check.changes;
    if (!check.ok()) {
        QStringList problems;
        for (const EditProblem &p : check.problems)
            problems.append(p.message);
        return refuse(c, before,
                      QStringLiteral("the edit cannot be sent: %1").arg(problems.join(QStringLiteral("; "))),
                      out);
    }
    if (check.changes.isEmpty())
        return refuse(c, before, QStringLiteral("nothing was changed: replay sends the original as it is"),
                      out);
    ReplayAction action = replay.value();
    action.body = c.request.editedBody;
    action.idempotencyKey = resubmitIdempotencyKey(before.id, canonicalJson(c.request.editedBody));
    auto draft =
        draftdb::append(c.db, {0, before.id, 0, c.identity.user, roleName(c.identity.role), c.nowMs,
                               c.request.editedBody, c.request.reason.trimmed(),
                               c.request.dryRun ? QStringLiteral("dry_run") : QStringLiteral("sent")});
    if (!draft)
        return Error{draft.error()};
    return startWrite(
        c, before, action,
        QStringLiteral("; version %1; changes %2").arg(draft->version).arg(changesJson(check.changes)), out);
}

// A business correction (SPEC.md §4): one write call of the owning system's API, sent like a
// replay (in flight, audited, the same key when pressed twice).
Status startCorrection(const ActionContext &c, const ExceptionItem &before, ActionOutcome &out)
{
    if (!c.request.correction)
        return refuse(c, before, QStringLiteral("say which correction to make"), out);
    if (c.request.reason.trimmed().isEmpty())
        return refuse(c, before, QStringLiteral("a reason is required to correct a document"), out);
    if (!isOpen(before.status))
        return refuse(
            c, before,
            QStringLiteral("exception %1 is %2").arg(before.id).arg(exceptionStatusName(before.status)), out);
    auto action = correctionActionFor(before, *c.request.correction);
    if (!action)
        return refuse(c, before, action.error(), out);
    return startWrite(c, before, action.value(),
                      QStringLiteral("; correction %1").arg(correctionText(*c.request.correction)), out);
}

// Checks and applies one action to the exception's row; the outcome says what happened.
Status apply(const ActionContext &c, ActionOutcome &out)
{
    auto loaded = exceptiondb::loadForChange(c.db, c.request.exceptionId);
    if (!loaded)
        return Error{loaded.error()};
    if (!loaded->has_value())
        return refuse(c, {}, QStringLiteral("there is no exception %1").arg(c.request.exceptionId), out);
    const ExceptionItem before = *loaded.value();
    // The person decided on the version they saw: if someone changed it since, they look again.
    if (c.request.expectedVersion > 0 && before.version != c.request.expectedVersion)
        return refuse(c, before, exceptiondb::conflictMessage(before), out);
    QString why;
    ExceptionItem guarded = before; // a correction needs the role of the document it writes to
    if (c.request.kind == ActionKind::Correct && c.request.correction)
        guarded.documentKind = correctionTarget(*c.request.correction, before);
    if (!permitted(c.identity, c.request.kind, guarded, &why))
        return refuse(c, before, why, out);
    const bool closed = !isOpen(before.status);
    ExceptionItem after = before;
    after.updatedMs = c.nowMs;
    Change ch = changeFor(c);
    switch (c.request.kind) {
    case ActionKind::Take:
    case ActionKind::Assign: {
        if (closed)
            return refuse(
                c, before,
                QStringLiteral("exception %1 is %2").arg(before.id).arg(exceptionStatusName(before.status)),
                out);
        const QString owner =
            c.request.kind == ActionKind::Take ? c.identity.user : c.request.assignee.trimmed();
        if (owner.isEmpty())
            return refuse(c, before, QStringLiteral("say whom to assign it to"), out);
        if (c.request.kind == ActionKind::Take && !before.owner.isEmpty() && before.owner != owner)
            return refuse(
                c, before,
                QStringLiteral("%1 has taken exception %2 already").arg(before.owner).arg(before.id), out);
        after.owner = owner;
        after.status = ExceptionStatus::InProgress;
        ch.historyDetail = QStringLiteral("owner: %1").arg(owner);
        break;
    }
    case ActionKind::Comment: {
        const QString text = c.request.text.trimmed();
        if (text.isEmpty())
            return refuse(c, before, QStringLiteral("a comment needs text"), out);
        if (Status s = exceptiondb::addComment(
                c.db, before.id, {0, c.identity.user, roleName(c.identity.role), c.nowMs, text});
            !s)
            return s;
        ch.historyDetail = text;
        ch.request = text;
        break;
    }
    case ActionKind::Snooze:
        if (c.request.snoozeUntilMs <= c.nowMs)
            return refuse(c, before, QStringLiteral("snooze until a time in the future"), out);
        after.snoozedUntilMs = c.request.snoozeUntilMs;
        ch.historyDetail =
            QStringLiteral("snoozed until %1")
                .arg(QDateTime::fromMSecsSinceEpoch(after.snoozedUntilMs, Qt::UTC).toString(Qt::ISODate));
        break;
    case ActionKind::Resolve:
    case ActionKind::Ignore:
        if (c.request.reason.trimmed().isEmpty())
            return refuse(
                c, before,
                QStringLiteral("a reason is required to %1 an exception").arg(actionKindName(c.request.kind)),
                out);
        if (closed)
            return refuse(c, before,
                          QStringLiteral("exception %1 is %2 already")
                              .arg(before.id)
                              .arg(exceptionStatusName(before.status)),
                          out);
        after.status =
            c.request.kind == ActionKind::Resolve ? ExceptionStatus::Resolved : ExceptionStatus::Ignored;
        after.statusReason = c.request.reason.trimmed();
        break;
    case ActionKind::Replay:
        return startReplay(c, before, out);
    case ActionKind::Resubmit:
        return startResubmit(c, before, out);
    case ActionKind::Correct:
        return startCorrection(c, before, out);
    }
    out.done = true;
    out.message = QStringLiteral("%1: done").arg(actionKindName(c.request.kind));
    return recordInto(c.db, before, after, ch, out.item);
}

QString writeRequestText(const ReplayAction &action)
{
    return QStringLiteral("%1 %2 (Idempotency-Key %3, %4 bytes)")
        .arg(QString::fromLatin1(action.method), QString(action.connection + u':' + action.path),
             action.idempotencyKey)
        .arg(action.body.size());
}

QString responseText(const ReplayResponse &r)
{
    if (r.httpStatus == 0)
        return QStringLiteral("no answer: %1").arg(r.error);
    QString text = QStringLiteral("HTTP ") + QString::number(r.httpStatus);
    if (r.confirmedByRead)
        text = QStringLiteral("read back, not sent: ") + text;
    else if (r.replayedByTarget)
        text += QStringLiteral(" (Idempotent-Replayed)");
    return text + u' ' + QString::fromUtf8(r.body.left(2000));
}

} // namespace

QString actionKindName(ActionKind kind)
{
    switch (kind) {
    case ActionKind::Take:
        return QStringLiteral("take");
    case ActionKind::Assign:
        return QStringLiteral("assign");
    case ActionKind::Comment:
        return QStringLiteral("comment");
    case ActionKind::Snooze:
        return QStringLiteral("snooze");
    case ActionKind::Resolve:
        return QStringLiteral("resolve");
    case ActionKind::Ignore:
        return QStringLiteral("ignore");
    case ActionKind::Replay:
        return QStringLiteral("replay");
    case ActionKind::Resubmit:
        return QStringLiteral("resubmit");
    case ActionKind::Correct:
        return QStringLiteral("correct");
    }
    return {};
}

ActionService::ActionService(Store *store, Identity identity, ReplaySender *sender, Clock clock)
    : m_store(store), m_identity(std::move(identity)), m_sender(sender), m_clock(std::move(clock))
{}

qint64 ActionService::now() const
{
    return m_clock ? m_clock() : QDateTime::currentMSecsSinceEpoch();
}

bool ActionService::permits(const Identity &who, ActionKind kind, const ExceptionItem &item, QString *why)
{
    return permitted(who, kind, item, why);
}

QSet<ActionKind> ActionService::allowedActions(const ExceptionItem &item) const
{
    QSet<ActionKind> out;
    for (ActionKind k :
         {ActionKind::Take, ActionKind::Assign, ActionKind::Comment, ActionKind::Snooze, ActionKind::Resolve,
          ActionKind::Ignore, ActionKind::Replay, ActionKind::Resubmit, ActionKind::Correct}) {
        if (!permitted(m_identity, k, item, nullptr))
            continue;
        const bool message = item.rule == rule::MessageFailed || item.rule == rule::MessageDeadLettered;
        if ((k == ActionKind::Replay || k == ActionKind::Resubmit) && !message)
            continue;
        if (k == ActionKind::Correct && item.family != QStringView(kBusiness))
            continue;
        const bool needsOpen = k == ActionKind::Take || k == ActionKind::Assign || k == ActionKind::Resolve ||
                               k == ActionKind::Ignore || k == ActionKind::Correct ||
                               k == ActionKind::Replay || k == ActionKind::Resubmit;
        if (needsOpen && !isOpen(item.status))
            continue;
        out.insert(k);
    }
    return out;
}

void ActionService::perform(const ActionRequest &request, Done done)
{
    if (!m_store) {
        QMetaObject::invokeMethod(
            this,
            [done] {
                done(Error{QStringLiteral("this console has the store open read-only: actions are off")});
            },
            Qt::QueuedConnection);
        return;
    }
    auto outcome = std::make_shared<ActionOutcome>();
    IngestBatch batch;
    batch.writes.push_back([outcome, identity = m_identity, request, at = now(),
                            timeout = m_inFlightTimeoutMs, rules = m_editRules](QSqlDatabase &db) -> Status {
        *outcome = {};
        // On a shared store the role is the store's, whatever this console was told.
        auto who = userroles::resolve(db, identity);
        if (!who)
            return Error{who.error()};
        return apply(ActionContext{db, who.value(), request, at, timeout, rules}, *outcome);
    });
    m_store->ingest(std::move(batch), this, [this, outcome, request, done](Result<IngestReport> r) {
        if (!r) {
            const QString why = QStringLiteral("%1 failed: %2").arg(actionKindName(request.kind), r.error());
            Q_EMIT actionFailed(why);
            done(Error{why});
            return;
        }
        if (sendsToTarget(request.kind) && outcome->done && !request.dryRun) {
            finishReplay(request, *outcome, done);
            return;
        }
        Q_EMIT actionFinished(*outcome);
        done(*outcome);
    });
}

void ActionService::finishReplay(const ActionRequest &request, ActionOutcome started, Done done)
{
    if (!m_sender) {
        done(Error{QStringLiteral("replay is not connected to a write path")});
        return;
    }
    const ReplayAction &action = *started.replay;
    if (!started.inDoubt || action.confirmPath.isEmpty()) {
        sendAndRecord(request, started, std::move(done));
        return;
    }
    // The earlier call with this key may have taken effect before its answer was lost: the
    // target's record says so, and then nothing is sent again.
    m_sender->read(action, this, [this, request, started, done](std::optional<QByteArray> record) {
        if (!record || !confirmsApplied(*started.replay, *record)) {
            sendAndRecord(request, started, done);
            return;
        }
        ReplayResponse confirmed;
        confirmed.httpStatus = 200;
        confirmed.body = *record;
        confirmed.replayedByTarget = true;
        confirmed.confirmedByRead = true;
        recordAnswer(request, started, confirmed, done);
    });
}

void ActionService::sendAndRecord(const ActionRequest &request, const ActionOutcome &started, Done done)
{
    m_sender->send(*started.replay, this, [this, request, started, done](ReplayResponse response) {
        recordAnswer(request, started, response, done);
    });
}

namespace {

// The audit's result for a target's answer.
QString answerResult(const ReplayResponse &response)
{
    if (!response.succeeded())
        return QStringLiteral("failed");
    if (response.confirmedByRead)
        return QStringLiteral("applied before (confirmed by reading the target; not sent again)");
    return response.replayedByTarget ? QStringLiteral("applied before (same key)")
                                     : QStringLiteral("applied");
}

} // namespace

void ActionService::recordAnswer(const ActionRequest &request, const ActionOutcome &started,
                                 const ReplayResponse &response, Done done)
{
    const ActionKind kind = request.kind;
    const QString reason = request.reason.trimmed();
    const QString extra = request.kind == ActionKind::Correct && request.correction
                              ? QStringLiteral("; correction ") + correctionText(*request.correction)
                              : QString();
    const ReplayAction action = *started.replay;
    auto outcome = std::make_shared<ActionOutcome>(started);
    outcome->response = response;
    IngestBatch batch;
    batch.writes.push_back([outcome, kind, reason, extra, identity = m_identity, action, response,
                            at = now()](QSqlDatabase &db) -> Status {
        auto loaded = exceptiondb::loadForChange(db, action.exceptionId);
        if (!loaded)
            return Error{loaded.error()};
        if (!loaded->has_value())
            return {};
        const ExceptionItem before = *loaded.value();
        ExceptionItem after = before;
        if (response.unavailable) {
            // Kept in flight, in the outbox: sent again with the same key once the target is back.
            OutboxEntry entry{0,
                              action.exceptionId,
                              actionKindName(kind),
                              identity.user,
                              roleName(identity.role),
                              reason,
                              action,
                              QStringLiteral("pending"),
                              1,
                              responseText(response).left(500),
                              at,
                              at,
                              at};
            if (Status s = outboxdb::enqueue(db, entry); !s)
                return s;
            outcome->queued = true;
        } else if (after.replayKey == action.idempotencyKey) {
            after.replayKey.clear();
            after.replayStartedMs = 0;
        }
        after.updatedMs = at;
        Change ch;
        ch.actor = {identity.user, roleName(identity.role)};
        ch.action = actionKindName(kind);
        ch.reason = reason;
        ch.atMs = at;
        ch.request = writeRequestText(action) + extra;
        if (!outcome->changes.isEmpty())
            ch.request += QStringLiteral("; changes ") + changesJson(outcome->changes);
        ch.response = responseText(response);
        ch.result = answerResult(response);
        if (outcome->queued) {
            ch.action += QStringLiteral("_queued");
            ch.result = QStringLiteral("queued in the outbox: the target is unavailable");
        }
        ch.historyDetail = QStringLiteral("%1 %2: %3").arg(ch.action, ch.result, ch.response.left(200));
        return recordInto(db, before, after, ch, outcome->item);
    });
    m_store->ingest(std::move(batch), this, [this, kind, action, outcome, done](Result<IngestReport> r) {
        if (!r) {
            done(Error{QStringLiteral("the replay was sent but could not be recorded: %1").arg(r.error())});
            return;
        }
        reportAnswer(kind, action, outcome, done);
    });
}

void ActionService::reportAnswer(ActionKind kind, const ReplayAction &action,
                                 std::shared_ptr<ActionOutcome> outcome, Done done)
{
    const ReplayResponse &resp = *outcome->response;
    if (outcome->queued) {
        outcome->done = true;
        outcome->message = QStringLiteral("%1 is unavailable (%2): the %3 waits in the outbox and is sent "
                                          "with the same key once it is back")
                               .arg(action.connection, responseText(resp).left(200), actionKindName(kind));
        Q_EMIT actionFinished(*outcome);
        done(*outcome);
        return;
    }
    outcome->done = resp.succeeded();
    const QString verb =
        kind == ActionKind::Resubmit ? QStringLiteral("resubmitted") : QStringLiteral("replayed");
    if (!resp.succeeded())
        outcome->message = QStringLiteral("%1 failed: %2").arg(actionKindName(kind), responseText(resp));
    else if (resp.confirmedByRead)
        outcome->message =
            QStringLiteral("%1 before: the target shows it took effect, so it was not sent again").arg(verb);
    else if (resp.replayedByTarget)
        outcome->message = QStringLiteral("%1 (the target had applied it already)").arg(verb);
    else
        outcome->message = verb;
    if (resp.succeeded())
        Q_EMIT actionFinished(*outcome);
    else
        Q_EMIT actionFailed(outcome->message);
    done(*outcome);
}

void ActionService::saveDraft(qint64 exceptionId, const QByteArray &body, const QString &reason,
                              std::function<void(Result<int>)> done)
{
    if (!m_store) {
        QMetaObject::invokeMethod(
            this, [done] { done(Error{QStringLiteral("this console has the store open read-only")}); },
            Qt::QueuedConnection);
        return;
    }
    auto version = std::make_shared<Result<int>>(Error{QString()});
    IngestBatch batch;
    batch.writes.push_back(
        [version, identity = m_identity, exceptionId, body, reason, at = now()](QSqlDatabase &db) {
            auto loaded = exceptiondb::load(db, exceptionId, false);
            if (!loaded)
                return Status(Error{loaded.error()});
            QString why;
            if (!loaded->has_value()) {
                *version = Error{QStringLiteral("there is no exception %1").arg(exceptionId)};
                return Status();
            }
            if (!permitted(identity, ActionKind::Resubmit, *loaded.value(), &why)) {
                *version = Error{why};
                return Status();
            }
            auto saved = draftdb::append(db, {0, exceptionId, 0, identity.user, roleName(identity.role), at,
                                              body, reason, QStringLiteral("draft")});
            if (!saved)
                return Status(Error{saved.error()});
            *version = saved->version;
            return Status();
        });
    m_store->ingest(std::move(batch), this, [version, done](Result<IngestReport> r) {
        if (!r)
            done(Error{QStringLiteral("saving the draft failed: %1").arg(r.error())});
        else
            done(*version);
    });
}

Result<ActionOutcome> ActionService::performAndWait(const ActionRequest &request)
{
    std::optional<Result<ActionOutcome>> result;
    QEventLoop loop;
    perform(request, [&](Result<ActionOutcome> r) {
        result = std::move(r);
        loop.quit();
    });
    if (!result)
        loop.exec();
    return std::move(*result);
}

} // namespace sightline
