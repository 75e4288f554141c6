#include "models/ingest/cloudevents.h"

#include "models/domain/milestone.h"
#include "models/domain/timestamp.h"
#include "models/ingest/jsonspans.h"

#include <QCryptographicHash>
#include <QUrl>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>

namespace sightline {
namespace {

using json = nlohmann::json;

bool isSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

QString fromStd(const std::string &s)
{
    return QString::fromUtf8(s.data(), qsizetype(s.size()));
}

QString ascii(const char *s)
{
    return QString::fromLatin1(s);
}

constexpr char kByteOrderMark[] = "\xEF\xBB\xBF";

// JSON Lines whose first line is cut short or broken (so that looksLikeJsonLines cannot tell): the
// whole text is not one JSON value, and its second non-blank line is a complete JSON object of its
// own. An event pretty-printed over several lines has a member, not an object, on its second line.
bool isJsonLinesWithBrokenFirstLine(QByteArrayView b)
{
    qsizetype nl = b.indexOf('\n');
    if (nl < 0)
        return false;
    QByteArrayView second;
    while (nl >= 0 && second.isEmpty()) {
        const qsizetype next = b.indexOf('\n', nl + 1);
        second = b.sliced(nl + 1, (next < 0 ? b.size() : next) - nl - 1).trimmed();
        nl = next;
    }
    if (!second.startsWith('{') || !second.endsWith('}') || !json::accept(second.begin(), second.end()))
        return false;
    return !json::accept(b.begin(), b.end());
}

// ---- validation against the CloudEvents 1.0 rules --------------------------------------------

const std::string_view kContextAttributes[] = {"specversion", "id",      "source", "type", "datacontenttype",
                                               "dataschema",  "subject", "time",   "data", "data_base64"};

bool isContextAttribute(const std::string &name)
{
    for (auto a : kContextAttributes) {
        if (a == name)
            return true;
    }
    return false;
}

bool isValidExtensionName(const std::string &name)
{
    if (name.empty())
        return false;
    for (char c : name) {
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
            return false;
    }
    return true;
}

const char *typeName(const json &v)
{
    return v.type_name();
}

// A required context attribute: a non-empty string.
std::optional<QString> requireString(const json &e, const char *name)
{
    const auto it = e.find(name);
    if (it == e.end())
        return QStringLiteral("the required attribute '%1' is missing").arg(ascii(name));
    if (!it->is_string())
        return QStringLiteral("'%1' must be a string, found %2").arg(ascii(name), ascii(typeName(*it)));
    if (it->get_ref<const std::string &>().empty())
        return QStringLiteral("'%1' must not be empty").arg(ascii(name));
    return std::nullopt;
}

// An optional context attribute: absent, null, or a non-empty string.
std::optional<QString> optionalString(const json &e, const char *name)
{
    const auto it = e.find(name);
    if (it == e.end() || it->is_null())
        return std::nullopt;
    if (!it->is_string())
        return QStringLiteral("'%1' must be a string, found %2").arg(ascii(name), ascii(typeName(*it)));
    if (it->get_ref<const std::string &>().empty())
        return QStringLiteral("'%1' must not be empty when present").arg(ascii(name));
    return std::nullopt;
}

std::optional<QString> validateExtension(const std::string &name, const json &value)
{
    if (!isValidExtensionName(name))
        return QStringLiteral("extension attribute name '%1' is invalid: CloudEvents allows only lower-case "
                              "letters a-z and digits 0-9")
            .arg(fromStd(name));
    if (value.is_null() || value.is_string() || value.is_boolean())
        return std::nullopt;
    if (value.is_number_integer()) {
        const bool fits =
            value.is_number_unsigned()
                ? value.get<std::uint64_t>() <= std::uint64_t(std::numeric_limits<std::int32_t>::max())
                : value.get<std::int64_t>() >= std::numeric_limits<std::int32_t>::min() &&
                      value.get<std::int64_t>() <= std::numeric_limits<std::int32_t>::max();
        if (fits)
            return std::nullopt;
        return QStringLiteral(
                   "extension attribute '%1' is outside the 32-bit integer range CloudEvents allows")
            .arg(fromStd(name));
    }
    if (value.is_number_float())
        return QStringLiteral("extension attribute '%1' is %2, but CloudEvents allows only integers")
            .arg(fromStd(name), fromStd(value.dump()));
    return QStringLiteral("extension attribute '%1' is %2; CloudEvents allows a string, boolean or integer")
        .arg(fromStd(name), ascii(typeName(value)));
}

std::optional<QString> validateCloudEvent(const json &e)
{
    if (!e.is_object())
        return QStringLiteral("a CloudEvent must be a JSON object, found %1").arg(ascii(typeName(e)));
    for (const char *name : {"specversion", "id", "source", "type"}) {
        if (auto err = requireString(e, name))
            return err;
    }
    const auto &version = e["specversion"].get_ref<const std::string &>();
    if (version != "1.0")
        return QStringLiteral("specversion '%1' is not supported; Sightline reads CloudEvents 1.0")
            .arg(fromStd(version));
    for (const char *name : {"datacontenttype", "dataschema", "subject", "time"}) {
        if (auto err = optionalString(e, name))
            return err;
    }
    if (auto t = e.find("time"); t != e.end() && t->is_string()) {
        if (!parseRfc3339(t->get_ref<const std::string &>()))
            return QStringLiteral("'time' is '%1', which is not an RFC 3339 timestamp")
                .arg(fromStd(t->get_ref<const std::string &>()));
    }
    if (auto s = e.find("dataschema"); s != e.end() && s->is_string()) {
        const QUrl url(fromStd(s->get_ref<const std::string &>()), QUrl::StrictMode);
        if (!url.isValid() || url.isRelative())
            return QStringLiteral("'dataschema' must be an absolute URI");
    }
    const auto b64 = e.find("data_base64");
    if (b64 != e.end() && !b64->is_null()) {
        if (e.contains("data"))
            return QStringLiteral("an event may carry 'data' or 'data_base64', not both");
        if (!b64->is_string())
            return QStringLiteral("'data_base64' must be a string, found %1").arg(ascii(typeName(*b64)));
        const auto &text = b64->get_ref<const std::string &>();
        const auto decoded = QByteArray::fromBase64Encoding(QByteArray::fromStdString(text),
                                                            QByteArray::AbortOnBase64DecodingErrors);
        if (!decoded)
            return QStringLiteral("'data_base64' is not valid base64");
    }
    for (auto it = e.begin(); it != e.end(); ++it) {
        if (isContextAttribute(it.key()))
            continue;
        if (auto err = validateExtension(it.key(), it.value()))
            return err;
    }
    return std::nullopt;
}

// ---- mapping onto the canonical model (Sightline's event profile) ----------------------------

struct MapError
{
    QString message;
};

std::optional<QString> stringAt(const json &obj, const char *name, const QString &path,
                                std::optional<MapError> &err)
{
    const auto it = obj.find(name);
    if (it == obj.end() || it->is_null())
        return std::nullopt;
    if (!it->is_string()) {
        err = MapError{
            QStringLiteral("%1/%2 must be a string, found %3").arg(path, ascii(name), ascii(typeName(*it)))};
        return std::nullopt;
    }
    return fromStd(it->get_ref<const std::string &>());
}

std::optional<DocumentRef> documentAt(const json &obj, const QString &path, std::optional<MapError> &err)
{
    if (!obj.is_object()) {
        err = MapError{QStringLiteral("%1 must be an object with 'kind' and 'key'").arg(path)};
        return std::nullopt;
    }
    const auto kindName = stringAt(obj, "kind", path, err);
    const auto key = stringAt(obj, "key", path, err);
    if (err)
        return std::nullopt;
    if (!kindName || !key || key->trimmed().isEmpty()) {
        err = MapError{QStringLiteral("%1 needs a 'kind' and a non-empty 'key'").arg(path)};
        return std::nullopt;
    }
    const auto kind = documentKindFromName(*kindName);
    if (!kind) {
        err = MapError{
            QStringLiteral("%1/kind '%2' is not a document kind Sightline knows").arg(path, *kindName)};
        return std::nullopt;
    }
    return DocumentRef{*kind, key->trimmed()};
}

std::optional<DocumentRef> documentFromSubject(const json &e)
{
    const auto it = e.find("subject");
    if (it == e.end() || !it->is_string())
        return std::nullopt;
    const QString subject = fromStd(it->get_ref<const std::string &>());
    const qsizetype slash = subject.indexOf(u'/');
    if (slash <= 0)
        return std::nullopt;
    const auto kind = documentKindFromName(QStringView(subject).left(slash));
    const QString key = subject.mid(slash + 1).trimmed();
    if (!kind || key.isEmpty()) // "sales_order/ " names no document
        return std::nullopt;
    return DocumentRef{*kind, key};
}

void mapIdentifiers(const json &doc, CanonicalEvent &ev, std::optional<MapError> &err)
{
    const auto ids = doc.find("identifiers");
    if (ids == doc.end() || ids->is_null())
        return;
    if (!ids->is_object()) {
        err = MapError{QStringLiteral("/data/document/identifiers must be an object of scheme to value")};
        return;
    }
    for (auto it = ids->begin(); it != ids->end(); ++it) {
        if (!it->is_string() || it->get_ref<const std::string &>().empty()) {
            err = MapError{QStringLiteral("/data/document/identifiers/%1 must be a non-empty string")
                               .arg(fromStd(it.key()))};
            return;
        }
        ev.identifiers.append({fromStd(it.key()), fromStd(it->get_ref<const std::string &>())});
    }
}

// Order and PO lines name their products: each line's "sku" makes the document findable by it.
// Lines are descriptive, not required: a line that is not an object or has no string sku is skipped.
void mapLineSkus(const json &data, CanonicalEvent &ev)
{
    const auto lines = data.find("lines");
    if (lines == data.end() || !lines->is_array())
        return;
    for (const json &line : *lines) {
        if (!line.is_object())
            continue;
        const auto sku = line.find("sku");
        if (sku == line.end() || !sku->is_string() || sku->get_ref<const std::string &>().empty())
            continue;
        const Identifier id{QStringLiteral("sku"), fromStd(sku->get_ref<const std::string &>())};
        if (!ev.identifiers.contains(id))
            ev.identifiers.append(id);
    }
}

void mapLinks(const json &data, CanonicalEvent &ev, std::optional<MapError> &err)
{
    const auto links = data.find("links");
    if (links == data.end() || links->is_null())
        return;
    if (!links->is_array()) {
        err = MapError{QStringLiteral("/data/links must be an array")};
        return;
    }
    for (std::size_t i = 0; i < links->size(); ++i) {
        const QString path = QStringLiteral("/data/links/%1").arg(i);
        const json &l = (*links)[i];
        const auto to = documentAt(l, path, err);
        if (err)
            return;
        const auto relation = stringAt(l, "relation", path, err);
        if (err)
            return;
        ev.links.append({*to, relation.value_or(QStringLiteral("references"))});
    }
}

std::optional<MapError> mapData(const json &data, CanonicalEvent &ev)
{
    std::optional<MapError> err;
    if (const auto doc = data.find("document"); doc != data.end() && !doc->is_null()) {
        ev.document = documentAt(*doc, QStringLiteral("/data/document"), err);
        if (err)
            return err;
        mapIdentifiers(*doc, ev, err);
        if (err)
            return err;
        mapLineSkus(data, ev);
    }
    mapLinks(data, ev, err);
    const QString path = QStringLiteral("/data");
    ev.system = stringAt(data, "system", path, err).value_or(QString());
    ev.status = stringAt(data, "status", path, err).value_or(QString());
    ev.partner = stringAt(data, "partner", path, err).value_or(QString());
    ev.warehouse = stringAt(data, "warehouse", path, err).value_or(QString());
    if (const auto m = stringAt(data, "milestone", path, err)) {
        if (!isMilestone(*m))
            return MapError{QStringLiteral("/data/milestone '%1' is not a canonical milestone").arg(*m)};
        ev.milestone = *m;
    }
    return err;
}

std::optional<MapError> mapEvent(const json &e, CanonicalEvent &ev)
{
    ev.source = fromStd(e["source"].get_ref<const std::string &>());
    ev.id = fromStd(e["id"].get_ref<const std::string &>());
    ev.type = fromStd(e["type"].get_ref<const std::string &>());
    if (auto t = e.find("time"); t != e.end() && t->is_string()) {
        ev.occurredMs = *parseRfc3339(t->get_ref<const std::string &>());
    } else {
        ev.occurredMs = ev.receivedMs;
        ev.occurredEstimated = true;
    }
    const auto data = e.find("data");
    if (data != e.end() && data->is_object()) {
        if (auto err = mapData(*data, ev))
            return err;
    }
    if (!ev.document)
        ev.document = documentFromSubject(e);
    if (!ev.document && !ev.links.isEmpty()) // the links would be lost in silence
        return MapError{QStringLiteral("/data/links need the document they link from: /data/document, "
                                       "or a subject \"kind/key\"")};
    if (ev.milestone.isEmpty())
        ev.milestone = milestoneForEventType(ev.type);
    return std::nullopt;
}

QString parseErrorMessage(const json::parse_error &e)
{
    // nlohmann's text starts with "[json.exception.parse_error.101] parse error at line 1, column 5: ..."
    std::string_view what = e.what();
    const auto colon = what.find(": ");
    if (colon != std::string_view::npos)
        what.remove_prefix(colon + 2);
    return QStringLiteral("malformed JSON: %1").arg(QString::fromUtf8(what.data(), qsizetype(what.size())));
}

} // namespace

void CloudEventReader::quarantine(QByteArrayView raw, const QString &position, const QString &error,
                                  qint64 receivedMs, ParsedInput &out) const
{
    out.quarantined.append({m_origin, position, error, raw.toByteArray(), receivedMs});
}

void CloudEventReader::readEvent(QByteArrayView bytes, const QString &position, qint64 receivedMs,
                                 ParsedInput &out) const
{
    json e;
    try {
        e = json::parse(bytes.begin(), bytes.end());
    } catch (const json::parse_error &err) {
        const QString where =
            position.isEmpty()
                ? lineColumn(bytes, qsizetype(err.byte) - 1)
                : QStringLiteral("%1, byte %2").arg(position).arg(qMax<qsizetype>(qsizetype(err.byte), 1));
        quarantine(bytes, where, parseErrorMessage(err), receivedMs, out);
        return;
    }
    const QString where = position.isEmpty() ? QStringLiteral("line 1") : position;
    if (auto err = validateCloudEvent(e)) {
        quarantine(bytes, where, QStringLiteral("not a valid CloudEvent: %1").arg(*err), receivedMs, out);
        return;
    }
    CanonicalEvent ev;
    ev.receivedMs = receivedMs;
    if (auto err = mapEvent(e, ev)) {
        quarantine(bytes, where, QStringLiteral("does not map: %1").arg(err->message), receivedMs, out);
        return;
    }
    ev.raw = bytes.toByteArray();
    ev.rawHash = QCryptographicHash::hash(ev.raw, QCryptographicHash::Sha1);
    out.events.append(std::move(ev));
}

void CloudEventReader::readBatch(QByteArrayView bytes, qint64 receivedMs, ParsedInput &out) const
{
    qsizetype start = bytes.startsWith(kByteOrderMark) ? 3 : 0;
    while (start < bytes.size() && isSpace(bytes[start]))
        ++start;
    const auto spans = splitArray(bytes.sliced(start));
    if (!spans) {
        try {
            const json whole = json::parse(bytes.begin(), bytes.end());
            quarantine(bytes, QStringLiteral("line 1"),
                       QStringLiteral("a batch must be a JSON array of events, found %1")
                           .arg(ascii(typeName(whole))),
                       receivedMs, out);
        } catch (const json::parse_error &err) {
            quarantine(bytes, lineColumn(bytes, qsizetype(err.byte) - 1), parseErrorMessage(err), receivedMs,
                       out);
        }
        return;
    }
    // Lines are counted as the elements go by: a batch of many events must not be rescanned per element.
    int index = 0;
    int line = 1;
    qsizetype scanned = 0;
    qsizetype lineStart = 0;
    for (const Span &s : *spans) {
        ++index;
        const qsizetype at = start + s.begin;
        for (; scanned < at; ++scanned) {
            if (bytes[scanned] == '\n') {
                ++line;
                lineStart = scanned + 1;
            }
        }
        const QString position =
            QStringLiteral("element %1 (line %2, column %3)").arg(index).arg(line).arg(at - lineStart + 1);
        readEvent(bytes.sliced(at, s.end - s.begin), position, receivedMs, out);
    }
}

void CloudEventReader::readLines(QByteArrayView bytes, int firstLine, qint64 receivedMs,
                                 ParsedInput &out) const
{
    int line = firstLine;
    qsizetype pos = firstLine == 1 && bytes.startsWith(kByteOrderMark) ? 3 : 0;
    while (pos < bytes.size()) {
        qsizetype nl = bytes.indexOf('\n', pos);
        if (nl < 0)
            nl = bytes.size();
        QByteArrayView text = bytes.sliced(pos, nl - pos);
        if (text.endsWith('\r'))
            text.chop(1);
        if (!text.trimmed().isEmpty())
            readEvent(text, QStringLiteral("line %1").arg(line), receivedMs, out);
        pos = nl + 1;
        ++line;
    }
}

bool CloudEventReader::looksLikeJsonLines(QByteArrayView bytes)
{
    qsizetype start = bytes.startsWith(kByteOrderMark) ? 3 : 0;
    while (start < bytes.size() && isSpace(bytes[start]))
        ++start;
    if (start >= bytes.size() || bytes[start] != '{')
        return false;
    const qsizetype end = endOfValue(bytes, start, Lines::EndTheValue);
    if (end < 0)
        return false;
    for (qsizetype i = end; i < bytes.size(); ++i) {
        if (!isSpace(bytes[i]))
            return true;
    }
    return false;
}

void CloudEventReader::readDocument(QByteArrayView bytes, qint64 receivedMs, ParsedInput &out) const
{
    if (bytes.startsWith(kByteOrderMark))
        bytes = bytes.sliced(3); // an artefact of the file, not part of any event
    qsizetype start = 0;
    while (start < bytes.size() && isSpace(bytes[start]))
        ++start;
    if (start >= bytes.size())
        return;
    if (bytes[start] == '[')
        readBatch(bytes, receivedMs, out);
    else if (looksLikeJsonLines(bytes.sliced(start)) || isJsonLinesWithBrokenFirstLine(bytes))
        readLines(bytes, 1, receivedMs, out);
    else
        readEvent(bytes, QString(), receivedMs, out);
}

} // namespace sightline
