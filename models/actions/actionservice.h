#pragma once

#include "models/actions/corrections.h"
#include "models/actions/editrules.h"
#include "models/actions/jsonedit.h"
#include "models/actions/replay.h"
#include "models/actions/roles.h"
#include "models/exceptions/exceptionitem.h"
#include "models/result.h"

#include <QObject>
#include <QSet>
#include <functional>

namespace sightline {

class Store;

enum class ActionKind { Take, Assign, Comment, Snooze, Resolve, Ignore, Replay, Resubmit, Correct };

QString actionKindName(ActionKind kind);

struct ActionRequest
{
    ActionKind kind = ActionKind::Take;
    qint64 exceptionId = 0;
    QString reason{};   // resolve, ignore (required); replay, snooze (optional)
    QString text{};     // comment
    QString assignee{}; // assign
    qint64 snoozeUntilMs = 0;
    bool dryRun = false;                    // replay, resubmit: say what would be sent, send nothing
    QByteArray editedBody{};                // resubmit: the edited message, as typed (reason required)
    std::optional<Correction> correction{}; // correct: which one (reason required)
    // A bulk job resuming an item whose call may have been sent before a crash: the attempt still
    // marked in flight with this very key is first looked up at the target (ReplayAction::
    // confirmPath) and sent again, with the same key, only when it did not take effect.
    bool resumeInFlight = false;
    // The version of the exception the person acted on (ExceptionItem::version); when it changed
    // meanwhile the action is refused with "changed by X at T; reload". 0: act on the current one.
    qint64 expectedVersion = 0;
};

// What an action did.
struct ActionOutcome
{
    bool done = false;                  // false: refused, with the reason in message
    QString message;                    // for a person
    QString warning;                    // e.g. the loop guard
    ExceptionItem item;                 // the exception after the action
    std::optional<ReplayAction> replay; // the call made (or that a dry run would make)
    std::optional<ReplayResponse> response;
    QList<FieldChange> changes; // resubmit: the field-level diff against the kept original
    bool queued = false;        // the target was unreachable: the call waits in the outbox
    bool inDoubt = false;       // a resumed call whose earlier answer was lost: checked before sent
};

// Every action on exceptions (SPEC.md §4) for one identity, with the permission matrix of SPEC.md
// §5 enforced here: a refused action is refused whatever a UI shows, and the refusal is audited.
// State is checked and changed inside the store writer's transaction, so two people acting at
// once cannot both take an item or both start a replay. Every action and every status change is
// appended to the audit log in the same transaction.
class ActionService : public QObject
{
    Q_OBJECT
public:
    using Clock = std::function<qint64()>;
    using Done = std::function<void(Result<ActionOutcome>)>;

    ActionService(Store *store, Identity identity, ReplaySender *sender = nullptr, Clock clock = {});

    const Identity &identity() const { return m_identity; }

    // Performs the action; done runs on this service's thread. Replays finish after the target answered.
    void perform(const ActionRequest &request, Done done);
    // For the command line and tests only, never the GUI thread: performs and waits (a replay's
    // answer arrives through this thread's event loop, which this runs meanwhile).
    Result<ActionOutcome> performAndWait(const ActionRequest &request);

    // The actions this identity may take on the item, for a UI to show; the service checks again.
    QSet<ActionKind> allowedActions(const ExceptionItem &item) const;
    // Whether who may take this kind of action on the item (SPEC.md §5); why not, when not.
    static bool permits(const Identity &who, ActionKind kind, const ExceptionItem &item, QString *why);

    // An attempt still marked in flight after this long is taken as lost (a crash between sending
    // and recording); a new attempt sends again with the same key, which the target applies once.
    void setInFlightTimeout(qint64 ms) { m_inFlightTimeoutMs = ms; }
    // Which fields edit-and-resubmit may change (EditRules::load() unless set).
    void setEditRules(EditRules rules) { m_editRules = std::move(rules); }
    const EditRules &editRules() const { return m_editRules; }
    // Keeps an edited message as a new draft version (nothing is sent); done gets the version.
    void saveDraft(qint64 exceptionId, const QByteArray &body, const QString &reason,
                   std::function<void(Result<int>)> done);
    static constexpr int kLoopGuardReplays = 3;

Q_SIGNALS:
    void actionFinished(const sightline::ActionOutcome &outcome);
    void actionFailed(const QString &message);

private:
    void finishReplay(const ActionRequest &request, ActionOutcome started, Done done);
    void sendAndRecord(const ActionRequest &request, const ActionOutcome &started, Done done);
    void recordAnswer(const ActionRequest &request, const ActionOutcome &started,
                      const ReplayResponse &response, Done done);
    void reportAnswer(ActionKind kind, const ReplayAction &action, std::shared_ptr<ActionOutcome> outcome,
                      Done done);
    qint64 now() const;

    Store *m_store;
    Identity m_identity;
    ReplaySender *m_sender;
    Clock m_clock;
    qint64 m_inFlightTimeoutMs = 5 * 60 * 1000;
    EditRules m_editRules;
};

} // namespace sightline
