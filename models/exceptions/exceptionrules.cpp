#include "models/exceptions/exceptionrules.h"

#include <QCryptographicHash>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStandardPaths>

namespace sightline {
namespace {

constexpr qint64 kMinuteMs = 60 * 1000;

struct RuleInfo
{
    const char16_t *name;
    ExceptionSeverity severity;
    const char *type;
};

const QList<RuleInfo> &ruleInfo()
{
    static const QList<RuleInfo> all{
        {rule::MessageFailed, ExceptionSeverity::High, "Message failed"},
        {rule::MessageDeadLettered, ExceptionSeverity::Critical, "Message dead-lettered"},
        {rule::InputQuarantined, ExceptionSeverity::Medium, "Input not readable"},
        {rule::AsnQuantity, ExceptionSeverity::High, "ASN quantity differs from PO"},
        {rule::ReceiptTolerance, ExceptionSeverity::Medium, "Receipt differs from ASN"},
        {rule::PoNotAcknowledged, ExceptionSeverity::High, "PO not acknowledged"},
        {rule::AckChanged, ExceptionSeverity::Medium, "Acknowledgment changes the PO"},
        {rule::StatusConflict, ExceptionSeverity::Medium, "Systems disagree on status"},
        {rule::InvoiceMismatch, ExceptionSeverity::High, "Invoice does not match"},
        {rule::DuplicateContent, ExceptionSeverity::Medium, "Document sent twice, different content"},
        {rule::Orphan, ExceptionSeverity::Low, "Unknown document (orphan)"},
    };
    return all;
}

double number(const QJsonObject &o, const char *key, double fallback)
{
    const QJsonValue v = o.value(QLatin1String(key));
    return v.isDouble() ? v.toDouble() : fallback;
}

} // namespace

ExceptionRules ExceptionRules::defaults()
{
    ExceptionRules r;
    for (const RuleInfo &info : ruleInfo())
        r.settings.insert(QString::fromUtf16(info.name), RuleSetting{true, info.severity});
    return r;
}

Result<ExceptionRules> ExceptionRules::fromJson(const QByteArray &json, ExceptionRules r)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
    if (!doc.isObject())
        return Error{QStringLiteral("the exception rules are not a JSON object (%1 at offset %2)")
                         .arg(error.errorString())
                         .arg(error.offset)};
    const QJsonObject rules = doc.object().value(QStringLiteral("rules")).toObject();
    for (auto it = rules.begin(); it != rules.end(); ++it) {
        if (!r.settings.contains(it.key()))
            return Error{QStringLiteral("the exception rules name an unknown rule '%1'").arg(it.key())};
        const QJsonObject o = it.value().toObject();
        RuleSetting &s = r.settings[it.key()];
        s.enabled = o.value(QStringLiteral("enabled")).toBool(s.enabled);
        s.severity = exceptionSeverityFromName(o.value(QStringLiteral("severity")).toString(), s.severity);
        if (it.key() == rule::AsnQuantity)
            r.asnQuantityTolerancePercent = number(o, "tolerance_percent", r.asnQuantityTolerancePercent);
        else if (it.key() == rule::ReceiptTolerance)
            r.receiptTolerancePercent = number(o, "tolerance_percent", r.receiptTolerancePercent);
        else if (it.key() == rule::PoNotAcknowledged)
            r.ackWithinMs = qint64(number(o, "within_hours", r.ackWithinMs / 3600000.0) * 3600000.0);
        else if (it.key() == rule::AckChanged)
            r.ackDateSlipDays = int(number(o, "date_slip_days", r.ackDateSlipDays));
        else if (it.key() == rule::StatusConflict)
            r.conflictGraceMs = qint64(number(o, "grace_minutes", r.conflictGraceMs / kMinuteMs) * kMinuteMs);
        else if (it.key() == rule::InvoiceMismatch) {
            r.invoicePriceTolerancePercent =
                number(o, "price_tolerance_percent", r.invoicePriceTolerancePercent);
            r.invoiceQuantityTolerancePercent =
                number(o, "quantity_tolerance_percent", r.invoiceQuantityTolerancePercent);
        } else if (it.key() == rule::Orphan)
            r.orphanGraceMs = qint64(number(o, "grace_minutes", r.orphanGraceMs / kMinuteMs) * kMinuteMs);
    }
    return r;
}

Result<ExceptionRules> ExceptionRules::load(const QString &userFile)
{
    ExceptionRules r = defaults();
    for (const QString &path : {QStringLiteral(":/exception-rules.json"), userFile}) {
        QFile f(path);
        if (path.isEmpty() || !f.exists())
            continue;
        if (!f.open(QIODevice::ReadOnly))
            return Error{QStringLiteral("cannot read the exception rules %1: %2").arg(path, f.errorString())};
        auto loaded = fromJson(f.readAll(), r);
        if (!loaded)
            return Error{QStringLiteral("%1: %2").arg(path, loaded.error())};
        r = loaded.value();
    }
    return r;
}

QString ExceptionRules::defaultUserFile()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation) +
           QStringLiteral("/exception-rules.json");
}

QString ExceptionRules::fingerprint() const
{
    QStringList parts;
    QStringList names = settings.keys();
    names.sort();
    for (const QString &name : std::as_const(names)) {
        const RuleSetting &r = settings.value(name);
        parts.append(name % u'=' % (r.enabled ? u'1' : u'0') % u'/' % exceptionSeverityName(r.severity));
    }
    for (const double v : {asnQuantityTolerancePercent, receiptTolerancePercent, invoicePriceTolerancePercent,
                           invoiceQuantityTolerancePercent})
        parts.append(QString::number(v, 'g', 17));
    for (const qint64 v : {ackWithinMs, qint64(ackDateSlipDays), conflictGraceMs, orphanGraceMs})
        parts.append(QString::number(v));
    const QByteArray text = parts.join(u';').toUtf8();
    return QString::fromLatin1(QCryptographicHash::hash(text, QCryptographicHash::Sha256).toHex());
}

bool ExceptionRules::enabled(QStringView ruleName) const
{
    return settings.value(ruleName.toString()).enabled;
}

ExceptionSeverity ExceptionRules::severity(QStringView ruleName) const
{
    return settings.value(ruleName.toString()).severity;
}

QString ExceptionRules::type(QStringView ruleName) const
{
    for (const RuleInfo &info : ruleInfo()) {
        if (ruleName == QStringView(info.name))
            return QString::fromLatin1(info.type);
    }
    return ruleName.toString();
}

} // namespace sightline
