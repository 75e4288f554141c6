#include "models/sandbox/scenario.h"

#include "models/sandbox/sandboxlog.h"

#include <QJsonDocument>
#include <cmath>

namespace sightline::sandbox {

namespace {
constexpr qint64 kMinuteMs = 60 * 1000;
constexpr qint64 kHourMs = 60 * kMinuteMs;
constexpr qint64 kDayMs = 24 * kHourMs;

QString isoTime(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODate);
}

QJsonObject link(const QString &kind, const QString &key, const QString &relation)
{
    return {
        {QStringLiteral("kind"), kind}, {QStringLiteral("key"), key}, {QStringLiteral("relation"), relation}};
}

QString str(const QJsonObject &o, const char *key)
{
    return o.value(QLatin1String(key)).toString();
}

// Applies `change` to every line object of an order (lines are kept as a JSON array).
void forEachLine(QJsonObject &order, const std::function<void(QJsonObject &)> &change)
{
    QJsonArray lines = order.value(QStringLiteral("lines")).toArray();
    for (qsizetype i = 0; i < lines.size(); ++i) {
        QJsonObject line = lines.at(i).toObject();
        change(line);
        lines.replace(i, line);
    }
    order.insert(QStringLiteral("lines"), lines);
}

bool isCancelled(const QJsonObject &line)
{
    return line.value(QStringLiteral("status")).toString() == u"cancelled";
}

double roundQty(double q)
{
    return std::round(q);
}
} // namespace

Scenario::Scenario(ScenarioConfig config) : m_config(std::move(config)), m_random(m_config.seed)
{
    if (!m_config.start.isValid())
        m_config.start = QDateTime(QDate(2026, 11, 20), QTime(8, 0), Qt::UTC);
    m_warehouses = defaultWarehouses(m_config.start.date().year());
    m_customers = {QStringLiteral("Acme Retail"),       QStringLiteral("Northwind Traders"),
                   QStringLiteral("Globex Stores"),     QStringLiteral("Initech Supply"),
                   QStringLiteral("Umbrella Pharmacy"), QStringLiteral("Stark Hardware"),
                   QStringLiteral("Wayne Outfitters"),  QStringLiteral("Tyrell Home")};
    m_suppliers = {QStringLiteral("Contoso Components"), QStringLiteral("Fabrikam Industrial"),
                   QStringLiteral("Litware Packaging"), QStringLiteral("Proseware Metals"),
                   QStringLiteral("Adventure Works Textiles")};
    const char *skus[] = {"SKU-1001", "SKU-1002", "SKU-1003", "SKU-2001", "SKU-2002",
                          "SKU-3001", "SKU-3002", "SKU-4001", "SKU-4002", "SKU-5001"};
    for (const char *sku : skus)
        m_products.append(
            {QString::fromLatin1(sku), static_cast<double>(m_random.between(250, 25000)) / 100.0});
    m_untilMs = m_config.firstMs();
    schedule(m_untilMs, [this](qint64 at) { hourTick(at); });
}

void Scenario::schedule(qint64 atMs, Action action)
{
    m_agenda.emplace(std::make_pair(qMax(atMs, m_untilMs), m_agendaOrder++), std::move(action));
}

qsizetype Scenario::advanceTo(qint64 untilMs)
{
    const qsizetype before = m_events.size();
    while (!m_agenda.empty() && m_agenda.begin()->first.first <= untilMs) {
        const auto first = m_agenda.begin();
        const qint64 at = first->first.first;
        Action action = std::move(first->second);
        m_agenda.erase(first);
        m_untilMs = at;
        action(at);
    }
    m_untilMs = qMax(m_untilMs, untilMs);
    return m_events.size() - before;
}

bool Scenario::trouble(const QString &kind)
{
    const bool hit = m_random.chance(m_config.trouble.rate(kind));
    if (hit)
        ++m_troubleCounts[kind];
    return hit;
}

QString Scenario::nextNumber(const QString &prefix)
{
    const int n = ++m_counters[prefix];
    return prefix + u'-' + QString::number(10000 + n);
}

const Warehouse &Scenario::warehouse(const QString &code) const
{
    for (const Warehouse &w : m_warehouses)
        if (w.code == code)
            return w;
    return m_warehouses.first();
}

void Scenario::emitEvent(qint64 atMs, const EventSpec &spec)
{
    if (trouble(QStringLiteral("late_event"))) {
        // The source reports it late: it reaches the feed after later events, with its own time.
        schedule(atMs + m_random.between(10, 240) * kMinuteMs,
                 [this, atMs, spec](qint64) { appendEvent(atMs, spec); });
        return;
    }
    appendEvent(atMs, spec);
}

void Scenario::appendEvent(qint64 atMs, const EventSpec &spec)
{
    FeedEvent event;
    event.sequence = m_events.size() + 1;
    event.timeMs = atMs;
    event.type = spec.milestone;
    QJsonObject document{{QStringLiteral("kind"), spec.kind}, {QStringLiteral("key"), spec.key}};
    if (!spec.identifiers.isEmpty())
        document.insert(QStringLiteral("identifiers"), spec.identifiers);
    QJsonObject data = spec.extra;
    data.insert(QStringLiteral("document"), document);
    if (!spec.links.isEmpty())
        data.insert(QStringLiteral("links"), spec.links);
    data.insert(QStringLiteral("system"), spec.system);
    data.insert(QStringLiteral("status"), spec.status);
    data.insert(QStringLiteral("milestone"), spec.milestone);
    if (!spec.partner.isEmpty())
        data.insert(QStringLiteral("partner"), spec.partner);
    if (!spec.warehouse.isEmpty())
        data.insert(QStringLiteral("warehouse"), spec.warehouse);
    const QJsonObject ce{
        {QStringLiteral("specversion"), QStringLiteral("1.0")},
        {QStringLiteral("id"),
         QString(spec.system + u'-' + QString::number(event.sequence).rightJustified(7, u'0'))},
        {QStringLiteral("source"), QString(QStringLiteral("sandbox/") + spec.system)},
        {QStringLiteral("type"),
         QString(QStringLiteral("com.sandbox.") + spec.system + u'.' + spec.milestone)},
        {QStringLiteral("time"), isoTime(atMs)},
        {QStringLiteral("subject"), QString(spec.kind + u'/' + spec.key)},
        {QStringLiteral("datacontenttype"), QStringLiteral("application/json")},
        {QStringLiteral("sequence"), event.sequence},
        {QStringLiteral("data"), data},
    };
    event.json = QJsonDocument(ce).toJson(QJsonDocument::Compact);
    ++m_eventCounts[spec.milestone];
    m_events.append(std::move(event));
}

void Scenario::update(const QString &coll, const QString &id, qint64 atMs,
                      const std::function<void(QJsonObject &)> &change)
{
    const QJsonObject *found = m_records.find(coll, id);
    if (!found)
        return;
    QJsonObject copy = *found;
    change(copy);
    m_records.put(coll, id, atMs, std::move(copy));
}

bool Scenario::allLinesCancelled(const QJsonObject &order) const
{
    const QJsonArray lines = order.value(QStringLiteral("lines")).toArray();
    for (const QJsonValue &line : lines)
        if (!isCancelled(line.toObject()))
            return false;
    return true;
}

// ----- the hourly rhythm -----

void Scenario::hourTick(qint64 atMs)
{
    const int hourUtc = QDateTime::fromMSecsSinceEpoch(atMs, Qt::UTC).time().hour();
    const double busy = (hourUtc >= 6 && hourUtc < 22) ? 1.3 : 0.5;
    auto draw = [this](double mean) {
        const double whole = std::floor(mean);
        return static_cast<int>(whole) + (m_random.chance(mean - whole) ? 1 : 0);
    };
    const int orders = draw(m_config.salesOrdersPerHour * busy);
    for (int i = 0; i < orders; ++i)
        schedule(atMs + m_random.between(0, kHourMs - 1), [this](qint64 at) { createSalesOrder(at); });
    const int pos = draw(m_config.purchaseOrdersPerHour * busy);
    for (int i = 0; i < pos; ++i)
        schedule(atMs + m_random.between(0, kHourMs - 1), [this](qint64 at) { createPurchaseOrder(at); });
    if (trouble(QStringLiteral("orphan_event")))
        schedule(atMs + m_random.between(0, kHourMs - 1), [this](qint64 at) { emitOrphan(at); });
    schedule(atMs + kHourMs, [this](qint64 at) { hourTick(at); });
}

void Scenario::emitOrphan(qint64 atMs)
{
    const Warehouse &wh = m_random.pick(m_warehouses);
    if (m_random.chance(0.5)) {
        const QString so = QStringLiteral("SO-9") + QString::number(m_random.between(10000, 99999));
        const QString shp = nextNumber(QStringLiteral("SHP-X"));
        m_orphans.append(so);
        emitEvent(atMs, {QStringLiteral("wms"),
                         QStringLiteral("shipment.dispatched"),
                         QStringLiteral("shipment"),
                         shp,
                         {},
                         QJsonArray{link(QStringLiteral("sales_order"), so, QStringLiteral("ships"))},
                         QStringLiteral("SHIPPED"),
                         {},
                         wh.code,
                         {{QStringLiteral("orphan"), true}}});
    } else {
        const QString po = QStringLiteral("PO-9") + QString::number(m_random.between(10000, 99999));
        const QString asn = nextNumber(QStringLiteral("ASN-X"));
        m_orphans.append(po);
        emitEvent(atMs,
                  {QStringLiteral("portal"),
                   QStringLiteral("asn.received"),
                   QStringLiteral("asn"),
                   asn,
                   {},
                   QJsonArray{link(QStringLiteral("purchase_order"), po, QStringLiteral("ships_against"))},
                   QStringLiteral("received"),
                   m_random.pick(m_suppliers),
                   wh.code,
                   {{QStringLiteral("orphan"), true}}});
    }
}

// ----- messages between systems -----

void Scenario::sendMessage(qint64 atMs, const QString &destination, const QString &endpoint,
                           const QString &docKind, const QString &docKey, const QJsonObject &payload,
                           Action delivered)
{
    const QString id = nextNumber(QStringLiteral("MSG"));
    const QJsonObject doc{{QStringLiteral("kind"), docKind}, {QStringLiteral("key"), docKey}};
    m_records.put(collection::Messages, id, atMs,
                  {{QStringLiteral("id"), id},
                   {QStringLiteral("source"), QStringLiteral("erp")},
                   {QStringLiteral("destination"), destination},
                   {QStringLiteral("endpoint"), endpoint},
                   {QStringLiteral("document"), doc},
                   {QStringLiteral("payload"), payload},
                   {QStringLiteral("created_at"), isoTime(atMs)},
                   {QStringLiteral("status"), QStringLiteral("sent")},
                   {QStringLiteral("attempts"), 1}});
    const QJsonObject extra{{QStringLiteral("message_id"), id},
                            {QStringLiteral("destination"), destination},
                            {QStringLiteral("endpoint"), endpoint}};
    const QJsonObject idents{{QStringLiteral("message_id"), id}};
    emitEvent(atMs, {QStringLiteral("erp"),
                     QStringLiteral("message.sent"),
                     docKind,
                     docKey,
                     idents,
                     {},
                     QStringLiteral("sent"),
                     {},
                     {},
                     extra});
    const qint64 arrive = atMs + m_random.between(1, 90) * 1000;
    const auto settle = [this, id](qint64 at, const QString &status, int httpStatus, const QString &reason,
                                   int attempts) {
        update(collection::Messages, id, at, [&](QJsonObject &o) {
            o.insert(QStringLiteral("status"), status);
            o.insert(QStringLiteral("http_status"), httpStatus);
            o.insert(QStringLiteral("attempts"), attempts);
            if (!reason.isEmpty())
                o.insert(QStringLiteral("reason"), reason);
        });
    };
    if (trouble(QStringLiteral("rejected_message"))) {
        static const QStringList reasons{QStringLiteral("unknown item number in line 2"),
                                         QStringLiteral("ship-to address missing postal code"),
                                         QStringLiteral("unit of measure 'BX' not allowed for this item"),
                                         QStringLiteral("duplicate document number")};
        const QString reason = m_random.pick(reasons);
        const int status = m_random.chance(0.5) ? 422 : 400;
        schedule(arrive, [=, this, delivered = std::move(delivered)](qint64 at) mutable {
            settle(at, QStringLiteral("rejected"), status, reason, 1);
            QJsonObject failed = extra;
            failed.insert(QStringLiteral("http_status"), status);
            failed.insert(QStringLiteral("reason"), reason);
            failed.insert(QStringLiteral("payload"), payload); // kept for edit-and-resubmit
            emitEvent(at, {QStringLiteral("erp"),
                           QStringLiteral("message.failed"),
                           docKind,
                           docKey,
                           idents,
                           {},
                           QStringLiteral("rejected"),
                           {},
                           {},
                           failed});
            m_waitingForResubmit.insert(id, std::move(delivered));
        });
        return;
    }
    if (trouble(QStringLiteral("failed_delivery"))) {
        const int status = m_random.pick(QList<int>{500, 502, 503, 504});
        const QString reason =
            QStringLiteral("HTTP %1 from %2 after 3 attempts").arg(status).arg(destination);
        const qint64 deadAt = arrive + 15 * kMinuteMs;
        QJsonObject failed = extra;
        failed.insert(QStringLiteral("http_status"), status);
        failed.insert(QStringLiteral("reason"), reason);
        failed.insert(QStringLiteral("payload"), payload); // the dead letter keeps it too
        schedule(arrive, [=, this](qint64 at) {
            settle(at, QStringLiteral("failed"), status, reason, 1);
            emitEvent(at, {QStringLiteral("erp"),
                           QStringLiteral("message.failed"),
                           docKind,
                           docKey,
                           idents,
                           {},
                           QStringLiteral("failed"),
                           {},
                           {},
                           failed});
        });
        schedule(deadAt, [=, this, delivered = std::move(delivered)](qint64 at) mutable {
            settle(at, QStringLiteral("dead_lettered"), status, reason, 3);
            const QString dlq = nextNumber(QStringLiteral("DLQ"));
            m_records.put(collection::DeadLetters, dlq, at,
                          {{QStringLiteral("id"), dlq},
                           {QStringLiteral("message_id"), id},
                           {QStringLiteral("destination"), destination},
                           {QStringLiteral("endpoint"), endpoint},
                           {QStringLiteral("document"), doc},
                           {QStringLiteral("payload"), payload},
                           {QStringLiteral("http_status"), status},
                           {QStringLiteral("reason"), reason},
                           {QStringLiteral("status"), QStringLiteral("dead")},
                           {QStringLiteral("dead_lettered_at"), isoTime(at)}});
            QJsonObject dead = failed;
            dead.insert(QStringLiteral("dead_letter_id"), dlq);
            emitEvent(at, {QStringLiteral("erp"),
                           QStringLiteral("message.dead_lettered"),
                           docKind,
                           docKey,
                           idents,
                           {},
                           QStringLiteral("dead_lettered"),
                           {},
                           {},
                           dead});
            m_waitingForResubmit.insert(id, std::move(delivered));
        });
        return;
    }
    schedule(arrive, [=, this, delivered = std::move(delivered)](qint64 at) mutable {
        settle(at, QStringLiteral("delivered"), 202, {}, 1);
        emitEvent(at, {QStringLiteral("erp"),
                       QStringLiteral("message.delivered"),
                       docKind,
                       docKey,
                       idents,
                       {},
                       QStringLiteral("delivered"),
                       {},
                       {},
                       extra});
        delivered(at);
    });
}

// ----- sales orders -----

void Scenario::createSalesOrder(qint64 atMs)
{
    const QString so = nextNumber(QStringLiteral("SO"));
    const QString customer = m_random.pick(m_customers);
    const QString customerPo = QStringLiteral("CPO-") + QString::number(m_random.between(100000, 999999));
    const Warehouse &wh = m_random.pick(m_warehouses);
    QJsonArray lines;
    const int lineCount = static_cast<int>(m_random.between(1, 4));
    for (int i = 1; i <= lineCount; ++i) {
        const auto &product = m_random.pick(m_products);
        lines.append(QJsonObject{{QStringLiteral("line"), i},
                                 {QStringLiteral("sku"), product.first},
                                 {QStringLiteral("quantity"), static_cast<double>(m_random.between(1, 60))},
                                 {QStringLiteral("unit_price"), product.second},
                                 {QStringLiteral("status"), QStringLiteral("open")}});
    }
    m_records.put(collection::SalesOrders, so, atMs,
                  {{QStringLiteral("id"), so},
                   {QStringLiteral("customer"), customer},
                   {QStringLiteral("customer_po"), customerPo},
                   {QStringLiteral("warehouse"), wh.code},
                   {QStringLiteral("status"), QStringLiteral("created")},
                   {QStringLiteral("created_at"), isoTime(atMs)},
                   {QStringLiteral("lines"), lines}});
    emitEvent(atMs, {QStringLiteral("erp"),
                     QStringLiteral("order.created"),
                     QStringLiteral("sales_order"),
                     so,
                     {{QStringLiteral("customer_po"), customerPo}},
                     {},
                     QStringLiteral("created"),
                     customer,
                     wh.code,
                     {{QStringLiteral("lines"), lines}}});
    schedule(atMs + m_random.between(5, 30) * kMinuteMs,
             [this, so](qint64 at) { validateSalesOrder(so, at); });
}

void Scenario::validateSalesOrder(const QString &so, qint64 atMs)
{
    const QJsonObject order = *m_records.find(collection::SalesOrders, so);
    if (allLinesCancelled(order))
        return;
    update(collection::SalesOrders, so, atMs,
           [](QJsonObject &o) { o.insert(QStringLiteral("status"), QStringLiteral("validated")); });
    emitEvent(atMs, {QStringLiteral("erp"),
                     QStringLiteral("order.validated"),
                     QStringLiteral("sales_order"),
                     so,
                     {},
                     {},
                     QStringLiteral("validated"),
                     str(order, "customer"),
                     str(order, "warehouse"),
                     {}});
    schedule(atMs + m_random.between(10, 150) * kMinuteMs,
             [this, so](qint64 at) { releaseSalesOrder(so, at); });
}

void Scenario::releaseSalesOrder(const QString &so, qint64 atMs)
{
    const QJsonObject order = *m_records.find(collection::SalesOrders, so);
    if (allLinesCancelled(order))
        return;
    const QString release = nextNumber(QStringLiteral("REL"));
    const QString shipment = nextNumber(QStringLiteral("SHP"));
    update(collection::SalesOrders, so, atMs, [&](QJsonObject &o) {
        o.insert(QStringLiteral("status"), QStringLiteral("released"));
        o.insert(QStringLiteral("release"), release);
    });
    emitEvent(atMs, {QStringLiteral("erp"),
                     QStringLiteral("order.released"),
                     QStringLiteral("sales_order"),
                     so,
                     {},
                     QJsonArray{link(QStringLiteral("release"), release, QStringLiteral("released_as"))},
                     QStringLiteral("released"),
                     str(order, "customer"),
                     str(order, "warehouse"),
                     {}});
    const QJsonObject payload{{QStringLiteral("release"), release},
                              {QStringLiteral("sales_order"), so},
                              {QStringLiteral("warehouse"), str(order, "warehouse")},
                              {QStringLiteral("lines"), order.value(QStringLiteral("lines"))}};
    sendMessage(atMs, QStringLiteral("wms"), QStringLiteral("/wms/api/v1/releases"),
                QStringLiteral("release"), release, payload, [this, so, release, shipment, order](qint64 at) {
                    m_records.put(collection::Shipments, shipment, at,
                                  {{QStringLiteral("id"), shipment},
                                   {QStringLiteral("release"), release},
                                   {QStringLiteral("sales_order"), so},
                                   {QStringLiteral("warehouse"), str(order, "warehouse")},
                                   {QStringLiteral("customer"), str(order, "customer")},
                                   {QStringLiteral("status"), QStringLiteral("RELEASED")},
                                   {QStringLiteral("lines"), order.value(QStringLiteral("lines"))}});
                    update(collection::SalesOrders, so, at,
                           [&](QJsonObject &o) { o.insert(QStringLiteral("shipment"), shipment); });
                    const Warehouse &wh = warehouse(str(order, "warehouse"));
                    schedule(wh.addWorkingMs(at, m_random.between(30, 240) * kMinuteMs),
                             [this, so](qint64 t) { pickSalesOrder(so, t); });
                });
}

void Scenario::pickSalesOrder(const QString &so, qint64 atMs)
{
    const QJsonObject order = *m_records.find(collection::SalesOrders, so);
    if (allLinesCancelled(order))
        return;
    const QString shipment = str(order, "shipment");
    update(collection::Shipments, shipment, atMs,
           [](QJsonObject &o) { o.insert(QStringLiteral("status"), QStringLiteral("PICKED")); });
    update(collection::SalesOrders, so, atMs,
           [](QJsonObject &o) { o.insert(QStringLiteral("status"), QStringLiteral("picking")); });
    emitEvent(atMs, {QStringLiteral("wms"),
                     QStringLiteral("pick.confirmed"),
                     QStringLiteral("release"),
                     str(order, "release"),
                     {},
                     QJsonArray{link(QStringLiteral("sales_order"), so, QStringLiteral("fulfils"))},
                     QStringLiteral("PICKED"),
                     str(order, "customer"),
                     str(order, "warehouse"),
                     {}});
    const Warehouse &wh = warehouse(str(order, "warehouse"));
    schedule(wh.addWorkingMs(atMs, m_random.between(15, 60) * kMinuteMs),
             [this, so](qint64 t) { packSalesOrder(so, t); });
}

void Scenario::packSalesOrder(const QString &so, qint64 atMs)
{
    const QJsonObject order = *m_records.find(collection::SalesOrders, so);
    if (allLinesCancelled(order))
        return;
    update(collection::Shipments, str(order, "shipment"), atMs,
           [](QJsonObject &o) { o.insert(QStringLiteral("status"), QStringLiteral("PACKED")); });
    emitEvent(atMs, {QStringLiteral("wms"),
                     QStringLiteral("pack.confirmed"),
                     QStringLiteral("release"),
                     str(order, "release"),
                     {},
                     QJsonArray{link(QStringLiteral("sales_order"), so, QStringLiteral("fulfils"))},
                     QStringLiteral("PACKED"),
                     str(order, "customer"),
                     str(order, "warehouse"),
                     {}});
    const Warehouse &wh = warehouse(str(order, "warehouse"));
    schedule(wh.addWorkingMs(atMs, m_random.between(30, 180) * kMinuteMs),
             [this, so](qint64 t) { dispatchSalesOrder(so, t); });
}

void Scenario::dispatchSalesOrder(const QString &so, qint64 atMs)
{
    const QJsonObject order = *m_records.find(collection::SalesOrders, so);
    if (allLinesCancelled(order))
        return;
    const QString shipment = str(order, "shipment");
    const QString sscc =
        QStringLiteral("00") + QString::number(m_random.between(1000000000000000LL, 9999999999999999LL));
    const QString tracking =
        QStringLiteral("1Z") + QString::number(m_random.between(100000000000LL, 999999999999LL));
    update(collection::Shipments, shipment, atMs, [&](QJsonObject &o) {
        o.insert(QStringLiteral("status"), QStringLiteral("SHIPPED"));
        o.insert(QStringLiteral("sscc"), sscc);
        o.insert(QStringLiteral("tracking"), tracking);
        o.insert(QStringLiteral("shipped_at"), isoTime(atMs));
    });
    const bool conflict = trouble(QStringLiteral("status_conflict"));
    update(collection::SalesOrders, so, atMs, [&](QJsonObject &o) {
        o.insert(QStringLiteral("status"), conflict ? QStringLiteral("picking") : QStringLiteral("shipped"));
        forEachLine(o, [](QJsonObject &line) {
            if (!isCancelled(line))
                line.insert(QStringLiteral("status"), QStringLiteral("shipped"));
        });
    });
    emitEvent(atMs,
              {QStringLiteral("wms"),
               QStringLiteral("shipment.dispatched"),
               QStringLiteral("shipment"),
               shipment,
               {{QStringLiteral("sscc"), sscc}, {QStringLiteral("tracking"), tracking}},
               QJsonArray{link(QStringLiteral("sales_order"), so, QStringLiteral("ships")),
                          link(QStringLiteral("release"), str(order, "release"), QStringLiteral("ships"))},
               QStringLiteral("SHIPPED"),
               str(order, "customer"),
               str(order, "warehouse"),
               {}});
    if (conflict) {
        // The ERP still reports picking after the warehouse shipped, then catches up hours later.
        const qint64 echo = atMs + m_random.between(5, 30) * kMinuteMs;
        schedule(echo, [this, so, order](qint64 t) {
            emitEvent(t, {QStringLiteral("erp"),
                          QStringLiteral("pick.confirmed"),
                          QStringLiteral("sales_order"),
                          so,
                          {},
                          {},
                          QStringLiteral("picking"),
                          str(order, "customer"),
                          str(order, "warehouse"),
                          {{QStringLiteral("status_conflict"), true}}});
        });
        schedule(atMs + m_random.between(90, 360) * kMinuteMs, [this, so](qint64 t) {
            update(collection::SalesOrders, so, t,
                   [](QJsonObject &o) { o.insert(QStringLiteral("status"), QStringLiteral("shipped")); });
        });
    }
    schedule(atMs + m_random.between(20, 100) * kHourMs, [this, so](qint64 t) { deliverShipment(so, t); });
    schedule(atMs + m_random.between(60, 360) * kMinuteMs,
             [this, so](qint64 t) { invoiceSalesOrder(so, t); });
}

void Scenario::deliverShipment(const QString &so, qint64 atMs)
{
    const QJsonObject order = *m_records.find(collection::SalesOrders, so);
    const QString shipment = str(order, "shipment");
    update(collection::Shipments, shipment, atMs,
           [](QJsonObject &o) { o.insert(QStringLiteral("status"), QStringLiteral("DELIVERED")); });
    emitEvent(atMs, {QStringLiteral("carrier"),
                     QStringLiteral("shipment.delivered"),
                     QStringLiteral("shipment"),
                     shipment,
                     {},
                     QJsonArray{link(QStringLiteral("sales_order"), so, QStringLiteral("ships"))},
                     QStringLiteral("delivered"),
                     str(order, "customer"),
                     str(order, "warehouse"),
                     {}});
}

void Scenario::invoiceSalesOrder(const QString &so, qint64 atMs)
{
    const QJsonObject order = *m_records.find(collection::SalesOrders, so);
    const QString invoice = nextNumber(QStringLiteral("INV"));
    double total = 0;
    for (const QJsonValue &v : order.value(QStringLiteral("lines")).toArray()) {
        const QJsonObject line = v.toObject();
        if (!isCancelled(line))
            total += line.value(QStringLiteral("quantity")).toDouble() *
                     line.value(QStringLiteral("unit_price")).toDouble();
    }
    total = std::round(total * 100.0) / 100.0;
    update(collection::SalesOrders, so, atMs, [&](QJsonObject &o) {
        o.insert(QStringLiteral("invoice"), invoice);
        o.insert(QStringLiteral("invoice_total"), total);
    });
    emitEvent(atMs, {QStringLiteral("erp"),
                     QStringLiteral("invoice.posted"),
                     QStringLiteral("invoice"),
                     invoice,
                     {},
                     QJsonArray{link(QStringLiteral("sales_order"), so, QStringLiteral("bills"))},
                     QStringLiteral("posted"),
                     str(order, "customer"),
                     str(order, "warehouse"),
                     {{QStringLiteral("total"), total}}});
}

// ----- purchase orders -----

void Scenario::createPurchaseOrder(qint64 atMs)
{
    const QString po = nextNumber(QStringLiteral("PO"));
    const QString supplier = m_random.pick(m_suppliers);
    const Warehouse &wh = m_random.pick(m_warehouses);
    QJsonArray lines;
    const int lineCount = static_cast<int>(m_random.between(1, 4));
    for (int i = 1; i <= lineCount; ++i) {
        const auto &product = m_random.pick(m_products);
        const QDate promised =
            QDateTime::fromMSecsSinceEpoch(atMs + m_random.between(5, 15) * kDayMs, Qt::UTC).date();
        lines.append(
            QJsonObject{{QStringLiteral("line"), i},
                        {QStringLiteral("sku"), product.first},
                        {QStringLiteral("quantity"), static_cast<double>(m_random.between(2, 50) * 10)},
                        {QStringLiteral("unit_price"), std::round(product.second * 60.0) / 100.0},
                        {QStringLiteral("promised_date"), promised.toString(Qt::ISODate)},
                        {QStringLiteral("received_quantity"), 0.0},
                        {QStringLiteral("status"), QStringLiteral("open")}});
    }
    m_records.put(collection::PurchaseOrders, po, atMs,
                  {{QStringLiteral("id"), po},
                   {QStringLiteral("supplier"), supplier},
                   {QStringLiteral("warehouse"), wh.code},
                   {QStringLiteral("status"), QStringLiteral("created")},
                   {QStringLiteral("created_at"), isoTime(atMs)},
                   {QStringLiteral("lines"), lines}});
    emitEvent(atMs, {QStringLiteral("erp"),
                     QStringLiteral("po.created"),
                     QStringLiteral("purchase_order"),
                     po,
                     {},
                     {},
                     QStringLiteral("created"),
                     supplier,
                     wh.code,
                     {{QStringLiteral("lines"), lines}}});
    schedule(atMs + m_random.between(10, 60) * kMinuteMs,
             [this, po](qint64 at) { sendPurchaseOrder(po, at); });
}

void Scenario::sendPurchaseOrder(const QString &po, qint64 atMs)
{
    const QJsonObject order = *m_records.find(collection::PurchaseOrders, po);
    if (allLinesCancelled(order))
        return;
    update(collection::PurchaseOrders, po, atMs,
           [](QJsonObject &o) { o.insert(QStringLiteral("status"), QStringLiteral("sent")); });
    emitEvent(atMs, {QStringLiteral("erp"),
                     QStringLiteral("po.sent"),
                     QStringLiteral("purchase_order"),
                     po,
                     {},
                     {},
                     QStringLiteral("sent"),
                     str(order, "supplier"),
                     str(order, "warehouse"),
                     {}});
    const QJsonObject payload{{QStringLiteral("purchase_order"), po},
                              {QStringLiteral("supplier"), str(order, "supplier")},
                              {QStringLiteral("ship_to"), str(order, "warehouse")},
                              {QStringLiteral("lines"), order.value(QStringLiteral("lines"))}};
    sendMessage(atMs, QStringLiteral("portal"), QStringLiteral("/portal/api/v1/orders"),
                QStringLiteral("purchase_order"), po, payload, [this, po](qint64 at) {
                    const bool late = trouble(QStringLiteral("late_ack"));
                    const qint64 delay =
                        late ? m_random.between(26, 72) * kHourMs : m_random.between(2, 20) * kHourMs;
                    schedule(at + delay, [this, po](qint64 t) { acknowledgePurchaseOrder(po, t); });
                });
}

void Scenario::acknowledgePurchaseOrder(const QString &po, qint64 atMs)
{
    const QJsonObject order = *m_records.find(collection::PurchaseOrders, po);
    if (allLinesCancelled(order))
        return;
    const bool partial = trouble(QStringLiteral("partial_ack"));
    const QString ack = nextNumber(QStringLiteral("ACK"));
    QJsonArray ackLines;
    bool changed = false;
    QJsonObject updated = order;
    forEachLine(updated, [&](QJsonObject &line) {
        if (isCancelled(line))
            return;
        double qty = line.value(QStringLiteral("quantity")).toDouble();
        QDate promised =
            QDate::fromString(line.value(QStringLiteral("promised_date")).toString(), Qt::ISODate);
        if (partial && !changed) {
            changed = true;
            if (m_random.chance(0.5))
                qty = roundQty(qty * m_random.betweenReal(0.4, 0.9));
            else
                promised = promised.addDays(m_random.between(3, 9));
        }
        line.insert(QStringLiteral("acknowledged_quantity"), qty);
        line.insert(QStringLiteral("promised_date"), promised.toString(Qt::ISODate));
        ackLines.append(QJsonObject{{QStringLiteral("line"), line.value(QStringLiteral("line"))},
                                    {QStringLiteral("quantity"), qty},
                                    {QStringLiteral("promised_date"), promised.toString(Qt::ISODate)}});
    });
    const QString ackStatus = changed ? QStringLiteral("changed") : QStringLiteral("accepted");
    updated.insert(QStringLiteral("status"), QStringLiteral("acknowledged"));
    updated.insert(QStringLiteral("acknowledgment"), ack);
    m_records.put(collection::PurchaseOrders, po, atMs, updated);
    m_records.put(collection::Acknowledgments, ack, atMs,
                  {{QStringLiteral("id"), ack},
                   {QStringLiteral("purchase_order"), po},
                   {QStringLiteral("supplier"), str(order, "supplier")},
                   {QStringLiteral("status"), ackStatus},
                   {QStringLiteral("lines"), ackLines}});
    emitEvent(atMs, {QStringLiteral("portal"),
                     QStringLiteral("po.acknowledged"),
                     QStringLiteral("po_acknowledgment"),
                     ack,
                     {},
                     QJsonArray{link(QStringLiteral("purchase_order"), po, QStringLiteral("acknowledges"))},
                     ackStatus,
                     str(order, "supplier"),
                     str(order, "warehouse"),
                     {{QStringLiteral("lines"), ackLines}}});
    schedule(atMs + m_random.between(24, 120) * kHourMs, [this, po](qint64 t) { shipAsn(po, t); });
}

void Scenario::shipAsn(const QString &po, qint64 atMs)
{
    const QJsonObject order = *m_records.find(collection::PurchaseOrders, po);
    if (allLinesCancelled(order))
        return;
    const bool mismatch = trouble(QStringLiteral("asn_mismatch"));
    const QString asn = nextNumber(QStringLiteral("ASN"));
    const QString sscc =
        QStringLiteral("00") + QString::number(m_random.between(1000000000000000LL, 9999999999999999LL));
    QJsonArray asnLines;
    bool bent = false;
    for (const QJsonValue &v : order.value(QStringLiteral("lines")).toArray()) {
        const QJsonObject line = v.toObject();
        if (isCancelled(line))
            continue;
        double qty = line.value(QStringLiteral("acknowledged_quantity"))
                         .toDouble(line.value(QStringLiteral("quantity")).toDouble());
        if (mismatch && !bent) {
            bent = true;
            qty = roundQty(qty * m_random.betweenReal(0.6, 0.9));
        }
        asnLines.append(QJsonObject{{QStringLiteral("line"), line.value(QStringLiteral("line"))},
                                    {QStringLiteral("sku"), line.value(QStringLiteral("sku"))},
                                    {QStringLiteral("quantity"), qty}});
    }
    update(collection::PurchaseOrders, po, atMs, [&](QJsonObject &o) {
        o.insert(QStringLiteral("status"), QStringLiteral("in_transit"));
        o.insert(QStringLiteral("asn"), asn);
    });
    m_records.put(collection::Asns, asn, atMs,
                  {{QStringLiteral("id"), asn},
                   {QStringLiteral("purchase_order"), po},
                   {QStringLiteral("supplier"), str(order, "supplier")},
                   {QStringLiteral("ship_to"), str(order, "warehouse")},
                   {QStringLiteral("sscc"), sscc},
                   {QStringLiteral("lines"), asnLines}});
    emitEvent(atMs, {QStringLiteral("portal"),
                     QStringLiteral("asn.received"),
                     QStringLiteral("asn"),
                     asn,
                     {{QStringLiteral("sscc"), sscc}},
                     QJsonArray{link(QStringLiteral("purchase_order"), po, QStringLiteral("ships_against"))},
                     QStringLiteral("received"),
                     str(order, "supplier"),
                     str(order, "warehouse"),
                     {{QStringLiteral("lines"), asnLines}}});
    const Warehouse &wh = warehouse(str(order, "warehouse"));
    schedule(wh.addWorkingMs(atMs + m_random.between(4, 40) * kHourMs, m_random.between(10, 120) * kMinuteMs),
             [this, po](qint64 t) { receiveAsn(po, t); });
}

void Scenario::receiveAsn(const QString &po, qint64 atMs)
{
    const QJsonObject order = *m_records.find(collection::PurchaseOrders, po);
    const QString asn = str(order, "asn");
    const QJsonObject *asnRecord = m_records.find(collection::Asns, asn);
    if (!asnRecord)
        return;
    const bool off = trouble(QStringLiteral("receipt_tolerance"));
    const QString receipt = nextNumber(QStringLiteral("REC"));
    QJsonArray receiptLines;
    QHash<int, double> received;
    bool bent = false;
    for (const QJsonValue &v : asnRecord->value(QStringLiteral("lines")).toArray()) {
        const QJsonObject line = v.toObject();
        const double expected = line.value(QStringLiteral("quantity")).toDouble();
        double qty = expected;
        if (off && !bent && expected > 0) {
            bent = true;
            const double factor =
                m_random.chance(0.5) ? m_random.betweenReal(0.8, 0.95) : m_random.betweenReal(1.05, 1.2);
            qty = qMax(1.0, roundQty(expected * factor));
        }
        received.insert(line.value(QStringLiteral("line")).toInt(), qty);
        receiptLines.append(QJsonObject{{QStringLiteral("line"), line.value(QStringLiteral("line"))},
                                        {QStringLiteral("sku"), line.value(QStringLiteral("sku"))},
                                        {QStringLiteral("expected_quantity"), expected},
                                        {QStringLiteral("received_quantity"), qty}});
    }
    update(collection::PurchaseOrders, po, atMs, [&](QJsonObject &o) {
        o.insert(QStringLiteral("status"), QStringLiteral("received"));
        o.insert(QStringLiteral("receipt"), receipt);
        forEachLine(o, [&](QJsonObject &line) {
            const int n = line.value(QStringLiteral("line")).toInt();
            if (received.contains(n)) {
                line.insert(QStringLiteral("received_quantity"), received.value(n));
                line.insert(QStringLiteral("status"), QStringLiteral("received"));
            }
        });
    });
    m_records.put(collection::Receipts, receipt, atMs,
                  {{QStringLiteral("id"), receipt},
                   {QStringLiteral("asn"), asn},
                   {QStringLiteral("purchase_order"), po},
                   {QStringLiteral("warehouse"), str(order, "warehouse")},
                   {QStringLiteral("status"), QStringLiteral("POSTED")},
                   {QStringLiteral("lines"), receiptLines}});
    emitEvent(atMs, {QStringLiteral("wms"),
                     QStringLiteral("receipt.posted"),
                     QStringLiteral("receipt"),
                     receipt,
                     {},
                     QJsonArray{link(QStringLiteral("asn"), asn, QStringLiteral("receives")),
                                link(QStringLiteral("purchase_order"), po, QStringLiteral("receives"))},
                     QStringLiteral("POSTED"),
                     str(order, "supplier"),
                     str(order, "warehouse"),
                     {{QStringLiteral("lines"), receiptLines}}});
    schedule(atMs + m_random.between(1, 48) * kHourMs, [this, po](qint64 t) { invoicePurchaseOrder(po, t); });
}

void Scenario::invoicePurchaseOrder(const QString &po, qint64 atMs)
{
    const QJsonObject order = *m_records.find(collection::PurchaseOrders, po);
    const QJsonObject *asnRecord = m_records.find(collection::Asns, str(order, "asn"));
    if (!asnRecord)
        return;
    const bool priceOff = trouble(QStringLiteral("invoice_price"));
    const QString invoice = nextNumber(QStringLiteral("SINV"));
    QHash<int, double> prices;
    for (const QJsonValue &v : order.value(QStringLiteral("lines")).toArray())
        prices.insert(v.toObject().value(QStringLiteral("line")).toInt(),
                      v.toObject().value(QStringLiteral("unit_price")).toDouble());
    QJsonArray invoiceLines;
    bool bent = false;
    for (const QJsonValue &v : asnRecord->value(QStringLiteral("lines")).toArray()) {
        const QJsonObject line = v.toObject();
        double price = prices.value(line.value(QStringLiteral("line")).toInt());
        if (priceOff && !bent) {
            bent = true;
            price = std::round(price * m_random.betweenReal(1.03, 1.12) * 100.0) / 100.0;
        }
        invoiceLines.append(QJsonObject{{QStringLiteral("line"), line.value(QStringLiteral("line"))},
                                        {QStringLiteral("quantity"), line.value(QStringLiteral("quantity"))},
                                        {QStringLiteral("unit_price"), price}});
    }
    m_records.put(collection::SupplierInvoices, invoice, atMs,
                  {{QStringLiteral("id"), invoice},
                   {QStringLiteral("purchase_order"), po},
                   {QStringLiteral("supplier"), str(order, "supplier")},
                   {QStringLiteral("status"), QStringLiteral("received")},
                   {QStringLiteral("lines"), invoiceLines}});
    update(collection::PurchaseOrders, po, atMs,
           [&](QJsonObject &o) { o.insert(QStringLiteral("supplier_invoice"), invoice); });
    emitEvent(atMs, {QStringLiteral("portal"),
                     QStringLiteral("invoice.received"),
                     QStringLiteral("supplier_invoice"),
                     invoice,
                     {},
                     QJsonArray{link(QStringLiteral("purchase_order"), po, QStringLiteral("bills"))},
                     QStringLiteral("received"),
                     str(order, "supplier"),
                     str(order, "warehouse"),
                     {{QStringLiteral("lines"), invoiceLines}}});
    schedule(atMs + m_random.between(1, 24) * kHourMs, [this, po](qint64 t) { matchInvoice(po, t); });
}

void Scenario::matchInvoice(const QString &po, qint64 atMs)
{
    const QJsonObject order = *m_records.find(collection::PurchaseOrders, po);
    const QString invoice = str(order, "supplier_invoice");
    const QJsonObject *invoiceRecord = m_records.find(collection::SupplierInvoices, invoice);
    if (!invoiceRecord)
        return;
    QHash<int, QJsonObject> poLines;
    for (const QJsonValue &v : order.value(QStringLiteral("lines")).toArray())
        poLines.insert(v.toObject().value(QStringLiteral("line")).toInt(), v.toObject());
    QStringList reasons;
    for (const QJsonValue &v : invoiceRecord->value(QStringLiteral("lines")).toArray()) {
        const QJsonObject line = v.toObject();
        const int n = line.value(QStringLiteral("line")).toInt();
        const QJsonObject poLine = poLines.value(n);
        if (isCancelled(poLine))
            continue;
        const double price = line.value(QStringLiteral("unit_price")).toDouble();
        const double qty = line.value(QStringLiteral("quantity")).toDouble();
        const double received = poLine.value(QStringLiteral("received_quantity")).toDouble();
        if (std::abs(price - poLine.value(QStringLiteral("unit_price")).toDouble()) > 0.005)
            reasons.append(QStringLiteral("line %1: invoiced price %2 differs from PO price %3")
                               .arg(n)
                               .arg(price)
                               .arg(poLine.value(QStringLiteral("unit_price")).toDouble()));
        if (std::abs(qty - received) > 0.02 * qMax(qty, 1.0))
            reasons.append(QStringLiteral("line %1: invoiced quantity %2 differs from received %3")
                               .arg(n)
                               .arg(qty)
                               .arg(received));
    }
    const bool matched = reasons.isEmpty();
    const QString status = matched ? QStringLiteral("matched") : QStringLiteral("disputed");
    update(collection::SupplierInvoices, invoice, atMs, [&](QJsonObject &o) {
        o.insert(QStringLiteral("status"), status);
        o.insert(QStringLiteral("match_reasons"), QJsonArray::fromStringList(reasons));
    });
    update(collection::PurchaseOrders, po, atMs, [&](QJsonObject &o) {
        o.insert(QStringLiteral("status"),
                 matched ? QStringLiteral("closed") : QStringLiteral("invoice_disputed"));
    });
    emitEvent(atMs, {QStringLiteral("erp"),
                     matched ? QStringLiteral("invoice.matched") : QStringLiteral("invoice.disputed"),
                     QStringLiteral("supplier_invoice"),
                     invoice,
                     {},
                     QJsonArray{link(QStringLiteral("purchase_order"), po, QStringLiteral("bills")),
                                link(QStringLiteral("receipt"), str(order, "receipt"),
                                     QStringLiteral("matched_with"))},
                     status,
                     str(order, "supplier"),
                     str(order, "warehouse"),
                     {{QStringLiteral("reasons"), QJsonArray::fromStringList(reasons)}}});
}

// ----- inspection -----

QJsonObject Scenario::inspect() const
{
    QJsonObject byType;
    for (auto it = m_eventCounts.cbegin(); it != m_eventCounts.cend(); ++it)
        byType.insert(it.key(), it.value());
    QJsonObject trouble;
    for (auto it = m_troubleCounts.cbegin(); it != m_troubleCounts.cend(); ++it)
        trouble.insert(it.key(), it.value());
    QJsonObject counts;
    QJsonObject identifiers;
    for (const QString &c : m_records.collections()) {
        counts.insert(c, m_records.count(c));
        identifiers.insert(c, QJsonArray::fromStringList(m_records.ids(c)));
    }
    return {{QStringLiteral("seed"), QString::number(m_config.seed)},
            {QStringLiteral("generated_until"), isoTime(m_untilMs)},
            {QStringLiteral("events"), m_events.size()},
            {QStringLiteral("events_by_type"), byType},
            {QStringLiteral("records"), counts},
            {QStringLiteral("identifiers"), identifiers},
            {QStringLiteral("trouble"), trouble},
            {QStringLiteral("trouble_rates"), m_config.trouble.toJson()},
            {QStringLiteral("orphans"), QJsonArray::fromStringList(m_orphans)}};
}

// ----- business writes -----

namespace {
WriteResult notFound(const QString &what)
{
    return {WriteResult::Outcome::NotFound, QStringLiteral("%1 does not exist").arg(what), {}};
}
WriteResult conflict(const QString &reason)
{
    return {WriteResult::Outcome::Conflict, reason, {}};
}
WriteResult invalid(const QString &reason)
{
    return {WriteResult::Outcome::Invalid, reason, {}};
}

// The line object numbered `line`, or an empty object.
QJsonObject findLine(const QJsonObject &order, int line)
{
    for (const QJsonValue &v : order.value(QStringLiteral("lines")).toArray())
        if (v.toObject().value(QStringLiteral("line")).toInt() == line)
            return v.toObject();
    return {};
}
} // namespace

WriteResult Scenario::resubmitMessage(const QString &messageId, qint64 nowMs)
{
    const qint64 at = qMax(nowMs, m_untilMs);
    const QJsonObject *message = m_records.find(collection::Messages, messageId);
    if (!message)
        return notFound(QStringLiteral("message ") + messageId);
    const QString status = str(*message, "status");
    if (!m_waitingForResubmit.contains(messageId))
        return conflict(
            QStringLiteral("message %1 is %2; only rejected or dead-lettered messages can be resubmitted")
                .arg(messageId, status));
    const QJsonObject doc = message->value(QStringLiteral("document")).toObject();
    const QJsonObject extra{{QStringLiteral("message_id"), messageId},
                            {QStringLiteral("destination"), str(*message, "destination")},
                            {QStringLiteral("endpoint"), str(*message, "endpoint")}};
    const QJsonObject idents{{QStringLiteral("message_id"), messageId}};
    update(collection::Messages, messageId, at, [](QJsonObject &o) {
        o.insert(QStringLiteral("status"), QStringLiteral("delivered"));
        o.insert(QStringLiteral("http_status"), 202);
        o.insert(QStringLiteral("resubmitted"), true);
        o.insert(QStringLiteral("attempts"), o.value(QStringLiteral("attempts")).toInt() + 1);
    });
    for (const QString &dlq : m_records.ids(collection::DeadLetters)) {
        if (str(*m_records.find(collection::DeadLetters, dlq), "message_id") == messageId)
            update(collection::DeadLetters, dlq, at,
                   [](QJsonObject &o) { o.insert(QStringLiteral("status"), QStringLiteral("resubmitted")); });
    }
    appendEvent(at, {QStringLiteral("erp"),
                     QStringLiteral("message.replayed"),
                     str(doc, "kind"),
                     str(doc, "key"),
                     idents,
                     {},
                     QStringLiteral("resubmitted"),
                     {},
                     {},
                     extra});
    appendEvent(at, {QStringLiteral("erp"),
                     QStringLiteral("message.delivered"),
                     str(doc, "kind"),
                     str(doc, "key"),
                     idents,
                     {},
                     QStringLiteral("delivered"),
                     {},
                     {},
                     extra});
    schedule(at, m_waitingForResubmit.take(messageId));
    return {WriteResult::Outcome::Applied, {}, *m_records.find(collection::Messages, messageId)};
}

WriteResult Scenario::correctPoLine(const QString &poNumber, int line, std::optional<double> quantity,
                                    std::optional<QDate> promisedDate, qint64 nowMs)
{
    const qint64 at = qMax(nowMs, m_untilMs);
    const QJsonObject *order = m_records.find(collection::PurchaseOrders, poNumber);
    if (!order)
        return notFound(QStringLiteral("purchase order ") + poNumber);
    const QJsonObject current = findLine(*order, line);
    if (current.isEmpty())
        return notFound(QStringLiteral("line %1 of %2").arg(line).arg(poNumber));
    if (!quantity && !promisedDate)
        return invalid(QStringLiteral("give a quantity, a promised_date or both"));
    if (quantity && *quantity <= 0)
        return invalid(QStringLiteral("quantity must be positive, got %1").arg(*quantity));
    const QString lineStatus = str(current, "status");
    if (lineStatus == u"cancelled" || lineStatus == u"received")
        return conflict(QStringLiteral("line %1 of %2 is %3 and can no longer be corrected")
                            .arg(line)
                            .arg(poNumber, lineStatus));
    update(collection::PurchaseOrders, poNumber, at, [&](QJsonObject &o) {
        forEachLine(o, [&](QJsonObject &l) {
            if (l.value(QStringLiteral("line")).toInt() != line)
                return;
            if (quantity) {
                l.insert(QStringLiteral("quantity"), *quantity);
                l.insert(QStringLiteral("acknowledged_quantity"), *quantity);
            }
            if (promisedDate)
                l.insert(QStringLiteral("promised_date"), promisedDate->toString(Qt::ISODate));
        });
    });
    const QJsonObject updated = *m_records.find(collection::PurchaseOrders, poNumber);
    appendEvent(at, {QStringLiteral("erp"),
                     QStringLiteral("po.sent"),
                     QStringLiteral("purchase_order"),
                     poNumber,
                     {},
                     {},
                     QStringLiteral("revised"),
                     str(updated, "supplier"),
                     str(updated, "warehouse"),
                     {{QStringLiteral("corrected_line"), findLine(updated, line)}}});
    return {WriteResult::Outcome::Applied, {}, updated};
}

WriteResult Scenario::adjustReceipt(const QString &receiptNumber, int line, double quantity, qint64 nowMs)
{
    const qint64 at = qMax(nowMs, m_untilMs);
    const QJsonObject *receipt = m_records.find(collection::Receipts, receiptNumber);
    if (!receipt)
        return notFound(QStringLiteral("receipt ") + receiptNumber);
    if (findLine(*receipt, line).isEmpty())
        return notFound(QStringLiteral("line %1 of %2").arg(line).arg(receiptNumber));
    if (quantity < 0)
        return invalid(QStringLiteral("quantity must not be negative, got %1").arg(quantity));
    const QString po = str(*receipt, "purchase_order");
    const QJsonObject *order = m_records.find(collection::PurchaseOrders, po);
    if (order && str(*order, "status") == u"closed")
        return conflict(QStringLiteral("receipt %1 is closed: the supplier invoice for %2 is already matched")
                            .arg(receiptNumber, po));
    update(collection::Receipts, receiptNumber, at, [&](QJsonObject &o) {
        o.insert(QStringLiteral("status"), QStringLiteral("ADJUSTED"));
        forEachLine(o, [&](QJsonObject &l) {
            if (l.value(QStringLiteral("line")).toInt() == line)
                l.insert(QStringLiteral("received_quantity"), quantity);
        });
    });
    update(collection::PurchaseOrders, po, at, [&](QJsonObject &o) {
        forEachLine(o, [&](QJsonObject &l) {
            if (l.value(QStringLiteral("line")).toInt() == line)
                l.insert(QStringLiteral("received_quantity"), quantity);
        });
    });
    const QJsonObject updated = *m_records.find(collection::Receipts, receiptNumber);
    appendEvent(at, {QStringLiteral("wms"),
                     QStringLiteral("receipt.posted"),
                     QStringLiteral("receipt"),
                     receiptNumber,
                     {},
                     QJsonArray{link(QStringLiteral("purchase_order"), po, QStringLiteral("receives"))},
                     QStringLiteral("ADJUSTED"),
                     {},
                     str(updated, "warehouse"),
                     {{QStringLiteral("lines"), updated.value(QStringLiteral("lines"))}}});
    return {WriteResult::Outcome::Applied, {}, updated};
}

WriteResult Scenario::cancelLine(const QString &collectionName, const QString &number, int line, qint64 nowMs)
{
    const qint64 at = qMax(nowMs, m_untilMs);
    const bool sales = collectionName == collection::SalesOrders;
    if (!sales && collectionName != collection::PurchaseOrders)
        return invalid(QStringLiteral("lines can be cancelled on sales_orders and purchase_orders only"));
    const QJsonObject *order = m_records.find(collectionName, number);
    if (!order)
        return notFound(number);
    const QJsonObject current = findLine(*order, line);
    if (current.isEmpty())
        return notFound(QStringLiteral("line %1 of %2").arg(line).arg(number));
    const QString lineStatus = str(current, "status");
    if (lineStatus != u"open")
        return conflict(
            QStringLiteral("line %1 of %2 is %3 and cannot be cancelled").arg(line).arg(number, lineStatus));
    if (sales && !str(*order, "shipment").isEmpty() &&
        str(*m_records.find(collection::Shipments, str(*order, "shipment")), "status") != u"RELEASED")
        return conflict(QStringLiteral("%1 is already being picked in the warehouse").arg(number));
    update(collectionName, number, at, [&](QJsonObject &o) {
        forEachLine(o, [&](QJsonObject &l) {
            if (l.value(QStringLiteral("line")).toInt() == line)
                l.insert(QStringLiteral("status"), QStringLiteral("cancelled"));
        });
        if (allLinesCancelled(o))
            o.insert(QStringLiteral("status"), QStringLiteral("cancelled"));
    });
    const QJsonObject updated = *m_records.find(collectionName, number);
    if (allLinesCancelled(updated)) {
        const QString kind = sales ? QStringLiteral("sales_order") : QStringLiteral("purchase_order");
        appendEvent(at, {QStringLiteral("erp"),
                         QStringLiteral("order.cancelled"),
                         kind,
                         number,
                         {},
                         {},
                         QStringLiteral("cancelled"),
                         str(updated, sales ? "customer" : "supplier"),
                         str(updated, "warehouse"),
                         {}});
    }
    return {WriteResult::Outcome::Applied, {}, updated};
}

} // namespace sightline::sandbox
