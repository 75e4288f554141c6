#pragma once

#include "models/actions/replay.h"
#include "models/exceptions/exceptionitem.h"
#include "models/result.h"

#include <QDate>
#include <optional>

namespace sightline {

// The business corrections of SPEC.md §4, each one write call of the owning system's API:
//   accept the supplier's changed quantity or date  -> ERP  POST purchase-orders/{po}/lines/{n}/correct
//   move a promised date                            -> ERP  POST purchase-orders/{po}/lines/{n}/correct
//   adjust a receipt quantity                       -> WMS  POST receipts/{receipt}/lines/{n}/adjust
//   cancel a line (purchase or sales order)         -> ERP  POST
//   purchase-orders|sales-orders/{id}/lines/{n}/cancel
enum class CorrectionKind { AcceptSupplierChange, MovePromisedDate, AdjustReceiptQuantity, CancelLine };

QString correctionKindName(CorrectionKind kind); // "accept_supplier_change", ...
std::optional<CorrectionKind> correctionKindFromName(QStringView name);

struct Correction
{
    CorrectionKind kind = CorrectionKind::AcceptSupplierChange;
    QString documentKind; // purchase_order, receipt or sales_order; empty: the exception's document
    QString documentKey;  // empty: the exception's document
    int line = 0;
    std::optional<double> quantity;
    QDate promisedDate;
};

// The document kind a correction writes to (its owner decides the role that may do it).
QString correctionTarget(const Correction &correction, const ExceptionItem &item);

// The write call for a correction of an exception's document, or why it cannot be made. Its key
// is derived from the exception and the call, so the same correction pressed twice applies once.
Result<ReplayAction> correctionActionFor(const ExceptionItem &item, const Correction &correction);

// What the correction does, for a person and the audit log.
QString correctionText(const Correction &correction);

// One correction a person may pick for an exception: what it does, to which document of the trace.
struct CorrectionChoice
{
    CorrectionKind kind = CorrectionKind::AcceptSupplierChange;
    QString documentKind;
    QString documentKey;
    QString label;              // "Accept the supplier's change on purchase order PO-1"
    bool needsQuantity = false; // the quantity field matters to it
    bool needsDate = false;     // the promised date field matters to it
};

// The corrections that fit an exception, over its own document and its trace's documents (loaded
// with its detail), the ones its rule suggests first: a receipt beyond tolerance suggests adjusting
// the receipt, a changed acknowledgment or an ASN quantity accepting the supplier's change.
QList<CorrectionChoice> correctionChoices(const ExceptionItem &item);

} // namespace sightline
