#pragma once

#include "models/sandbox/calendar.h"
#include "models/sandbox/random.h"
#include "models/sandbox/recordstore.h"
#include "models/sandbox/scenarioconfig.h"

#include <QByteArray>
#include <QDate>
#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <functional>
#include <map>
#include <optional>

namespace sightline::sandbox {

// One event of the feed: a CloudEvents 1.0 JSON text in Sightline's profile.
struct FeedEvent
{
    qint64 sequence = 0; // 1, 2, 3... in emission order
    qint64 timeMs = 0;   // when it happened (simulated)
    QString type;        // the milestone
    QByteArray json;
};

// What a business write did.
struct WriteResult
{
    enum class Outcome { Applied, NotFound, Conflict, Invalid };
    Outcome outcome = Outcome::Applied;
    QString reason;
    QJsonObject record;
};

// Collections of the three systems.
namespace collection {
inline const QString SalesOrders = QStringLiteral("sales_orders");
inline const QString PurchaseOrders = QStringLiteral("purchase_orders");
inline const QString Messages = QStringLiteral("messages");
inline const QString DeadLetters = QStringLiteral("dead_letters");
inline const QString Shipments = QStringLiteral("shipments");
inline const QString Receipts = QStringLiteral("receipts");
inline const QString Acknowledgments = QStringLiteral("acknowledgments");
inline const QString Asns = QStringLiteral("asns");
inline const QString SupplierInvoices = QStringLiteral("supplier_invoices");
} // namespace collection

// A seeded, deterministic simulation of a distributor's ERP, WMS and supplier portal: sales
// orders through the sales milestones, purchase orders through acknowledgment, ASN, receipt and
// invoice match, with trouble at configurable rates. Time only moves through advanceTo(): the
// same config advanced to the same instant gives the same records and the same events.
class Scenario
{
public:
    explicit Scenario(ScenarioConfig config);

    const ScenarioConfig &config() const { return m_config; }
    const QList<Warehouse> &warehouses() const { return m_warehouses; }
    const RecordStore &records() const { return m_records; }
    const QList<FeedEvent> &events() const { return m_events; }
    qint64 generatedUntilMs() const { return m_untilMs; }

    // Runs everything that happens up to untilMs; returns how many events were emitted.
    qsizetype advanceTo(qint64 untilMs);

    // What was generated: counts by event type and collection, identifiers, trouble, orphans.
    QJsonObject inspect() const;

    // Business writes, applied at simulated instant nowMs.
    WriteResult resubmitMessage(const QString &messageId, qint64 nowMs);
    WriteResult correctPoLine(const QString &poNumber, int line, std::optional<double> quantity,
                              std::optional<QDate> promisedDate, qint64 nowMs);
    WriteResult adjustReceipt(const QString &receiptNumber, int line, double quantity, qint64 nowMs);
    WriteResult cancelLine(const QString &collectionName, const QString &number, int line, qint64 nowMs);

private:
    using Action = std::function<void(qint64)>;
    struct EventSpec
    {
        QString system;
        QString milestone;
        QString kind;
        QString key;
        QJsonObject identifiers;
        QJsonArray links;
        QString status;
        QString partner;
        QString warehouse;
        QJsonObject extra;
    };

    void schedule(qint64 atMs, Action action);
    // Emits an event now, or later when the late_event trouble strikes.
    void emitEvent(qint64 atMs, const EventSpec &spec);
    void appendEvent(qint64 atMs, const EventSpec &spec);
    void update(const QString &coll, const QString &id, qint64 atMs,
                const std::function<void(QJsonObject &)> &change);
    const Warehouse &warehouse(const QString &code) const;
    bool trouble(const QString &kind);
    QString nextNumber(const QString &prefix);

    void hourTick(qint64 atMs);
    void emitOrphan(qint64 atMs);
    void createSalesOrder(qint64 atMs);
    void validateSalesOrder(const QString &so, qint64 atMs);
    void releaseSalesOrder(const QString &so, qint64 atMs);
    void pickSalesOrder(const QString &so, qint64 atMs);
    void packSalesOrder(const QString &so, qint64 atMs);
    void dispatchSalesOrder(const QString &so, qint64 atMs);
    void deliverShipment(const QString &so, qint64 atMs);
    void invoiceSalesOrder(const QString &so, qint64 atMs);
    void createPurchaseOrder(qint64 atMs);
    void sendPurchaseOrder(const QString &po, qint64 atMs);
    void acknowledgePurchaseOrder(const QString &po, qint64 atMs);
    void shipAsn(const QString &po, qint64 atMs);
    void receiveAsn(const QString &po, qint64 atMs);
    void invoicePurchaseOrder(const QString &po, qint64 atMs);
    void matchInvoice(const QString &po, qint64 atMs);

    // Sends a message between systems; `delivered` runs once it arrives (now or after a resubmit).
    void sendMessage(qint64 atMs, const QString &destination, const QString &endpoint, const QString &docKind,
                     const QString &docKey, const QJsonObject &payload, Action delivered);
    bool allLinesCancelled(const QJsonObject &order) const;

    ScenarioConfig m_config;
    Random m_random;
    QList<Warehouse> m_warehouses;
    QStringList m_customers;
    QStringList m_suppliers;
    QList<QPair<QString, double>> m_products;
    RecordStore m_records;
    QList<FeedEvent> m_events;
    std::map<std::pair<qint64, quint64>, Action> m_agenda;
    quint64 m_agendaOrder = 0;
    qint64 m_untilMs = 0;
    QHash<QString, Action> m_waitingForResubmit;
    QHash<QString, int> m_counters;
    QMap<QString, int> m_eventCounts;
    QMap<QString, int> m_troubleCounts;
    QStringList m_orphans;
};

} // namespace sightline::sandbox
