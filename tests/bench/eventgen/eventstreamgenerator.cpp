#include "tests/bench/eventgen/eventstreamgenerator.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <optional>
#include <queue>
#include <string_view>

namespace sightline::bench {
namespace {

constexpr std::int64_t kSecond = 1000;
constexpr std::int64_t kMinute = 60 * kSecond;
constexpr std::int64_t kHour = 60 * kMinute;
constexpr std::int64_t kDay = 24 * kHour;

// splitmix64: small, fast, and the same on every platform (std distributions are not).
class Rng
{
public:
    explicit Rng(std::uint64_t seed) : m_state(seed) {}

    std::uint64_t next()
    {
        std::uint64_t z = (m_state += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }
    std::uint64_t below(std::uint64_t n) { return n == 0 ? 0 : next() % n; }
    std::int64_t range(std::int64_t lo, std::int64_t hi)
    {
        return lo + std::int64_t(below(std::uint64_t(hi - lo + 1)));
    }
    bool chance(double p) { return double(next() >> 11) * 0x1.0p-53 < p; }
    // Skewed towards small indexes: a few partners send most of the traffic.
    std::size_t skewed(std::size_t n) { return std::min(below(n), below(n)); }

private:
    std::uint64_t m_state;
};

const std::array kCustomers{"Acme Retail",         "Bluewater Foods",         "Northgate Hardware",
                            "Summit Outfitters",   "Harbor Pharmacy",         "Pinecrest Grocers",
                            "Metro Office Supply", "Riverbend Garden Center", "Keystone Auto Parts",
                            "Lakeside Home Goods", "Brightline Electronics",  "Cedar & Vine Market"};
const std::array kCustomerCodes{"ACME", "BLUW", "NGHW", "SUMO", "HRBR", "PINE",
                                "METO", "RVBG", "KEYA", "LAKE", "BRTE", "CDVM"};
const std::array kSuppliers{"Globex Components",  "Initech Packaging",       "Stark Fasteners",
                            "Umbrella Chemicals", "Wayne Industrial Supply", "Hooli Electronics",
                            "Soylent Foods",      "Vandelay Imports",        "Tyrell Textiles",
                            "Cyberdyne Tools"};
const std::array kSupplierCodes{"GLBX", "INIT", "STRK", "UMBR", "WAYN",
                                "HOOL", "SOYL", "VAND", "TYRL", "CYBD"};
const std::array kWarehouses{"WH-EAST", "WH-WEST", "WH-CENTRAL", "WH-SOUTH", "DC-TORONTO"};
const std::array kWmsSources{"wms/wh-east", "wms/wh-west", "wms/wh-central", "wms/wh-south",
                             "wms/dc-toronto"};
const std::array kCarriers{"UPS", "FedEx", "DHL", "XPO Logistics", "Old Dominion"};
const std::array kCarrierSources{"carrier/ups", "carrier/fedex", "carrier/dhl", "carrier/xpo",
                                 "carrier/odfl"};
const std::array kServices{"Ground", "2Day", "Express", "LTL", "Freight"};
const std::array kSigners{"J. SMITH", "M. GARCIA", "L. NGUYEN", "R. PATEL", "FRONT DESK", "DOCK 4"};

void appendEscaped(std::string &out, std::string_view s)
{
    out += '"';
    for (char c : s) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (static_cast<unsigned char>(c) < 0x20) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", unsigned(c));
            out += buf;
        } else {
            out += c;
        }
    }
    out += '"';
}

void appendField(std::string &out, std::string_view name, std::string_view value)
{
    appendEscaped(out, name);
    out += ':';
    appendEscaped(out, value);
}

std::string money(std::int64_t cents)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%lld.%02lld", static_cast<long long>(cents / 100),
                  static_cast<long long>(cents % 100));
    return buf;
}

std::string padded(std::uint64_t n, int width)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%0*llu", width, static_cast<unsigned long long>(n));
    return buf;
}

std::string dateOnly(std::int64_t epochMs)
{
    return formatTimestamp(epochMs).substr(0, 10);
}

// Howard Hinnant's civil_from_days.
void civilFromDays(std::int64_t z, int &y, unsigned &m, unsigned &d)
{
    z += 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = unsigned(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    d = doy - (153 * mp + 2) / 5 + 1;
    m = mp < 10 ? mp + 3 : mp - 9;
    y = int(std::int64_t(yoe) + era * 400 + (m <= 2 ? 1 : 0));
}

struct OrderLine
{
    int sku = 0;
    int quantity = 0;
    std::int64_t unitCents = 0;
};

enum class FlowKind : std::uint8_t { Sales, Purchase };

// One sales or purchase order on its way through its lifecycle.
struct Flow
{
    FlowKind kind = FlowKind::Sales;
    int step = 0;
    std::uint64_t number = 0;
    std::uint8_t partner = 0;
    std::uint8_t warehouse = 0;
    std::uint8_t carrier = 0;
    bool lateLink = false;
    bool cancelled = false;
    std::uint8_t lineCount = 0;
    std::array<OrderLine, 3> lines{};
    std::int64_t startedMs = 0;
};

struct Due
{
    std::int64_t atMs;
    std::uint64_t order; // ties broken by scheduling order: deterministic
    std::uint32_t slot;

    bool operator>(const Due &other) const
    {
        return atMs != other.atMs ? atMs > other.atMs : order > other.order;
    }
};

struct Held
{
    std::uint64_t releaseAt;
    GeneratedEvent event;
};

// What one step of a flow says, before it is written as JSON.
struct Step
{
    int system = 0; // index into kSystems
    const char *milestone = "";
    const char *status = "";
    const char *kind = "";
    std::string key;
    std::vector<std::pair<std::string, std::string>> identifiers;
    std::vector<GeneratedLink> links;
    std::string extras; // further data fields, already JSON: ,"name":value...
};

enum System { Erp, Wms, Portal, Carrier };

} // namespace

class EventStreamGenerator::Simulation
{
public:
    explicit Simulation(const EventStreamOptions &options)
        : m_options(options), m_rng(options.seed ^ 0x5167687469ULL), m_nextFlowMs(options.startMs)
    {}

    GeneratedEvent next()
    {
        for (;;) {
            if (auto held = takeHeld())
                return finish(std::move(*held));
            GeneratedEvent ev = fresh();
            std::uint64_t lateBy = 0;
            if (m_rng.chance(m_options.lateArrivalRate)) {
                lateBy = std::uint64_t(m_rng.range(5, 200));
                ev.arrivesLate = true;
            }
            if (m_rng.chance(m_options.duplicateRate)) {
                GeneratedEvent copy = ev;
                copy.repeat = true;
                copy.arrivesLate = false;
                m_held.push_back({m_produced + lateBy + std::uint64_t(m_rng.range(1, 400)), std::move(copy)});
            }
            if (lateBy == 0)
                return finish(std::move(ev));
            m_held.push_back({m_produced + lateBy, std::move(ev)});
        }
    }

    std::uint64_t produced() const { return m_produced; }

private:
    GeneratedEvent finish(GeneratedEvent ev)
    {
        ++m_produced;
        return ev;
    }

    std::optional<GeneratedEvent> takeHeld()
    {
        auto best = m_held.end();
        for (auto it = m_held.begin(); it != m_held.end(); ++it) {
            if (it->releaseAt <= m_produced && (best == m_held.end() || it->releaseAt < best->releaseAt))
                best = it;
        }
        if (best == m_held.end())
            return std::nullopt;
        GeneratedEvent ev = std::move(best->event);
        *best = std::move(m_held.back());
        m_held.pop_back();
        return ev;
    }

    GeneratedEvent fresh()
    {
        for (;;) {
            if (m_due.empty() || m_nextFlowMs <= m_due.top().atMs) {
                startFlow(m_nextFlowMs);
                m_nextFlowMs += m_rng.range(0, 2 * std::int64_t(m_options.meanSecondsBetweenFlows) * kSecond);
                continue;
            }
            const Due due = m_due.top();
            m_due.pop();
            Flow &flow = m_flows[due.slot];
            GeneratedEvent ev = emit(flow, due.atMs);
            if (const std::int64_t gap = nextGap(flow); gap > 0) {
                schedule(due.slot, due.atMs + gap);
            } else {
                m_free.push_back(due.slot);
            }
            return ev;
        }
    }

    void startFlow(std::int64_t atMs)
    {
        std::uint32_t slot;
        if (!m_free.empty()) {
            slot = m_free.back();
            m_free.pop_back();
        } else {
            slot = std::uint32_t(m_flows.size());
            m_flows.emplace_back();
        }
        Flow &f = m_flows[slot];
        f = Flow{};
        f.kind = m_rng.chance(m_options.purchaseShare) ? FlowKind::Purchase : FlowKind::Sales;
        f.number = f.kind == FlowKind::Sales ? ++m_salesOrders : ++m_purchaseOrders;
        f.partner =
            std::uint8_t(m_rng.skewed(f.kind == FlowKind::Sales ? kCustomers.size() : kSuppliers.size()));
        f.warehouse = std::uint8_t(m_rng.skewed(kWarehouses.size()));
        f.carrier = std::uint8_t(m_rng.below(kCarriers.size()));
        f.lateLink = m_rng.chance(m_options.lateLinkRate);
        const auto lines = m_rng.below(100);
        f.lineCount = std::uint8_t(lines < 45 ? 1 : lines < 80 ? 2 : 3);
        for (int i = 0; i < f.lineCount; ++i) {
            const int sku = int(m_rng.below(5000));
            f.lines[std::size_t(i)] = {sku, int(m_rng.range(1, 48)), 250 + (sku * 7919) % 19000};
        }
        f.startedMs = atMs;
        schedule(slot, atMs);
    }

    void schedule(std::uint32_t slot, std::int64_t atMs) { m_due.push({atMs, ++m_scheduled, slot}); }

    // Time to the flow's next step, or 0 when the flow is over. Called after the step was emitted.
    std::int64_t nextGap(Flow &f)
    {
        ++f.step;
        if (f.cancelled)
            return 0;
        if (f.kind == FlowKind::Sales) {
            switch (f.step) {
            case 1:
                return m_rng.range(2 * kMinute, 30 * kMinute);
            case 2:
                return m_rng.range(10 * kMinute, 4 * kHour);
            case 3:
                return m_rng.range(30 * kMinute, 6 * kHour);
            case 4:
                return m_rng.range(10 * kMinute, 60 * kMinute);
            case 5:
                return m_rng.range(30 * kMinute, 3 * kHour);
            case 6:
                return m_rng.range(1 * kDay, 4 * kDay);
            case 7:
                return m_rng.range(1 * kHour, 2 * kDay);
            default:
                return 0;
            }
        }
        switch (f.step) {
        case 1:
            return m_rng.range(5 * kMinute, 60 * kMinute);
        case 2:
            return m_rng.range(1 * kHour, 2 * kDay);
        case 3:
            return m_rng.range(1 * kDay, 7 * kDay);
        case 4:
            return m_rng.range(1 * kDay, 5 * kDay);
        case 5:
            return m_rng.range(0, 3 * kDay);
        case 6:
            return m_rng.range(1 * kHour, 2 * kDay);
        default:
            return 0;
        }
    }

    GeneratedEvent emit(Flow &f, std::int64_t atMs)
    {
        Step s = f.kind == FlowKind::Sales ? salesStep(f, atMs) : purchaseStep(f, atMs);
        return render(f, s, atMs);
    }

    std::string linesJson(const Flow &f, const char *quantityName, bool withPrices)
    {
        std::string out = ",\"lines\":[";
        for (int i = 0; i < f.lineCount; ++i) {
            const OrderLine &l = f.lines[std::size_t(i)];
            if (i > 0)
                out += ',';
            out += "{\"sku\":\"SKU-" + padded(std::uint64_t(10000 + l.sku * 13), 5) + "\",\"";
            out += quantityName;
            out += "\":" + std::to_string(l.quantity);
            if (withPrices)
                out += ",\"unit_price\":\"" + money(l.unitCents) + "\"";
            out += '}';
        }
        out += ']';
        return out;
    }

    std::int64_t totalCents(const Flow &f) const
    {
        std::int64_t total = 0;
        for (int i = 0; i < f.lineCount; ++i)
            total += f.lines[std::size_t(i)].unitCents * f.lines[std::size_t(i)].quantity;
        return total;
    }

    std::string key(const char *prefix, const Flow &f, std::uint64_t base = 100000) const
    {
        return prefix + std::to_string(base + f.number);
    }

    std::string customerPo(const Flow &f) const
    {
        return std::string(kCustomerCodes[f.partner]) + "-PO-" + std::to_string(4500000 + f.number * 3);
    }

    std::string tracking(const Flow &f) const
    {
        static const char kAlnum[] = "0123456789ABCDEFGHJKLMNPRSTUVWXYZ";
        std::uint64_t h = (f.number + 77) * 0x9E3779B97F4A7C15ULL;
        std::string code = "1Z";
        for (int i = 0; i < 6; ++i) {
            code += kAlnum[h % 33];
            h /= 33;
        }
        return code + padded(f.number, 10);
    }

    Step salesStep(Flow &f, std::int64_t atMs)
    {
        Step s;
        const std::string order = key("SO-", f);
        const std::string release = key("REL-", f, 500000);
        const std::string shipment = key("SHP-", f, 700000);
        const std::string money2 = money(totalCents(f));
        switch (f.step) {
        case 0:
            s = {Erp, "order.created", "Booked", "sales_order", order, {{"customer_po", customerPo(f)}}, {},
                 {}};
            s.extras = linesJson(f, "quantity", true) + ",\"currency\":\"USD\",\"order_total\":\"" + money2 +
                       "\",\"ship_by\":\"" + dateOnly(atMs + 3 * kDay) + "\"";
            break;
        case 1:
            if (m_rng.chance(m_options.cancelRate)) {
                f.cancelled = true;
                s = {Erp,         "order.cancelled",
                     "Cancelled", "sales_order",
                     order,       {{"customer_po", customerPo(f)}},
                     {},          {}};
                s.extras = ",\"reason\":\"customer request\",\"cancelled_by\":\"csr.jlee\"";
                break;
            }
            s = {Erp,         "order.validated",
                 "Credit OK", "sales_order",
                 order,       {{"customer_po", customerPo(f)}},
                 {},          {}};
            s.extras = ",\"credit_check\":\"passed\",\"credit_limit\":\"250000.00\",\"order_total\":\"" +
                       money2 + "\",\"validated_by\":\"rules-engine\",\"price_list\":\"PL-2026-Q1\"";
            break;
        case 2:
            s = {Erp,
                 "order.released",
                 "Released",
                 "sales_order",
                 order,
                 {{"customer_po", customerPo(f)}},
                 {{"release", release, "released_as"}},
                 {}};
            s.extras =
                linesJson(f, "quantity", false) + ",\"wave\":\"W-" + std::to_string(f.number / 40) + "\"";
            break;
        case 3:
            s = {Wms, "pick.confirmed", "PICKED", "release", release, {}, {}, {}};
            s.extras = linesJson(f, "picked_qty", false) + ",\"picker\":\"P-" + padded(f.number % 97, 3) +
                       "\",\"pick_zone\":\"" + char('A' + f.number % 6) + "\",\"tote\":\"T-" +
                       padded(f.number % 9973, 5) + "\"";
            break;
        case 4:
            s = {Wms, "pack.confirmed", "PACKED", "release", release, {}, {}, {}};
            s.extras = ",\"cartons\":" + std::to_string(1 + f.lineCount) +
                       ",\"weight_kg\":" + std::to_string(2 + f.number % 40) + ".5,\"packer\":\"K-" +
                       padded(f.number % 53, 3) + "\",\"station\":\"PK-" + std::to_string(1 + f.number % 8) +
                       "\"";
            break;
        case 5:
            s = {Wms,      "shipment.dispatched",       "SHIPPED", "shipment",
                 shipment, {{"tracking", tracking(f)}}, {},        {}};
            if (!f.lateLink)
                s.links = {{"sales_order", order, "ships"}, {"release", release, "ships"}};
            s.extras = std::string(",\"carrier\":\"") + kCarriers[f.carrier] + "\",\"service\":\"" +
                       kServices[f.carrier] + "\",\"cartons\":" + std::to_string(1 + f.lineCount) +
                       ",\"ship_to\":\"Columbus OH\"";
            break;
        case 6:
            s = {Carrier,  "shipment.delivered",        "Delivered", "shipment",
                 shipment, {{"tracking", tracking(f)}}, {},          {}};
            if (f.lateLink)
                s.links = {{"sales_order", order, "delivers"}}; // the carrier names the order: traces merge
            s.extras = std::string(",\"signed_by\":\"") + kSigners[f.number % kSigners.size()] +
                       "\",\"proof_of_delivery\":\"POD-" + padded(f.number * 7, 9) +
                       "\",\"location\":{\"city\":\"Columbus\",\"region\":\"OH\"},\"attempt\":1";
            break;
        default:
            s = {Erp,
                 "invoice.posted",
                 "Posted",
                 "invoice",
                 key("INV-", f, 900000),
                 {},
                 {{"sales_order", order, "bills"}},
                 {}};
            s.extras = ",\"amount\":\"" + money2 + "\",\"tax\":\"" + money(totalCents(f) * 7 / 100) +
                       "\",\"currency\":\"USD\",\"terms\":\"NET30\",\"due_date\":\"" +
                       dateOnly(atMs + 30 * kDay) + "\"";
            break;
        }
        return s;
    }

    Step purchaseStep(Flow &f, std::int64_t atMs)
    {
        Step s;
        const std::string po = key("PO-", f, 300000);
        const std::string asn = key("ASN-", f, 600000);
        const std::string receipt = key("RCV-", f, 800000);
        const std::string invoice = key("SINV-", f, 200000);
        const std::string code = kSupplierCodes[f.partner];
        const std::string money2 = money(totalCents(f));
        switch (f.step) {
        case 0:
            s = {Erp,    "po.created",
                 "Open", "purchase_order",
                 po,     {{"requisition", key("REQ-", f, 100000)}},
                 {},     {}};
            s.extras = linesJson(f, "quantity", true) + ",\"currency\":\"USD\",\"po_total\":\"" + money2 +
                       "\",\"need_by\":\"" + dateOnly(atMs + 10 * kDay) + "\"";
            break;
        case 1:
            s = {Erp, "po.sent", "Sent", "purchase_order", po, {}, {}, {}};
            s.extras = ",\"channel\":\"EDI 850\",\"interchange\":\"" + padded(f.number * 11, 9) +
                       "\",\"po_total\":\"" + money2 + "\",\"revision\":0";
            break;
        case 2:
            s = {Portal,
                 "po.acknowledged",
                 "Accepted",
                 "po_acknowledgment",
                 key("ACK-", f, 400000),
                 {{"supplier_order", code + "-SO-" + std::to_string(70000 + f.number)}},
                 {{"purchase_order", po, "acknowledges"}},
                 {}};
            s.extras = linesJson(f, "confirmed_qty", false) + ",\"promised_date\":\"" +
                       dateOnly(atMs + 6 * kDay) + "\"";
            break;
        case 3:
            s = {Portal,    "asn.received",
                 "Shipped", "asn",
                 asn,       {{"bol", "BOL" + padded(f.number * 13, 10)}},
                 {},        {}};
            if (!f.lateLink)
                s.links = {{"purchase_order", po, "ships"}};
            s.extras = linesJson(f, "shipped_qty", false) + ",\"ship_date\":\"" + dateOnly(atMs) +
                       "\",\"eta\":\"" + dateOnly(atMs + 3 * kDay) + "\"";
            break;
        case 4:
            s = {Wms, "receipt.posted", "RECEIVED", "receipt", receipt, {}, {{"asn", asn, "receives"}}, {}};
            s.extras = linesJson(f, "received_qty", false) + ",\"dock\":\"D-" +
                       std::to_string(1 + f.number % 12) + "\",\"receiver\":\"R-" + padded(f.number % 41, 3) +
                       "\"";
            break;
        case 5:
            s = {Portal,
                 "invoice.received",
                 "Submitted",
                 "supplier_invoice",
                 invoice,
                 {{"supplier_invoice_no", code + "-INV-" + std::to_string(880000 + f.number)}},
                 {{"purchase_order", po, "bills"}},
                 {}};
            s.extras = ",\"amount\":\"" + money2 +
                       "\",\"currency\":\"USD\",\"terms\":\"NET45\",\"invoice_date\":\"" + dateOnly(atMs) +
                       "\"";
            break;
        default:
            s = {Erp,
                 "invoice.matched",
                 "Matched",
                 "supplier_invoice",
                 invoice,
                 {},
                 {{"receipt", receipt, "matches"}},
                 {}};
            s.extras = ",\"match\":\"3-way\",\"variance\":\"0.00\",\"amount\":\"" + money2 +
                       "\",\"approved_by\":\"ap.auto\",\"payment_run\":\"PR-" + dateOnly(atMs + 2 * kDay) +
                       "\"";
            break;
        }
        return s;
    }

    GeneratedEvent render(const Flow &f, Step &s, std::int64_t atMs)
    {
        GeneratedEvent ev;
        ev.milestone = s.milestone;
        ev.documentKind = s.kind;
        ev.documentKey = std::move(s.key);
        ev.identifiers = std::move(s.identifiers);
        ev.links = std::move(s.links);
        ev.status = s.status;
        ev.partner = f.kind == FlowKind::Sales ? kCustomers[f.partner] : kSuppliers[f.partner];
        ev.warehouse = kWarehouses[f.warehouse];
        ev.occurredMs = atMs;
        std::string time;
        bool withMilestone = false;
        switch (s.system) {
        case Erp:
            ev.system = "erp";
            ev.source = "northwind/erp";
            ev.id = "erp-" + padded(++m_erpIds, 10);
            ev.type = "com.northwind.erp." + ev.milestone;
            time = formatTimestamp(atMs);
            ev.occurredMs = atMs - atMs % kSecond; // the text carries whole seconds
            break;
        case Wms:
            ev.system = "wms";
            ev.source = kWmsSources[f.warehouse];
            ev.id = "wms-" + padded(++m_wmsIds, 10);
            ev.type = ev.milestone;
            time = formatTimestamp(atMs, 0, true);
            break;
        case Portal:
            ev.system = "portal";
            ev.source = "supplierhub/portal";
            ev.id = "evt_" + padded(++m_portalIds * 7919 % 1000000007, 10);
            ev.type = "com.supplierhub.portal." + ev.milestone;
            time = formatTimestamp(atMs, 60, false);
            ev.occurredMs = atMs - atMs % kSecond;
            withMilestone = true;
            break;
        default:
            ev.system = "carrier";
            ev.source = kCarrierSources[f.carrier];
            ev.id = "trk-" + padded(++m_carrierIds, 10);
            ev.type = "com.parcelnet.tracking." + ev.milestone;
            time = formatTimestamp(atMs, 0, true);
            break;
        }
        std::string &j = ev.json;
        j.reserve(640);
        j += "{\"specversion\":\"1.0\",";
        appendField(j, "id", ev.id);
        j += ',';
        appendField(j, "source", ev.source);
        j += ',';
        appendField(j, "type", ev.type);
        j += ',';
        appendField(j, "time", time);
        if (s.system == Erp || s.system == Carrier) {
            j += ',';
            appendField(j, "subject", ev.documentKind + "/" + ev.documentKey);
        }
        if (s.system == Erp || s.system == Portal)
            j += ",\"datacontenttype\":\"application/json\"";
        j += ",\"data\":{\"document\":{";
        appendField(j, "kind", ev.documentKind);
        j += ',';
        appendField(j, "key", ev.documentKey);
        if (!ev.identifiers.empty()) {
            j += ",\"identifiers\":{";
            for (std::size_t i = 0; i < ev.identifiers.size(); ++i) {
                if (i > 0)
                    j += ',';
                appendField(j, ev.identifiers[i].first, ev.identifiers[i].second);
            }
            j += '}';
        }
        j += '}';
        if (!ev.links.empty()) {
            j += ",\"links\":[";
            for (std::size_t i = 0; i < ev.links.size(); ++i) {
                if (i > 0)
                    j += ',';
                j += '{';
                appendField(j, "kind", ev.links[i].kind);
                j += ',';
                appendField(j, "key", ev.links[i].key);
                j += ',';
                appendField(j, "relation", ev.links[i].relation);
                j += '}';
            }
            j += ']';
        }
        j += ',';
        appendField(j, "system", ev.system);
        j += ',';
        appendField(j, "status", ev.status);
        j += ',';
        appendField(j, "partner", ev.partner);
        j += ',';
        appendField(j, "warehouse", ev.warehouse);
        if (withMilestone) {
            j += ',';
            appendField(j, "milestone", ev.milestone);
        }
        j += s.extras;
        j += "}}";
        return ev;
    }

    EventStreamOptions m_options;
    Rng m_rng;
    std::int64_t m_nextFlowMs;
    std::vector<Flow> m_flows;
    std::vector<std::uint32_t> m_free;
    std::priority_queue<Due, std::vector<Due>, std::greater<Due>> m_due;
    std::vector<Held> m_held;
    std::uint64_t m_scheduled = 0;
    std::uint64_t m_produced = 0;
    std::uint64_t m_salesOrders = 0;
    std::uint64_t m_purchaseOrders = 0;
    std::uint64_t m_erpIds = 0;
    std::uint64_t m_wmsIds = 0;
    std::uint64_t m_portalIds = 0;
    std::uint64_t m_carrierIds = 0;
};

EventStreamGenerator::EventStreamGenerator(std::uint64_t seed)
    : EventStreamGenerator(EventStreamOptions{.seed = seed})
{}

EventStreamGenerator::EventStreamGenerator(const EventStreamOptions &options)
    : m_sim(std::make_unique<Simulation>(options))
{}

EventStreamGenerator::~EventStreamGenerator() = default;

GeneratedEvent EventStreamGenerator::next()
{
    return m_sim->next();
}

std::uint64_t EventStreamGenerator::produced() const
{
    return m_sim->produced();
}

IdentifierSample::IdentifierSample(std::size_t capacity, std::uint64_t seed)
    : m_capacity(capacity), m_state(seed * 0x2545F4914F6CDD1DULL + 1)
{
    m_values.reserve(capacity);
}

void IdentifierSample::offer(const std::string &value)
{
    ++m_seen;
    if (m_values.size() < m_capacity) {
        m_values.push_back(value);
        return;
    }
    Rng rng(m_state++);
    const std::uint64_t slot = rng.below(m_seen);
    if (slot < m_capacity)
        m_values[slot] = value;
}

void IdentifierSample::offer(const GeneratedEvent &event)
{
    if (event.repeat)
        return;
    offer(event.documentKey);
    for (const auto &id : event.identifiers)
        offer(id.second);
}

std::string formatTimestamp(std::int64_t epochMs, int offsetMinutes, bool withMillis)
{
    const std::int64_t localMs = epochMs + std::int64_t(offsetMinutes) * kMinute;
    std::int64_t days = localMs / kDay;
    std::int64_t msOfDay = localMs % kDay;
    if (msOfDay < 0) {
        msOfDay += kDay;
        --days;
    }
    int y;
    unsigned m, d;
    civilFromDays(days, y, m, d);
    const auto seconds = msOfDay / 1000;
    char buf[48];
    int n = std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d", y, m, d, int(seconds / 3600),
                          int(seconds / 60 % 60), int(seconds % 60));
    if (withMillis)
        n += std::snprintf(buf + n, sizeof buf - std::size_t(n), ".%03d", int(msOfDay % 1000));
    if (offsetMinutes == 0) {
        std::snprintf(buf + n, sizeof buf - std::size_t(n), "Z");
    } else {
        const int off = offsetMinutes < 0 ? -offsetMinutes : offsetMinutes;
        std::snprintf(buf + n, sizeof buf - std::size_t(n), "%c%02d:%02d", offsetMinutes < 0 ? '-' : '+',
                      off / 60, off % 60);
    }
    return buf;
}

} // namespace sightline::bench
