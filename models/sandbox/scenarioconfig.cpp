#include "models/sandbox/scenarioconfig.h"

namespace sightline::sandbox {

TroubleRates::TroubleRates()
{
    setAll(0.08);
}

const QStringList &TroubleRates::kinds()
{
    static const QStringList names{
        QStringLiteral("late_ack"),        QStringLiteral("partial_ack"),
        QStringLiteral("asn_mismatch"),    QStringLiteral("receipt_tolerance"),
        QStringLiteral("invoice_price"),   QStringLiteral("status_conflict"),
        QStringLiteral("orphan_event"),    QStringLiteral("rejected_message"),
        QStringLiteral("failed_delivery"), QStringLiteral("late_event"),
    };
    return names;
}

void TroubleRates::setAll(double rate)
{
    for (const QString &kind : kinds())
        m_rates.insert(kind, qBound(0.0, rate, 1.0));
}

Status TroubleRates::set(const QString &kind, double rate)
{
    if (!kinds().contains(kind))
        return Error{QStringLiteral("unknown trouble kind '%1'; known: %2").arg(kind, kinds().join(u", "))};
    if (rate < 0.0 || rate > 1.0)
        return Error{
            QStringLiteral("trouble rate for '%1' must be between 0 and 1, got %2").arg(kind).arg(rate)};
    m_rates.insert(kind, rate);
    return {};
}

Status TroubleRates::parse(const QString &assignment)
{
    const qsizetype eq = assignment.indexOf(u'=');
    bool ok = false;
    const double value = eq > 0 ? assignment.mid(eq + 1).toDouble(&ok) : 0.0;
    if (eq <= 0 || !ok)
        return Error{QStringLiteral("expected kind=rate (e.g. late_ack=0.2), got '%1'").arg(assignment)};
    return set(assignment.left(eq), value);
}

QJsonObject TroubleRates::toJson() const
{
    QJsonObject out;
    for (auto it = m_rates.cbegin(); it != m_rates.cend(); ++it)
        out.insert(it.key(), it.value());
    return out;
}

} // namespace sightline::sandbox
