#pragma once

#include <QString>
#include <QStringList>

namespace sightline {

// Canonical event types (SPEC.md §2). Connectors map each source's statuses onto these names.
namespace milestone {
inline constexpr char16_t QuoteCreated[] = u"quote.created";
inline constexpr char16_t OrderCreated[] = u"order.created";
inline constexpr char16_t OrderValidated[] = u"order.validated";
inline constexpr char16_t OrderReleased[] = u"order.released";
inline constexpr char16_t PickConfirmed[] = u"pick.confirmed";
inline constexpr char16_t PackConfirmed[] = u"pack.confirmed";
inline constexpr char16_t ShipmentDispatched[] = u"shipment.dispatched";
inline constexpr char16_t ShipmentDelivered[] = u"shipment.delivered";
inline constexpr char16_t InvoicePosted[] = u"invoice.posted";
inline constexpr char16_t OrderCancelled[] = u"order.cancelled";
inline constexpr char16_t ReturnReceived[] = u"return.received";
inline constexpr char16_t PoCreated[] = u"po.created";
inline constexpr char16_t PoSent[] = u"po.sent";
inline constexpr char16_t PoAcknowledged[] = u"po.acknowledged";
inline constexpr char16_t AsnReceived[] = u"asn.received";
inline constexpr char16_t ReceiptPosted[] = u"receipt.posted";
inline constexpr char16_t InvoiceReceived[] = u"invoice.received";
inline constexpr char16_t InvoiceMatched[] = u"invoice.matched";
inline constexpr char16_t InvoiceDisputed[] = u"invoice.disputed";
inline constexpr char16_t MessageSent[] = u"message.sent";
inline constexpr char16_t MessageDelivered[] = u"message.delivered";
inline constexpr char16_t MessageFailed[] = u"message.failed";
inline constexpr char16_t MessageDeadLettered[] = u"message.dead_lettered";
inline constexpr char16_t MessageReplayed[] = u"message.replayed";
} // namespace milestone

// Every canonical milestone name, in lifecycle order (sales, purchasing, technical).
const QStringList &allMilestones();
bool isMilestone(QStringView name);

// The canonical milestone an event type names: the type itself ("order.released") or a
// reverse-DNS type ending in one ("com.example.erp.order.released"). Empty when none.
QString milestoneForEventType(QStringView type);

} // namespace sightline
