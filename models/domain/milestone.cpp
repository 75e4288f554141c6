#include "models/domain/milestone.h"

namespace sightline {

const QStringList &allMilestones()
{
    using namespace milestone;
    static const QStringList names{
        QString::fromUtf16(QuoteCreated),       QString::fromUtf16(OrderCreated),
        QString::fromUtf16(OrderValidated),     QString::fromUtf16(OrderReleased),
        QString::fromUtf16(PickConfirmed),      QString::fromUtf16(PackConfirmed),
        QString::fromUtf16(ShipmentDispatched), QString::fromUtf16(ShipmentDelivered),
        QString::fromUtf16(InvoicePosted),      QString::fromUtf16(OrderCancelled),
        QString::fromUtf16(ReturnReceived),     QString::fromUtf16(PoCreated),
        QString::fromUtf16(PoSent),             QString::fromUtf16(PoAcknowledged),
        QString::fromUtf16(AsnReceived),        QString::fromUtf16(ReceiptPosted),
        QString::fromUtf16(InvoiceReceived),    QString::fromUtf16(InvoiceMatched),
        QString::fromUtf16(InvoiceDisputed),    QString::fromUtf16(MessageSent),
        QString::fromUtf16(MessageDelivered),   QString::fromUtf16(MessageFailed),
        QString::fromUtf16(MessageDeadLettered), QString::fromUtf16(MessageReplayed),
    };
    return names;
}

bool isMilestone(QStringView name)
{
    for (const QString &m : allMilestones()) {
        if (m == name)
            return true;
    }
    return false;
}

QString milestoneForEventType(QStringView type)
{
    for (const QString &m : allMilestones()) {
        if (type == m)
            return m;
        if (type.size() > m.size() && type.endsWith(m) && type.at(type.size() - m.size() - 1) == u'.')
            return m;
    }
    return {};
}

} // namespace sightline
