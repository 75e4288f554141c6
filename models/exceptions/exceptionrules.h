#pragma once

#include "models/exceptions/exceptionitem.h"
#include "models/result.h"

#include <QHash>
#include <QString>

namespace sightline {

// The rule names, as in the rules file and the exceptions' `rule` column.
namespace rule {
inline constexpr char16_t MessageFailed[] = u"message_failed";
inline constexpr char16_t MessageDeadLettered[] = u"message_dead_lettered";
inline constexpr char16_t InputQuarantined[] = u"input_quarantined";
inline constexpr char16_t AsnQuantity[] = u"asn_quantity";
inline constexpr char16_t ReceiptTolerance[] = u"receipt_tolerance";
inline constexpr char16_t PoNotAcknowledged[] = u"po_not_acknowledged";
inline constexpr char16_t AckChanged[] = u"ack_changed";
inline constexpr char16_t StatusConflict[] = u"status_conflict";
inline constexpr char16_t InvoiceMismatch[] = u"invoice_mismatch";
inline constexpr char16_t DuplicateContent[] = u"duplicate_content";
inline constexpr char16_t Orphan[] = u"orphan";
} // namespace rule

struct RuleSetting
{
    bool enabled = true;
    ExceptionSeverity severity = ExceptionSeverity::Medium;
};

// Rules and thresholds that managers edit (SPEC.md §3). Defaults match resources/exception-rules.json.
struct ExceptionRules
{
    QHash<QString, RuleSetting> settings;
    double asnQuantityTolerancePercent = 0;
    double receiptTolerancePercent = 2;
    qint64 ackWithinMs = 24LL * 3600 * 1000;
    int ackDateSlipDays = 2;
    qint64 conflictGraceMs = 60LL * 60 * 1000;
    double invoicePriceTolerancePercent = 0;
    double invoiceQuantityTolerancePercent = 2;
    qint64 orphanGraceMs = 120LL * 60 * 1000;

    static ExceptionRules defaults();
    // Defaults, then the JSON text's settings on top (keys left out keep their values).
    static Result<ExceptionRules> fromJson(const QByteArray &json, ExceptionRules base = defaults());
    // Defaults, the bundled rules file when the resources are linked, then the user's file when it exists.
    static Result<ExceptionRules> load(const QString &userFile = defaultUserFile());
    static QString defaultUserFile();

    // The same rules and thresholds, the same text (a hash): the engine re-evaluates every trace
    // when it changes.
    QString fingerprint() const;

    bool enabled(QStringView ruleName) const;
    ExceptionSeverity severity(QStringView ruleName) const;
    QString type(QStringView ruleName) const; // the user's words
};

} // namespace sightline
