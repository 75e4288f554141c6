#include "connectors/tryton/trytonrecords.h"

#include "models/domain/milestone.h"
#include "models/ingest/jsonspans.h"

#include <QCryptographicHash>
#include <QHash>

namespace sightline::tryton {
namespace {

using json = nlohmann::json;

struct StateMap
{
    const char *state;
    const char16_t *milestone; // nullptr: a state with no canonical milestone
};

// Tryton 6.0's states and the SPEC.md §2 milestones they mean.
const QHash<QString, QHash<QString, QString>> &stateMilestones()
{
    static const QHash<QString, QHash<QString, QString>> kMaps = [] {
        auto table = [](std::initializer_list<StateMap> rows) {
            QHash<QString, QString> m;
            for (const StateMap &r : rows)
                m.insert(QString::fromLatin1(r.state),
                         r.milestone ? QStringView(r.milestone).toString() : QString());
            return m;
        };
        QHash<QString, QHash<QString, QString>> maps;
        maps.insert(QStringLiteral("sale.sale"), table({{"draft", nullptr},
                                                        {"quotation", milestone::QuoteCreated},
                                                        {"confirmed", milestone::OrderValidated},
                                                        {"processing", milestone::OrderReleased},
                                                        {"done", nullptr},
                                                        {"cancelled", milestone::OrderCancelled}}));
        maps.insert(QStringLiteral("stock.shipment.out"), table({{"draft", nullptr},
                                                                 {"waiting", nullptr},
                                                                 {"assigned", nullptr},
                                                                 {"picked", milestone::PickConfirmed},
                                                                 {"packed", milestone::PackConfirmed},
                                                                 {"done", milestone::ShipmentDispatched},
                                                                 {"cancelled", nullptr}}));
        maps.insert(QStringLiteral("purchase.purchase"), table({{"draft", nullptr},
                                                                {"quotation", nullptr},
                                                                {"confirmed", milestone::PoSent},
                                                                {"processing", nullptr},
                                                                {"done", nullptr},
                                                                {"cancelled", nullptr}}));
        maps.insert(QStringLiteral("stock.shipment.in"), table({{"draft", nullptr},
                                                                {"received", milestone::ReceiptPosted},
                                                                {"done", nullptr},
                                                                {"cancelled", nullptr}}));
        return maps;
    }();
    return kMaps;
}

// A member of a record, or null.
const json &member(const json &record, const char *name)
{
    static const json kNull;
    const auto it = record.find(name);
    return it == record.end() ? kNull : *it;
}

// A dotted read ("party.name" comes back as {"party.": {"name": ..., "id": ...}}).
QString related(const json &record, const char *relation, const char *field)
{
    const json &r = member(record, relation);
    return r.is_object() ? textOf(member(r, field)).value_or(QString()) : QString();
}

class RecordMapper
{
public:
    RecordMapper(const QString &connection, const QString &model, qint64 receivedMs, const ReadBefore &before,
                 PageMapping &out)
        : m_connection(connection), m_model(model), m_received(receivedMs), m_before(before), m_out(out)
    {}

    // Maps one record; an error (for the quarantine) when it cannot.
    QString map(const json &record, QByteArrayView raw)
    {
        m_raw = raw.toByteArray();
        m_rawHash = QCryptographicHash::hash(m_raw, QCryptographicHash::Sha1);
        if (!record.is_object() || !member(record, "id").is_number_integer())
            return QStringLiteral("a %1 record without an integer id").arg(m_model);
        m_id = member(record, "id").get<qint64>();
        const auto created = dateTimeOf(member(record, "create_date"));
        if (!created)
            return QStringLiteral("%1 %2: create_date is not a datetime").arg(m_model).arg(m_id);
        const json &written = member(record, "write_date");
        const auto changed = written.is_null() ? created : dateTimeOf(written);
        if (!changed)
            return QStringLiteral("%1 %2: write_date is not a datetime").arg(m_model).arg(m_id);
        m_createdMs = created->toMSecsSinceEpoch();
        m_changedMs = changed->toMSecsSinceEpoch();
        const QString stamp = isoMicros(written.is_null() ? member(record, "create_date") : written);
        if (stamp == m_before.since && m_before.readAtSince.contains(m_id)) {
            ++m_out.unchanged;
            return {};
        }
        if (stamp > m_out.newest) {
            m_out.newest = stamp;
            m_out.newestIds.clear();
        }
        if (stamp == m_out.newest)
            m_out.newestIds.append(m_id);
        if (m_model == u"stock.move")
            return mapMove(record);
        return mapDocument(record);
    }

private:
    QString mapDocument(const json &record)
    {
        const auto state = textOf(member(record, "state"));
        if (!state)
            return QStringLiteral("%1 %2 has no state").arg(m_model).arg(m_id);
        const auto milestone = milestoneOfState(m_model, *state);
        if (!milestone)
            return QStringLiteral("%1 %2: state '%3' is not one Sightline knows")
                .arg(m_model)
                .arg(m_id)
                .arg(*state);
        const auto number = textOf(member(record, "number"));
        if (!number || number->isEmpty()) {
            if (*state == u"draft") {
                ++m_out.skipped; // numbered when quoted or confirmed: not a business document yet
                return {};
            }
            return QStringLiteral("%1 %2 in state '%3' has no number").arg(m_model).arg(m_id).arg(*state);
        }
        CanonicalEvent base = baseEvent();
        base.document = DocumentRef{documentKind(), *number};
        base.status = *state;
        const QString reference = textOf(member(record, "reference")).value_or(QString()).trimmed();
        describe(record, reference, base);
        const bool order = m_model == u"sale.sale" || m_model == u"purchase.purchase";
        if (order) {
            CanonicalEvent created = base;
            created.id = QStringLiteral("%1/%2/created").arg(m_model).arg(m_id);
            created.type = QStringLiteral("tryton.%1.created").arg(m_model);
            created.milestone =
                QStringView(m_model == u"sale.sale" ? milestone::OrderCreated : milestone::PoCreated)
                    .toString();
            created.occurredMs = m_createdMs;
            m_out.input.events.append(created);
        }
        if (*state == u"draft")
            return {};
        CanonicalEvent ev = std::move(base);
        ev.id = QStringLiteral("%1/%2/%3").arg(m_model).arg(m_id).arg(*state);
        ev.type = QStringLiteral("tryton.%1.%2").arg(m_model, *state);
        ev.milestone = *milestone;
        ev.occurredMs = m_changedMs;
        m_out.input.events.append(std::move(ev));
        return {};
    }

    DocumentKind documentKind() const
    {
        if (m_model == u"sale.sale")
            return DocumentKind::SalesOrder;
        if (m_model == u"purchase.purchase")
            return DocumentKind::PurchaseOrder;
        if (m_model == u"stock.shipment.in")
            return DocumentKind::Receipt;
        return DocumentKind::Shipment;
    }

    // References, partner and warehouse of a document.
    void describe(const json &record, const QString &reference, CanonicalEvent &ev) const
    {
        ev.warehouse = related(record, "warehouse.", "code");
        if (m_model == u"sale.sale") {
            ev.partner = related(record, "party.", "name");
            if (!reference.isEmpty()) // the customer's PO number
                ev.identifiers.append({QStringLiteral("customer_po"), reference});
        } else if (m_model == u"purchase.purchase") {
            ev.partner = related(record, "party.", "name");
            if (!reference.isEmpty()) // the supplier's order number
                ev.identifiers.append({QStringLiteral("supplier_reference"), reference});
        } else if (m_model == u"stock.shipment.in") {
            ev.partner = related(record, "supplier.", "name");
            // The supplier's despatch advice (ASN) number: an identifier, not a link to an ASN
            // document, which in a Tryton-only setup no system would report (an orphan each time).
            if (!reference.isEmpty())
                ev.identifiers.append({QStringLiteral("despatch_advice"), reference});
        } else {
            ev.partner = related(record, "customer.", "name");
            if (!reference.isEmpty())
                ev.identifiers.append({QStringLiteral("shipment_reference"), reference});
        }
    }

    // A move joins its shipment to the sale or purchase line it comes from: a link, no milestone.
    QString mapMove(const json &record)
    {
        const QString shipment = textOf(member(record, "shipment")).value_or(QString());
        const QString shipmentModel = shipment.section(u',', 0, 0);
        const QString shipmentNumber = related(record, "shipment.", "number");
        const QString sale = related(record, "sale.", "number");
        const QString purchase = related(record, "purchase.", "number");
        std::optional<std::pair<DocumentRef, LinkRef>> join;
        if (shipmentModel == u"stock.shipment.out" && !sale.isEmpty())
            join = {DocumentRef{DocumentKind::Shipment, shipmentNumber},
                    LinkRef{DocumentRef{DocumentKind::SalesOrder, sale}, QStringLiteral("fulfils")}};
        else if (shipmentModel == u"stock.shipment.in" && !purchase.isEmpty())
            join = {DocumentRef{DocumentKind::Receipt, shipmentNumber},
                    LinkRef{DocumentRef{DocumentKind::PurchaseOrder, purchase}, QStringLiteral("receives")}};
        if (!join) {
            ++m_out.skipped; // a warehouse-internal move, or one not on a shipment yet
            return {};
        }
        if (shipmentNumber.isEmpty())
            return QStringLiteral("stock.move %1: its shipment %2 has no number").arg(m_id).arg(shipment);
        CanonicalEvent ev = baseEvent();
        ev.id = QStringLiteral("stock.move/%1").arg(m_id);
        ev.type = QStringLiteral("tryton.stock.move");
        ev.document = join->first;
        ev.links.append(join->second);
        ev.status = textOf(member(record, "state")).value_or(QString());
        ev.occurredMs = m_createdMs; // the link exists from the move's creation
        m_out.input.events.append(std::move(ev));
        return {};
    }

    CanonicalEvent baseEvent() const
    {
        CanonicalEvent ev;
        ev.source = m_connection;
        ev.system = QStringLiteral("erp");
        ev.receivedMs = m_received;
        ev.raw = m_raw;
        ev.rawHash = m_rawHash;
        return ev;
    }

    const QString &m_connection;
    const QString &m_model;
    qint64 m_received;
    const ReadBefore &m_before;
    PageMapping &m_out;
    QByteArray m_raw;
    QByteArray m_rawHash;
    qint64 m_id = 0;
    qint64 m_createdMs = 0;
    qint64 m_changedMs = 0;
};

} // namespace

const QList<PolledModel> &polledModels()
{
    static const QList<PolledModel> kModels{
        {QStringLiteral("purchase.purchase"),
         {QStringLiteral("number"), QStringLiteral("reference"), QStringLiteral("state"),
          QStringLiteral("shipment_state"), QStringLiteral("party.name"), QStringLiteral("warehouse.code"),
          QStringLiteral("purchase_date"), QStringLiteral("create_date"), QStringLiteral("write_date")}},
        {QStringLiteral("stock.shipment.in"),
         {QStringLiteral("number"), QStringLiteral("reference"), QStringLiteral("state"),
          QStringLiteral("planned_date"), QStringLiteral("effective_date"), QStringLiteral("supplier.name"),
          QStringLiteral("warehouse.code"), QStringLiteral("create_date"), QStringLiteral("write_date")}},
        {QStringLiteral("sale.sale"),
         {QStringLiteral("number"), QStringLiteral("reference"), QStringLiteral("state"),
          QStringLiteral("shipment_state"), QStringLiteral("invoice_state"), QStringLiteral("party.name"),
          QStringLiteral("warehouse.code"), QStringLiteral("sale_date"), QStringLiteral("create_date"),
          QStringLiteral("write_date")}},
        {QStringLiteral("stock.shipment.out"),
         {QStringLiteral("number"), QStringLiteral("reference"), QStringLiteral("state"),
          QStringLiteral("planned_date"), QStringLiteral("effective_date"), QStringLiteral("customer.name"),
          QStringLiteral("warehouse.code"), QStringLiteral("origins"), QStringLiteral("create_date"),
          QStringLiteral("write_date")}},
        {QStringLiteral("stock.move"),
         {QStringLiteral("shipment"), QStringLiteral("shipment.number"), QStringLiteral("origin"),
          QStringLiteral("sale.number"), QStringLiteral("purchase.number"), QStringLiteral("state"),
          QStringLiteral("create_date"), QStringLiteral("write_date")}},
    };
    return kModels;
}

std::optional<QString> milestoneOfState(const QString &model, const QString &state)
{
    const auto map = stateMilestones().constFind(model);
    if (map == stateMilestones().cend())
        return std::nullopt;
    const auto it = map->constFind(state);
    return it == map->cend() ? std::nullopt : std::optional<QString>(*it);
}

PageMapping mapRecords(const QString &connection, const QString &model, QByteArrayView body,
                       ByteSpan resultSpan, const json &records, const QString &position, qint64 receivedMs,
                       const ReadBefore &before)
{
    PageMapping out;
    const QByteArrayView list = body.sliced(resultSpan.begin, resultSpan.end - resultSpan.begin);
    const auto spans = splitArray(list);
    if (!records.is_array() || !spans || spans->size() != qsizetype(records.size())) {
        out.input.quarantined.append(
            QuarantinedInput{connection, position,
                             QStringLiteral("%1: the search_read result is not a list of records").arg(model),
                             list.toByteArray(), receivedMs});
        return out;
    }
    RecordMapper mapper(connection, model, receivedMs, before, out);
    for (qsizetype i = 0; i < spans->size(); ++i) {
        const Span s = spans->at(i);
        const QByteArrayView raw = list.sliced(s.begin, s.end - s.begin);
        ++out.records;
        const QString error = mapper.map(records.at(std::size_t(i)), raw);
        if (!error.isEmpty())
            out.input.quarantined.append(
                QuarantinedInput{connection, QStringLiteral("%1 record %2").arg(position).arg(i + 1), error,
                                 raw.toByteArray(), receivedMs});
    }
    return out;
}

} // namespace sightline::tryton
