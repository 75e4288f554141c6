#include "models/ingest/epcis.h"

#include "models/domain/timestamp.h"
#include "models/ingest/jsonspans.h"

#include <QCryptographicHash>
#include <QRegularExpression>
#include <array>
#include <nlohmann/json.hpp>
#include <string_view>

namespace sightline {
namespace {

using json = nlohmann::json;

constexpr std::string_view kCbvPrefix = "urn:epcglobal:cbv:bizstep:";
constexpr std::string_view kCbvWebPrefix = "https://ref.gs1.org/cbv/BizStep-";

// The business steps of GS1 CBV 2.0.
constexpr std::array<std::string_view, 41> kCbvBizSteps{"accepting",
                                                        "arriving",
                                                        "assembling",
                                                        "collecting",
                                                        "commissioning",
                                                        "consigning",
                                                        "creating_class_instance",
                                                        "cycle_counting",
                                                        "decommissioning",
                                                        "departing",
                                                        "destroying",
                                                        "disassembling",
                                                        "dispensing",
                                                        "encoding",
                                                        "entering_exiting",
                                                        "holding",
                                                        "inspecting",
                                                        "installing",
                                                        "killing",
                                                        "loading",
                                                        "other",
                                                        "packing",
                                                        "picking",
                                                        "receiving",
                                                        "removing",
                                                        "repackaging",
                                                        "repairing",
                                                        "replacing",
                                                        "reserving",
                                                        "retail_selling",
                                                        "sampling",
                                                        "sensor_reporting",
                                                        "shipping",
                                                        "staging_outbound",
                                                        "stock_taking",
                                                        "stocking",
                                                        "storing",
                                                        "transporting",
                                                        "unloading",
                                                        "unpacking",
                                                        "void_shipping"};

QString fromStd(const std::string &s)
{
    return QString::fromUtf8(s.data(), qsizetype(s.size()));
}

std::string_view stringOr(const json &obj, const char *name, std::string_view fallback = {})
{
    const auto it = obj.find(name);
    return it != obj.end() && it->is_string() ? std::string_view(it->get_ref<const std::string &>())
                                              : fallback;
}

// "shipping" for "shipping", "urn:epcglobal:cbv:bizstep:shipping" and the web URI form; the value
// itself for other URIs (a company's own steps); empty when it is neither.
std::string_view bizStepName(std::string_view value, bool &isUri)
{
    isUri = false;
    if (value.starts_with(kCbvPrefix))
        value.remove_prefix(kCbvPrefix.size());
    else if (value.starts_with(kCbvWebPrefix))
        value.remove_prefix(kCbvWebPrefix.size());
    for (std::string_view step : kCbvBizSteps) {
        if (value == step)
            return step;
    }
    isUri = value.find(':') != std::string_view::npos;
    return isUri ? value : std::string_view();
}

std::optional<QString> validateTimes(const json &e)
{
    const auto time = e.find("eventTime");
    if (time == e.end() || !time->is_string())
        return QStringLiteral("eventTime is required");
    if (!parseRfc3339(time->get_ref<const std::string &>()))
        return QStringLiteral("eventTime '%1' is not an RFC 3339 date and time")
            .arg(fromStd(time->get_ref<const std::string &>()));
    static const QRegularExpression offset(QStringLiteral("^[+-](0\\d|1[0-4]):[0-5]\\d$"));
    const auto zone = e.find("eventTimeZoneOffset");
    if (zone == e.end() || !zone->is_string())
        return QStringLiteral("eventTimeZoneOffset is required");
    if (!offset.match(fromStd(zone->get_ref<const std::string &>())).hasMatch())
        return QStringLiteral("eventTimeZoneOffset '%1' is not of the form +hh:mm")
            .arg(fromStd(zone->get_ref<const std::string &>()));
    return std::nullopt;
}

std::optional<QString> validateEvent(const json &e)
{
    if (!e.is_object())
        return QStringLiteral("an event must be a JSON object");
    const std::string_view type = stringOr(e, "type");
    static constexpr std::array<std::string_view, 5> kTypes{
        "ObjectEvent", "AggregationEvent", "TransactionEvent", "TransformationEvent", "AssociationEvent"};
    if (std::find(kTypes.begin(), kTypes.end(), type) == kTypes.end())
        return QStringLiteral("type must be one of ObjectEvent, AggregationEvent, TransactionEvent, "
                              "TransformationEvent, AssociationEvent");
    if (auto err = validateTimes(e))
        return err;
    if (type != "TransformationEvent") {
        const std::string_view action = stringOr(e, "action");
        if (action != "ADD" && action != "OBSERVE" && action != "DELETE")
            return QStringLiteral("action must be ADD, OBSERVE or DELETE for a %1")
                .arg(fromStd(std::string(type)));
    }
    if (const auto step = e.find("bizStep"); step != e.end()) {
        bool isUri = false;
        if (!step->is_string() || bizStepName(step->get_ref<const std::string &>(), isUri).empty())
            return QStringLiteral("bizStep '%1' is neither a CBV 2.0 business step nor a URI")
                .arg(step->is_string() ? fromStd(step->get_ref<const std::string &>()) : QStringLiteral("?"));
    }
    if (const auto list = e.find("bizTransactionList"); list != e.end()) {
        if (!list->is_array())
            return QStringLiteral("bizTransactionList must be an array");
        for (const json &t : *list) {
            if (!t.is_object() || stringOr(t, "bizTransaction").empty())
                return QStringLiteral("each bizTransactionList entry needs a bizTransaction");
        }
    }
    return std::nullopt;
}

// The business document a bizTransaction identifier names: its last segment.
QString transactionKey(const std::string &id)
{
    const QString value = fromStd(id).trimmed();
    const qsizetype cut = std::max(value.lastIndexOf(u'/'), value.lastIndexOf(u':'));
    const QString key = cut >= 0 ? value.mid(cut + 1) : value;
    return key.isEmpty() ? value : key;
}

struct Transactions
{
    std::optional<DocumentRef> asn, purchaseOrder, invoice;
};

Transactions transactionsOf(const json &e)
{
    Transactions t;
    const auto list = e.find("bizTransactionList");
    if (list == e.end())
        return t;
    for (const json &entry : *list) {
        const std::string_view type = stringOr(entry, "type");
        const QString key = transactionKey(entry.at("bizTransaction").get_ref<const std::string &>());
        if ((type == "desadv" || type.ends_with(":desadv") || type.ends_with("BTT-desadv")) && !t.asn)
            t.asn = DocumentRef{DocumentKind::Asn, key};
        else if ((type == "po" || type.ends_with(":po") || type.ends_with("BTT-po")) && !t.purchaseOrder)
            t.purchaseOrder = DocumentRef{DocumentKind::PurchaseOrder, key};
        else if ((type == "inv" || type.ends_with(":inv") || type.ends_with("BTT-inv")) && !t.invoice)
            t.invoice = DocumentRef{DocumentKind::SupplierInvoice, key};
    }
    return t;
}

void mapDocuments(const json &e, CanonicalEvent &ev)
{
    const Transactions t = transactionsOf(e);
    const std::array<std::optional<DocumentRef>, 3> refs{t.asn, t.purchaseOrder, t.invoice};
    for (const auto &ref : refs) {
        if (!ref)
            continue;
        if (!ev.document)
            ev.document = *ref;
        else
            ev.links.append({*ref, QStringLiteral("references")});
    }
}

QString milestoneOf(const json &e, bool purchasing)
{
    bool isUri = false;
    const std::string_view step = bizStepName(stringOr(e, "bizStep"), isUri);
    if (step == "shipping")
        return purchasing ? QStringLiteral("asn.received") : QStringLiteral("shipment.dispatched");
    if (step == "receiving")
        return QStringLiteral("receipt.posted");
    return {};
}

CanonicalEvent mapEvent(const json &e, QByteArrayView raw, qint64 receivedMs)
{
    CanonicalEvent ev;
    ev.source = QStringLiteral("epcis");
    const std::string_view eventId = stringOr(e, "eventID");
    ev.id = eventId.empty()
                ? QStringLiteral("sha256:") +
                      QString::fromLatin1(QCryptographicHash::hash(raw, QCryptographicHash::Sha256).toHex())
                : fromStd(std::string(eventId));
    const std::string_view type = stringOr(e, "type");
    bool isUri = false;
    const std::string_view step = bizStepName(stringOr(e, "bizStep"), isUri);
    ev.type =
        QStringLiteral("epcis.%1%2")
            .arg(fromStd(std::string(type)), step.empty() ? QString() : u'.' + fromStd(std::string(step)));
    mapDocuments(e, ev);
    const bool purchasing = ev.document && ev.document->kind != DocumentKind::SupplierInvoice;
    ev.milestone = milestoneOf(e, purchasing);
    ev.system = QStringLiteral("epcis");
    ev.status = fromStd(std::string(stringOr(e, "disposition")));
    ev.warehouse = fromStd(std::string(stringOr(e.value("bizLocation", json::object()), "id")));
    ev.occurredMs = *parseRfc3339(e.at("eventTime").get_ref<const std::string &>());
    ev.receivedMs = receivedMs;
    ev.raw = raw.toByteArray();
    ev.rawHash = QCryptographicHash::hash(ev.raw, QCryptographicHash::Sha1);
    return ev;
}

// An event that carries an errorDeclaration says the event with its eventID was wrong.
void declareError(const json &e, CanonicalEvent &ev)
{
    const auto declaration = e.find("errorDeclaration");
    if (declaration == e.end() || !declaration->is_object())
        return;
    ev.retracts = ev.id;
    ev.id += QStringLiteral("#error-declaration");
    ev.type = QStringLiteral("epcis.errorDeclaration");
    ev.milestone.clear();
    ev.status = QStringLiteral("error declared: %1")
                    .arg(fromStd(std::string(stringOr(*declaration, "reason", "no reason given"))));
    const std::string_view declared = stringOr(*declaration, "declarationTime");
    if (const auto at = parseRfc3339(declared))
        ev.occurredMs = *at;
}

// The byte spans of eventList's elements, or nothing when they cannot be found exactly.
std::optional<QList<Span>> eventSpans(QByteArrayView bytes, std::size_t expected)
{
    static const QByteArray key("\"eventList\"");
    const qsizetype keyAt = bytes.indexOf(key);
    if (keyAt < 0)
        return std::nullopt;
    qsizetype at = keyAt + key.size();
    while (at < bytes.size() && (bytes[at] == ' ' || bytes[at] == '\n' || bytes[at] == '\r' ||
                                 bytes[at] == '\t' || bytes[at] == ':'))
        ++at;
    if (at >= bytes.size() || bytes[at] != '[')
        return std::nullopt;
    const qsizetype end = endOfValue(bytes, at);
    if (end < 0)
        return std::nullopt;
    auto spans = splitArray(bytes.sliced(at, end - at));
    if (!spans || std::size_t(spans->size()) != expected)
        return std::nullopt;
    for (Span &s : *spans) {
        s.begin += at;
        s.end += at;
    }
    return spans;
}

} // namespace

bool EpcisReader::looksLikeEpcis(QByteArrayView bytes)
{
    const QByteArrayView head = bytes.first(std::min<qsizetype>(bytes.size(), 4096));
    return head.trimmed().startsWith('{') && head.contains("\"EPCISDocument\"");
}

void EpcisReader::readDocument(QByteArrayView bytes, qint64 receivedMs, ParsedInput &out) const
{
    auto quarantine = [&](QByteArrayView raw, const QString &position, const QString &error) {
        out.quarantined.append({m_origin, position, error, raw.toByteArray(), receivedMs});
    };
    json doc;
    try {
        doc = json::parse(bytes.begin(), bytes.end());
    } catch (const json::parse_error &err) {
        quarantine(bytes, lineColumn(bytes, qsizetype(err.byte) - 1),
                   QStringLiteral("not JSON: %1").arg(QString::fromUtf8(err.what())));
        return;
    }
    if (!doc.is_object() || stringOr(doc, "type") != "EPCISDocument") {
        quarantine(bytes, QStringLiteral("line 1"),
                   QStringLiteral("not an EPCIS document: type must be EPCISDocument"));
        return;
    }
    if (const std::string_view version = stringOr(doc, "schemaVersion"); version != "2.0" && version != "2") {
        quarantine(bytes, QStringLiteral("line 1"),
                   QStringLiteral("EPCIS schemaVersion '%1' is not supported (2.0 is)")
                       .arg(fromStd(std::string(version))));
        return;
    }
    const json *events = nullptr;
    if (const auto body = doc.find("epcisBody"); body != doc.end() && body->is_object()) {
        if (const auto list = body->find("eventList"); list != body->end() && list->is_array())
            events = &*list;
    }
    if (!events) {
        quarantine(bytes, QStringLiteral("line 1"),
                   QStringLiteral("an EPCIS document needs epcisBody.eventList, an array"));
        return;
    }
    const auto spans = eventSpans(bytes, events->size());
    for (std::size_t i = 0; i < events->size(); ++i) {
        const json &e = (*events)[i];
        QByteArray dumped;
        QByteArrayView raw;
        QString position = QStringLiteral("event %1").arg(i + 1);
        if (spans) {
            const Span &s = (*spans)[qsizetype(i)];
            raw = bytes.sliced(s.begin, s.end - s.begin);
            position += QStringLiteral(" (%1)").arg(lineColumn(bytes, s.begin));
        } else {
            dumped = QByteArray::fromStdString(e.dump());
            raw = dumped;
        }
        if (auto err = validateEvent(e)) {
            quarantine(raw, position, QStringLiteral("not a valid EPCIS 2.0 event: %1").arg(*err));
            continue;
        }
        CanonicalEvent ev = mapEvent(e, raw, receivedMs);
        declareError(e, ev);
        out.events.append(std::move(ev));
    }
}

} // namespace sightline
