#pragma once

#include "models/actions/roles.h"
#include "models/result.h"

#include <QObject>
#include <QString>
#include <functional>

namespace sightline {

class Store;

// A business correction (SPEC.md §4) made through the owning system's own API: one write call on
// one document, e.g. move a customer shipment's planned date, or cancel a draft shipment.
struct CorrectionRequest
{
    QString connection;   // the connection whose system owns the document ("tryton")
    QString documentKind; // canonical kind name: "shipment", "purchase_order", ...
    QString documentKey;  // the owning system's number
    QString change;       // what to do: "planned_date" (value: yyyy-MM-dd), "cancel"
    QString value;
    QString reason; // required
};

// What the owning system made of it.
struct CorrectionResult
{
    bool applied = false;
    QString error;    // for a person, when not applied
    QString request;  // the call made, for the audit log (never a secret)
    QString response; // the system's answer, shortened
    QString before;   // the document's relevant fields before, compact JSON
    QString after;    // and after, read back from the system
};

// Sends corrections to the owning system (the connectors implement it; models never touch the
// network). done is called once, on context's thread.
class CorrectionSender
{
public:
    virtual ~CorrectionSender() = default;
    virtual void send(const CorrectionRequest &request, QObject *context,
                      std::function<void(CorrectionResult)> done) = 0;
};

struct CorrectionOutcome
{
    bool done = false; // false: refused or failed, message says why
    QString message;
    CorrectionResult result;
};

// Performs corrections for one identity, with SPEC.md §5's permission matrix checked here (a
// warehouse document needs a warehouse supervisor or an administrator, a purchasing one a buyer
// or an administrator), whatever a UI shows. Every correction, refusal and failure is appended to
// the audit log (action "correct") with who, role, reason, the call, the answer and before/after.
class CorrectionService : public QObject
{
    Q_OBJECT
public:
    using Done = std::function<void(Result<CorrectionOutcome>)>;

    CorrectionService(Store *store, Identity identity, CorrectionSender *sender, QObject *parent = nullptr);

    void perform(const CorrectionRequest &request, Done done);
    // For the command line and tests only: performs and waits, running this thread's event loop.
    Result<CorrectionOutcome> performAndWait(const CorrectionRequest &request);

    // Why this identity may not make a correction to a document of this kind; empty when it may.
    static QString refusalFor(const Identity &identity, const QString &documentKind);

private:
    void record(const CorrectionRequest &request, const CorrectionOutcome &outcome, Done done);

    Store *m_store;
    Identity m_identity;
    CorrectionSender *m_sender;
};

} // namespace sightline
