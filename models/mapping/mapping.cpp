#include "models/mapping/mapping.h"

#include "models/domain/milestone.h"
#include "models/domain/timestamp.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QFile>
#include <QFileInfo>
#include <QTimeZone>
#include <nlohmann/json.hpp>
#include <optional>
#include <variant>

namespace sightline {

using json = nlohmann::json;

namespace {

QString qs(const std::string &s)
{
    return QString::fromUtf8(s.data(), qsizetype(s.size()));
}

// One value in a rule: a JSON pointer ("/number"), a template ("SO-{/number}", "{^/id}" for the
// payload's root inside forEach), or a literal.
struct ValueSpec
{
    struct Part
    {
        bool pointer = false;
        bool fromRoot = false;
        std::string text; // literal text, or the pointer
    };
    std::vector<Part> parts;
    QString source; // as written, for messages

    bool isEmpty() const { return parts.empty(); }
};

struct MilestoneSpec
{
    QString literal;
    std::optional<ValueSpec> pointer;
    std::map<std::string, QString> values;
    bool keepUnmapped = false;
};

struct TimeSpec
{
    ValueSpec value;
    QStringList formats;
    QTimeZone zone = QTimeZone::utc();
};

struct LinkSpec
{
    DocumentKind kind = DocumentKind::SalesOrder;
    ValueSpec key;
    QString relation;
    std::string forEach; // pointer to an array; empty for a single link
};

struct Condition
{
    std::string pointer;
    std::optional<json> equals;
    std::vector<json> in;
    std::optional<bool> exists;
};

} // namespace

struct MappingRule
{
    QString name;
    std::vector<Condition> when;
    ValueSpec id, type, source, system, status, partner, warehouse;
    DocumentKind kind = DocumentKind::SalesOrder;
    ValueSpec key;
    std::vector<std::pair<QString, ValueSpec>> identifiers;
    std::vector<LinkSpec> links;
    MilestoneSpec milestone;
    std::optional<TimeSpec> time;
};

struct MappingRules
{
    QString fileName;
    QString name;
    std::vector<MappingRule> rules;
};

namespace {

// ---- reading the mapping file ----------------------------------------------------------------

struct LoadError
{
    QString message;
};

ValueSpec parseValue(const std::string &text)
{
    ValueSpec v;
    v.source = qs(text);
    if (!text.empty() && text.front() == '/') {
        v.parts.push_back({true, false, text});
        return v;
    }
    std::size_t pos = 0;
    while (pos < text.size()) {
        const std::size_t open = text.find('{', pos);
        const bool placeholder = open != std::string::npos && open + 1 < text.size() &&
                                 (text[open + 1] == '/' || text[open + 1] == '^');
        const std::size_t close = placeholder ? text.find('}', open) : std::string::npos;
        if (!placeholder || close == std::string::npos) {
            v.parts.push_back({false, false, text.substr(pos)});
            break;
        }
        if (open > pos)
            v.parts.push_back({false, false, text.substr(pos, open - pos)});
        std::string pointer = text.substr(open + 1, close - open - 1);
        const bool fromRoot = pointer.front() == '^';
        if (fromRoot)
            pointer.erase(0, 1);
        v.parts.push_back({true, fromRoot, pointer});
        pos = close + 1;
    }
    return v;
}

class RuleReader
{
public:
    RuleReader(const QString &file, const QString &rule)
        : m_prefix(QStringLiteral("%1: rule '%2': ").arg(file, rule))
    {}

    LoadError error(const QString &what) const { return {m_prefix + what}; }

    std::optional<ValueSpec> value(const json &obj, const char *field, bool required,
                                   std::optional<LoadError> &err) const
    {
        const auto it = obj.find(field);
        if (it == obj.end() || it->is_null()) {
            if (required && !err)
                err = error(QStringLiteral("'%1' is required").arg(QLatin1String(field)));
            return std::nullopt;
        }
        if (!it->is_string()) {
            if (!err)
                err = error(QStringLiteral("'%1' must be a string (a /pointer, a {/template} or a literal)")
                                .arg(QLatin1String(field)));
            return std::nullopt;
        }
        try {
            ValueSpec v = parseValue(it->get<std::string>());
            for (const auto &p : v.parts) {
                if (p.pointer)
                    (void)json::json_pointer(p.text);
            }
            return v;
        } catch (const json::exception &e) {
            if (!err)
                err = error(QStringLiteral("'%1' holds an invalid JSON pointer: %2")
                                .arg(QLatin1String(field), QString::fromUtf8(e.what())));
            return std::nullopt;
        }
    }

    std::optional<DocumentKind> kind(const json &obj, const QString &where,
                                     std::optional<LoadError> &err) const
    {
        const auto it = obj.find("kind");
        if (it == obj.end() || !it->is_string()) {
            if (!err)
                err = error(QStringLiteral("%1.kind must be a document kind").arg(where));
            return std::nullopt;
        }
        const auto k = documentKindFromName(qs(it->get<std::string>()));
        if (!k && !err)
            err = error(
                QStringLiteral("%1.kind '%2' is not a document kind").arg(where, qs(it->get<std::string>())));
        return k;
    }

private:
    QString m_prefix;
};

void readConditions(const json &rule, const RuleReader &r, MappingRule &out, std::optional<LoadError> &err)
{
    const auto when = rule.find("when");
    if (when == rule.end())
        return;
    const json list = when->is_array() ? *when : json::array({*when});
    for (const json &c : list) {
        if (!c.is_object() || !c.contains("pointer") || !c["pointer"].is_string()) {
            err = r.error(QStringLiteral("each 'when' needs a 'pointer'"));
            return;
        }
        Condition cond;
        cond.pointer = c["pointer"].get<std::string>();
        if (c.contains("equals"))
            cond.equals = c["equals"];
        if (c.contains("in") && c["in"].is_array())
            cond.in = c["in"].get<std::vector<json>>();
        if (c.contains("exists") && c["exists"].is_boolean())
            cond.exists = c["exists"].get<bool>();
        out.when.push_back(std::move(cond));
    }
}

void readMilestone(const json &rule, const RuleReader &r, MappingRule &out, std::optional<LoadError> &err)
{
    const auto m = rule.find("milestone");
    if (m == rule.end() || m->is_null())
        return;
    if (m->is_string()) {
        out.milestone.literal = qs(m->get<std::string>());
        if (!isMilestone(out.milestone.literal))
            err = r.error(
                QStringLiteral("milestone '%1' is not a canonical milestone").arg(out.milestone.literal));
        return;
    }
    if (!m->is_object() || !m->contains("values") || !(*m)["values"].is_object()) {
        err = r.error(QStringLiteral("'milestone' must be a milestone name or {pointer, values}"));
        return;
    }
    out.milestone.pointer = r.value(*m, "pointer", true, err);
    for (const auto &[status, name] : (*m)["values"].items()) {
        if (name.is_null()) {
            out.milestone.values[status] = QString(); // a status that is deliberately no milestone
            continue;
        }
        if (!name.is_string() || !isMilestone(qs(name.get<std::string>()))) {
            err = r.error(
                QStringLiteral("milestone.values['%1'] is not a canonical milestone").arg(qs(status)));
            return;
        }
        out.milestone.values[status] = qs(name.get<std::string>());
    }
    out.milestone.keepUnmapped = m->value("unmapped", std::string("quarantine")) == "keep";
}

void readTime(const json &rule, const RuleReader &r, MappingRule &out, std::optional<LoadError> &err)
{
    const auto t = rule.find("time");
    if (t == rule.end() || t->is_null())
        return;
    TimeSpec spec;
    if (t->is_string()) {
        spec.value = parseValue(t->get<std::string>());
        spec.formats = {QStringLiteral("rfc3339")};
    } else if (t->is_object()) {
        if (auto v = r.value(*t, "pointer", true, err))
            spec.value = *v;
        for (const auto &f : t->value("formats", json::array({"rfc3339"})))
            spec.formats.append(f.is_string() ? qs(f.get<std::string>()) : QString());
        if (t->contains("timezone")) {
            spec.zone = QTimeZone(QByteArray::fromStdString(t->value("timezone", std::string())));
            if (!spec.zone.isValid())
                err = r.error(QStringLiteral("time.timezone is not a known IANA time zone"));
        }
    } else {
        err = r.error(QStringLiteral("'time' must be a pointer or {pointer, formats, timezone}"));
    }
    out.time = spec;
}

void readLinks(const json &rule, const RuleReader &r, MappingRule &out, std::optional<LoadError> &err)
{
    const auto links = rule.find("links");
    if (links == rule.end() || links->is_null())
        return;
    if (!links->is_array()) {
        err = r.error(QStringLiteral("'links' must be an array"));
        return;
    }
    for (std::size_t i = 0; i < links->size() && !err; ++i) {
        const json &l = (*links)[i];
        const QString where = QStringLiteral("links[%1]").arg(i);
        if (!l.is_object()) {
            err = r.error(where + QStringLiteral(" must be an object"));
            return;
        }
        LinkSpec spec;
        if (auto k = r.kind(l, where, err))
            spec.kind = *k;
        if (auto key = r.value(l, "key", true, err))
            spec.key = *key;
        spec.relation = qs(l.value("relation", std::string("references")));
        spec.forEach = l.value("forEach", std::string());
        out.links.push_back(std::move(spec));
    }
}

std::optional<MappingRule> readRule(const json &rule, const MappingRules &file, std::size_t index,
                                    std::optional<LoadError> &err)
{
    const QString name = rule.is_object() && rule.contains("name") && rule["name"].is_string()
                             ? qs(rule["name"].get<std::string>())
                             : QStringLiteral("#%1").arg(index + 1);
    const RuleReader r(file.fileName, name);
    if (!rule.is_object()) {
        err = r.error(QStringLiteral("a rule must be an object"));
        return std::nullopt;
    }
    MappingRule out;
    out.name = name;
    readConditions(rule, r, out, err);
    out.id = r.value(rule, "id", true, err).value_or(ValueSpec{});
    out.type = r.value(rule, "type", false, err).value_or(ValueSpec{});
    out.source = r.value(rule, "source", false, err).value_or(ValueSpec{});
    out.system = r.value(rule, "system", false, err).value_or(ValueSpec{});
    out.status = r.value(rule, "status", false, err).value_or(ValueSpec{});
    out.partner = r.value(rule, "partner", false, err).value_or(ValueSpec{});
    out.warehouse = r.value(rule, "warehouse", false, err).value_or(ValueSpec{});
    const auto doc = rule.find("document");
    if (doc == rule.end() || !doc->is_object()) {
        if (!err)
            err = r.error(QStringLiteral("'document' {kind, key} is required"));
        return std::nullopt;
    }
    if (auto k = r.kind(*doc, QStringLiteral("document"), err))
        out.kind = *k;
    out.key = r.value(*doc, "key", true, err).value_or(ValueSpec{});
    if (const auto ids = rule.find("identifiers"); ids != rule.end() && ids->is_object()) {
        for (const auto &[scheme, spec] : ids->items()) {
            if (auto v = r.value(*ids, scheme.c_str(), true, err))
                out.identifiers.emplace_back(qs(scheme), *v);
        }
    }
    readLinks(rule, r, out, err);
    readMilestone(rule, r, out, err);
    readTime(rule, r, out, err);
    if (err)
        return std::nullopt;
    return out;
}

// ---- applying a rule to a payload -------------------------------------------------------------

struct Missing
{
    QString message;
};

std::variant<QString, Missing> scalarAt(const json &root, const json &scope, const ValueSpec::Part &part)
{
    const json &base = part.fromRoot ? root : scope;
    const json::json_pointer ptr(part.text);
    if (!base.contains(ptr))
        return Missing{QStringLiteral("%1 is missing").arg(qs(part.text))};
    const json &v = base.at(ptr);
    if (v.is_string())
        return qs(v.get<std::string>());
    if (v.is_number_integer() || v.is_number_unsigned() || v.is_boolean())
        return qs(v.dump());
    if (v.is_number_float())
        return QString::number(v.get<double>(), 'g', 17);
    if (v.is_null())
        return Missing{QStringLiteral("%1 is null").arg(qs(part.text))};
    return Missing{QStringLiteral("%1 is %2, not a value").arg(qs(part.text), QLatin1String(v.type_name()))};
}

std::variant<QString, Missing> evaluate(const ValueSpec &spec, const json &root, const json &scope)
{
    QString out;
    for (const auto &part : spec.parts) {
        if (!part.pointer) {
            out += qs(part.text);
            continue;
        }
        auto v = scalarAt(root, scope, part);
        if (auto *m = std::get_if<Missing>(&v))
            return *m;
        out += std::get<QString>(v);
    }
    return out;
}

bool matches(const Condition &c, const json &payload)
{
    const json::json_pointer ptr(c.pointer);
    const bool present = payload.contains(ptr);
    if (c.exists && *c.exists != present)
        return false;
    if (c.equals && (!present || payload.at(ptr) != *c.equals))
        return false;
    if (!c.in.empty() && (!present || std::find(c.in.begin(), c.in.end(), payload.at(ptr)) == c.in.end()))
        return false;
    return true;
}

std::optional<qint64> parseTime(const QString &text, const TimeSpec &spec)
{
    for (const QString &format : spec.formats) {
        bool ok = false;
        if (format == QLatin1String("rfc3339")) {
            if (auto ms = parseRfc3339(text.toStdString()))
                return ms;
        } else if (format == QLatin1String("epoch_ms")) {
            const qint64 v = text.toLongLong(&ok);
            if (ok)
                return v;
        } else if (format == QLatin1String("epoch_s")) {
            const qint64 v = text.toLongLong(&ok);
            if (ok)
                return v * 1000;
        } else if (!format.isEmpty()) {
            QDateTime dt = QDateTime::fromString(text, format);
            if (dt.isValid()) {
                dt.setTimeZone(spec.zone);
                return dt.toMSecsSinceEpoch();
            }
        }
    }
    return std::nullopt;
}

class RuleApplier
{
public:
    RuleApplier(const MappingRules &file, const MappingRule &rule, const json &payload)
        : m_file(file), m_rule(rule), m_payload(payload)
    {}

    std::optional<QString> apply(CanonicalEvent &ev)
    {
        ev.id = required(m_rule.id, "id");
        ev.source = optional(m_rule.source);
        ev.type = optional(m_rule.type);
        ev.system = optional(m_rule.system);
        ev.status = optional(m_rule.status);
        ev.partner = optional(m_rule.partner);
        ev.warehouse = optional(m_rule.warehouse);
        ev.document = DocumentRef{m_rule.kind, required(m_rule.key, "document.key").trimmed()};
        for (const auto &[scheme, spec] : m_rule.identifiers) {
            const QString v = optional(spec);
            if (!v.isEmpty())
                ev.identifiers.append({scheme, v});
        }
        applyLinks(ev);
        applyMilestone(ev);
        applyTime(ev);
        if (ev.type.isEmpty())
            ev.type = ev.milestone.isEmpty() ? documentKindName(m_rule.kind) + QStringLiteral(".changed")
                                             : ev.milestone;
        return m_error;
    }

private:
    QString where() const
    {
        return QStringLiteral("mapping %1, rule '%2': ").arg(m_file.fileName, m_rule.name);
    }

    void fail(const QString &what)
    {
        if (!m_error)
            m_error = where() + what;
    }

    QString required(const ValueSpec &spec, const char *field, const json *scope = nullptr)
    {
        auto v = evaluate(spec, m_payload, scope ? *scope : m_payload);
        if (auto *m = std::get_if<Missing>(&v)) {
            fail(QStringLiteral("%1 needs %2").arg(QLatin1String(field), m->message));
            return {};
        }
        if (std::get<QString>(v).trimmed().isEmpty())
            fail(QStringLiteral("%1 is empty (from %2)").arg(QLatin1String(field), spec.source));
        return std::get<QString>(v);
    }

    QString optional(const ValueSpec &spec)
    {
        if (spec.isEmpty())
            return {};
        auto v = evaluate(spec, m_payload, m_payload);
        return std::holds_alternative<QString>(v) ? std::get<QString>(v) : QString();
    }

    void applyLinks(CanonicalEvent &ev)
    {
        for (const LinkSpec &link : m_rule.links) {
            if (link.forEach.empty()) {
                auto key = evaluate(link.key, m_payload, m_payload);
                if (auto *k = std::get_if<QString>(&key); k && !k->trimmed().isEmpty())
                    ev.links.append({{link.kind, k->trimmed()}, link.relation});
                continue; // a reference that is absent is no link
            }
            const json::json_pointer ptr(link.forEach);
            if (!m_payload.contains(ptr))
                continue;
            const json &items = m_payload.at(ptr);
            if (!items.is_array()) {
                fail(QStringLiteral("links forEach %1 is %2, not an array")
                         .arg(qs(link.forEach), QLatin1String(items.type_name())));
                return;
            }
            for (const json &item : items) {
                const QString key = required(link.key, "link key", &item);
                if (!key.isEmpty())
                    ev.links.append({{link.kind, key.trimmed()}, link.relation});
            }
        }
    }

    void applyMilestone(CanonicalEvent &ev)
    {
        const MilestoneSpec &m = m_rule.milestone;
        if (!m.literal.isEmpty()) {
            ev.milestone = m.literal;
            return;
        }
        if (!m.pointer)
            return;
        const QString status = required(*m.pointer, "milestone");
        if (status.isEmpty())
            return;
        if (const auto it = m.values.find(status.toStdString()); it != m.values.end())
            ev.milestone = it->second;
        else if (!m.keepUnmapped)
            fail(QStringLiteral("%1 '%2' has no milestone in milestone.values")
                     .arg(m.pointer->source, status));
        if (ev.status.isEmpty())
            ev.status = status;
    }

    void applyTime(CanonicalEvent &ev)
    {
        if (!m_rule.time) {
            ev.occurredMs = ev.receivedMs;
            ev.occurredEstimated = true;
            return;
        }
        const QString text = required(m_rule.time->value, "time");
        if (text.isEmpty())
            return;
        if (auto ms = parseTime(text, *m_rule.time))
            ev.occurredMs = *ms;
        else
            fail(QStringLiteral("time %1 '%2' matches none of the formats %3")
                     .arg(m_rule.time->value.source, text, m_rule.time->formats.join(QStringLiteral(", "))));
    }

    const MappingRules &m_file;
    const MappingRule &m_rule;
    const json &m_payload;
    std::optional<QString> m_error;
};

} // namespace

Mapping::Mapping(std::shared_ptr<const MappingRules> rules) : m_rules(std::move(rules)) {}
Mapping::~Mapping() = default;

QString Mapping::fileName() const
{
    return m_rules->fileName;
}

QString Mapping::name() const
{
    return m_rules->name;
}

Result<Mapping> Mapping::load(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error{QStringLiteral("cannot read the mapping %1: %2").arg(path, file.errorString())};
    return parse(file.readAll(), QFileInfo(path).fileName());
}

Result<Mapping> Mapping::parse(QByteArrayView text, const QString &fileName)
{
    json root;
    try {
        root = json::parse(text.begin(), text.end());
    } catch (const json::parse_error &e) {
        return Error{QStringLiteral("%1: not valid JSON: %2").arg(fileName, QString::fromUtf8(e.what()))};
    }
    if (!root.is_object() || !root.contains("rules") || !root["rules"].is_array() || root["rules"].empty())
        return Error{
            QStringLiteral("%1: a mapping is an object with a non-empty 'rules' array").arg(fileName)};
    auto rules = std::make_shared<MappingRules>();
    rules->fileName = fileName;
    rules->name = qs(root.value("name", fileName.toStdString()));
    const std::string defaultSource = root.value("source", std::string());
    const std::string defaultSystem = root.value("system", std::string());
    for (std::size_t i = 0; i < root["rules"].size(); ++i) {
        std::optional<LoadError> err;
        auto rule = readRule(root["rules"][i], *rules, i, err);
        if (err)
            return Error{err->message};
        if (rule->source.isEmpty() && !defaultSource.empty())
            rule->source = parseValue(defaultSource);
        if (rule->system.isEmpty() && !defaultSystem.empty())
            rule->system = parseValue(defaultSystem);
        if (rule->source.isEmpty())
            return Error{QStringLiteral("%1: rule '%2': no 'source' (set it on the rule or the mapping)")
                             .arg(fileName, rule->name)};
        rules->rules.push_back(std::move(*rule));
    }
    return Mapping(std::move(rules));
}

void Mapping::map(QByteArrayView payload, const QString &origin, const QString &position, qint64 receivedMs,
                  ParsedInput &out) const
{
    auto quarantine = [&](const QString &why) {
        out.quarantined.append({origin, position, why, payload.toByteArray(), receivedMs});
    };
    json root;
    try {
        root = json::parse(payload.begin(), payload.end());
    } catch (const json::parse_error &e) {
        quarantine(QStringLiteral("malformed JSON: %1").arg(QString::fromUtf8(e.what())));
        return;
    }
    for (const MappingRule &rule : m_rules->rules) {
        if (!std::all_of(rule.when.begin(), rule.when.end(),
                         [&root](const Condition &c) { return matches(c, root); }))
            continue;
        CanonicalEvent ev;
        ev.receivedMs = receivedMs;
        if (auto err = RuleApplier(*m_rules, rule, root).apply(ev)) {
            quarantine(*err);
            return;
        }
        ev.raw = payload.toByteArray();
        ev.rawHash = QCryptographicHash::hash(ev.raw, QCryptographicHash::Sha1);
        out.events.append(std::move(ev));
        return;
    }
    quarantine(QStringLiteral("mapping %1: no rule matches this payload").arg(m_rules->fileName));
}

} // namespace sightline
