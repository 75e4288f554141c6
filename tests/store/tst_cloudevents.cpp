// The CloudEvents 1.0 reader: the public samples of the CloudEvents Java SDK, the CloudEvents JSON
// Schema, batches, JSON Lines, malformed and hostile input, RFC 3339 times and milestone mapping.

#include "models/domain/milestone.h"
#include "models/domain/timestamp.h"
#include "models/ingest/cloudevents.h"
#include "models/ingest/jsonspans.h"
#include "tests/store/testsupport.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QtTest>
#include <nlohmann/json.hpp>
#include <set>

using namespace sightline;
using json = nlohmann::ordered_json;

namespace {

constexpr qint64 kReceived = 1'800'000'000'000;

QString fixture(const QString &relative)
{
    return QStringLiteral(SIGHTLINE_FIXTURES_DIR "/cloudevents/") + relative;
}

QByteArray readAll(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        qFatal("cannot read fixture %s", qPrintable(path));
    return f.readAll();
}

json loadJson(const QString &path)
{
    const QByteArray bytes = readAll(path);
    return json::parse(bytes.begin(), bytes.end());
}

ParsedInput readOne(const QByteArray &bytes)
{
    ParsedInput out;
    CloudEventReader(QStringLiteral("test")).readDocument(bytes, kReceived, out);
    return out;
}

QByteArray dump(const json &j)
{
    return QByteArray::fromStdString(j.dump());
}

qint64 utcMs(int y, int mo, int d, int h, int mi, int s, int ms = 0)
{
    return QDateTime(QDate(y, mo, d), QTime(h, mi, s, ms), Qt::UTC).toMSecsSinceEpoch();
}

// The schema's definition of a property, following its $ref.
const json &definitionOf(const json &schema, const std::string &property)
{
    const std::string ref = schema["properties"][property]["$ref"].get<std::string>();
    const std::string prefix = "#/definitions/";
    if (ref.rfind(prefix, 0) != 0)
        qFatal("unexpected $ref %s", ref.c_str());
    return schema["definitions"][ref.substr(prefix.size())];
}

std::set<std::string> allowedTypes(const json &definition)
{
    std::set<std::string> types;
    const json &t = definition["type"];
    if (t.is_string())
        types.insert(t.get<std::string>());
    else
        for (const json &one : t)
            types.insert(one.get<std::string>());
    return types;
}

// A value of the property the schema says is valid: its first example, else one that fits its format.
json validSample(const json &schema, const std::string &property)
{
    const json &p = schema["properties"][property];
    if (p.contains("examples") && !p["examples"].empty())
        return p["examples"][0];
    const json &def = definitionOf(schema, property);
    if (def.value("format", std::string()) == "uri")
        return "https://example.com/schemas/order.json";
    return "x";
}

// A JSON value of each type the schema can name; strings come from validSample.
json valueOfType(const std::string &type)
{
    if (type == "number")
        return 42;
    if (type == "boolean")
        return true;
    if (type == "object")
        return json::object();
    if (type == "array")
        return json::array({1, 2});
    return nullptr;
}

json minimalEvent()
{
    return loadJson(fixture(QStringLiteral("sdk-java/min.json")));
}

} // namespace

class TestCloudEvents : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void sdkSamples_data();
    void sdkSamples();
    void everySdkSampleIsCovered();
    void requiredAttributesMatchTheSchema();
    void attributeTypesFollowTheSchema_data();
    void attributeTypesFollowTheSchema();
    void schemaFormats();
    void mapsTheEventProfile();
    void subjectNamesTheDocument();
    void batchArrays();
    void jsonPointerFindsExactBytes();
    void batchEdgeCases();
    void batchWithByteOrderMark();
    void jsonLines();
    void jsonLinesWithBrokenFirstLine();
    void malformedJson_data();
    void malformedJson();
    void wrongTypes();
    void doesNotMap_data();
    void doesNotMap();
    void hugePayloads();
    void rfc3339_data();
    void rfc3339();
    void invalidTimeIsQuarantined();
    void milestoneForEventType_data();
    void milestoneForEventType();
    void dataMilestoneOverridesType();
};

void TestCloudEvents::sdkSamples_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<QString>("reason"); // what the quarantine reason must name
    for (const char *name : {"min", "min_subject_null", "json_data", "json_data_with_ext", "base64_json_data",
                             "text_data", "xml_data", "json_data_with_fractional_time"})
        QTest::newRow(name) << QString::fromLatin1(name) << true << QString();
    QTest::newRow("json_data_with_ext_invalid")
        << QStringLiteral("json_data_with_ext_invalid") << false << QStringLiteral("a_invalid_name");
    QTest::newRow("fail_numeric_decimal")
        << QStringLiteral("fail_numeric_decimal") << false << QStringLiteral("decimal");
}

void TestCloudEvents::sdkSamples()
{
    QFETCH(QString, file);
    QFETCH(bool, valid);
    QFETCH(QString, reason);
    const QString path = fixture(QStringLiteral("sdk-java/%1.json").arg(file));
    const QByteArray bytes = readAll(path);
    const json expected = json::parse(bytes.begin(), bytes.end());

    ParsedInput out;
    CloudEventReader(file).readDocument(bytes, kReceived, out);
    if (!valid) {
        QCOMPARE(out.events.size(), 0);
        QCOMPARE(out.quarantined.size(), 1);
        const QuarantinedInput &q = out.quarantined.constFirst();
        QVERIFY2(q.error.contains(reason), qPrintable(q.error));
        QVERIFY2(q.error.startsWith(QStringLiteral("not a valid CloudEvent")), qPrintable(q.error));
        QCOMPARE(q.raw, bytes);
        QCOMPARE(q.origin, file);
        QVERIFY(!q.position.isEmpty());
        QCOMPARE(q.receivedMs, kReceived);
        return;
    }
    QCOMPARE(out.quarantined.size(), 0);
    QCOMPARE(out.events.size(), 1);
    const CanonicalEvent &ev = out.events.constFirst();
    QCOMPARE(ev.id, QString::fromStdString(expected["id"].get<std::string>()));
    QCOMPARE(ev.source, QString::fromStdString(expected["source"].get<std::string>()));
    QCOMPARE(ev.type, QString::fromStdString(expected["type"].get<std::string>()));
    QCOMPARE(ev.raw, bytes);
    QCOMPARE(ev.rawHash, QCryptographicHash::hash(bytes, QCryptographicHash::Sha1));
    QCOMPARE(ev.receivedMs, kReceived);
    QVERIFY(!ev.document); // "sub" names no document kind
    if (expected.contains("time")) {
        const QDateTime t = QDateTime::fromString(QString::fromStdString(expected["time"].get<std::string>()),
                                                  Qt::ISODateWithMs);
        QVERIFY(t.isValid());
        QCOMPARE(ev.occurredMs / 1000, t.toMSecsSinceEpoch() / 1000);
        QVERIFY(!ev.occurredEstimated);
    } else {
        QCOMPARE(ev.occurredMs, kReceived);
        QVERIFY(ev.occurredEstimated);
    }
}

void TestCloudEvents::everySdkSampleIsCovered()
{
    const QStringList files = QDir(fixture(QStringLiteral("sdk-java")))
                                  .entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name);
    QCOMPARE(files.size(), 10);
    QVERIFY(QFile::exists(fixture(QStringLiteral("sdk-java/LICENSE"))));
    QVERIFY(QFile::exists(fixture(QStringLiteral("spec/LICENSE"))));
    int valid = 0;
    int invalid = 0;
    for (const QString &f : files) {
        const ParsedInput out = readOne(readAll(fixture(QStringLiteral("sdk-java/") + f)));
        QCOMPARE(out.events.size() + out.quarantined.size(), 1);
        const bool expectInvalid =
            f.startsWith(QStringLiteral("fail_")) || f.contains(QStringLiteral("invalid"));
        QVERIFY2(out.quarantined.size() == (expectInvalid ? 1 : 0), qPrintable(f));
        (expectInvalid ? invalid : valid) += 1;
    }
    QCOMPARE(valid, 8);
    QCOMPARE(invalid, 2);
}

void TestCloudEvents::requiredAttributesMatchTheSchema()
{
    const json schema = loadJson(fixture(QStringLiteral("spec/cloudevents.json")));
    QVERIFY(schema["properties"].size() >= 10);
    std::set<std::string> requiredByReader;
    for (auto it = schema["properties"].begin(); it != schema["properties"].end(); ++it) {
        json event = minimalEvent();
        event[it.key()] = validSample(schema, it.key());
        const ParsedInput with = readOne(dump(event));
        QVERIFY2(with.events.size() == 1,
                 qPrintable(QString::fromStdString(it.key() + ": ") +
                            (with.quarantined.isEmpty() ? QString() : with.quarantined[0].error)));
        event.erase(it.key());
        const ParsedInput without = readOne(dump(event));
        if (!without.quarantined.isEmpty()) {
            requiredByReader.insert(it.key());
            QVERIFY2(without.quarantined[0].error.contains(QString::fromStdString(it.key())),
                     qPrintable(without.quarantined[0].error));
        }
    }
    const auto schemaRequired = schema["required"].get<std::set<std::string>>();
    QCOMPARE(requiredByReader.size(), schemaRequired.size());
    QVERIFY(requiredByReader == schemaRequired);
}

void TestCloudEvents::attributeTypesFollowTheSchema_data()
{
    QTest::addColumn<QByteArray>("event");
    QTest::addColumn<bool>("accepted");
    QTest::addColumn<QString>("attribute");
    const json schema = loadJson(fixture(QStringLiteral("spec/cloudevents.json")));
    const auto required = schema["required"].get<std::set<std::string>>();
    for (auto it = schema["properties"].begin(); it != schema["properties"].end(); ++it) {
        const std::string &name = it.key();
        const json &def = definitionOf(schema, name);
        const auto types = allowedTypes(def);
        const QString attribute = QString::fromStdString(name);
        for (const std::string type : {"string", "number", "boolean", "object", "array", "null"}) {
            json event = minimalEvent();
            event[name] = type == "string" ? validSample(schema, name) : valueOfType(type);
            const bool ok = types.count(type) > 0;
            QTest::addRow("%s as %s", name.c_str(), type.c_str()) << dump(event) << ok << attribute;
            if (type == "null")
                QVERIFY2(!ok || required.count(name) == 0, "the schema lets a required attribute be null");
        }
        if (types.count("string") && def.value("minLength", 0) >= 1) {
            json event = minimalEvent();
            event[name] = "";
            QTest::addRow("%s empty", name.c_str()) << dump(event) << false << attribute;
        }
    }
}

void TestCloudEvents::attributeTypesFollowTheSchema()
{
    QFETCH(QByteArray, event);
    QFETCH(bool, accepted);
    QFETCH(QString, attribute);
    const ParsedInput out = readOne(event);
    QCOMPARE(out.events.size() + out.quarantined.size(), 1);
    if (accepted) {
        QVERIFY2(out.quarantined.isEmpty(), qPrintable(out.quarantined.value(0).error));
    } else {
        QCOMPARE(out.quarantined.size(), 1);
        QVERIFY2(out.quarantined[0].error.contains(attribute), qPrintable(out.quarantined[0].error));
        QCOMPARE(out.quarantined[0].raw, event);
    }
}

void TestCloudEvents::schemaFormats()
{
    // "format": "date-time" for time, "uri" for dataschema, "contentEncoding": "base64" for data_base64.
    const json schema = loadJson(fixture(QStringLiteral("spec/cloudevents.json")));
    QCOMPARE(definitionOf(schema, "time")["format"].get<std::string>(), std::string("date-time"));
    QCOMPARE(definitionOf(schema, "dataschema")["format"].get<std::string>(), std::string("uri"));
    QCOMPARE(definitionOf(schema, "data_base64")["contentEncoding"].get<std::string>(),
             std::string("base64"));
    const struct
    {
        const char *attribute;
        json value;
        bool accepted;
    } cases[] = {
        {"time", "2018-04-05T17:31:00Z", true},
        {"time", "yesterday", false},
        {"time", "2018-04-05", false},
        {"dataschema", "https://example.com/s.json", true},
        {"dataschema", "schemas/order.json", false},
        {"data_base64", "Zm9vYg==", true},
        {"data_base64", "not base64!", false},
    };
    for (const auto &c : cases) {
        json event = minimalEvent();
        event[c.attribute] = c.value;
        const ParsedInput out = readOne(dump(event));
        QVERIFY2(out.events.size() == (c.accepted ? 1 : 0), c.attribute);
        if (!c.accepted)
            QVERIFY2(out.quarantined.value(0).error.contains(QLatin1String(c.attribute)),
                     qPrintable(out.quarantined.value(0).error));
    }
    json both = minimalEvent();
    both["data"] = "x";
    both["data_base64"] = "Zm9vYg==";
    QCOMPARE(readOne(dump(both)).quarantined.size(), 1);
}

void TestCloudEvents::mapsTheEventProfile()
{
    const QByteArray bytes =
        R"({"specversion":"1.0","id":"erp-000123","source":"sandbox/erp","type":"com.sandbox.erp.order.released",
 "time":"2026-11-20T08:15:00Z","subject":"sales_order/SO-10023","datacontenttype":"application/json",
 "data":{"document":{"kind":"sales_order","key":"SO-10023","identifiers":{"customer_po":"CPO-777"}},
         "links":[{"kind":"release","key":"REL-555","relation":"released_as"},{"kind":"asn","key":"ASN-1"}],
         "system":"erp","status":"released","partner":"Acme Retail","warehouse":"WH-EAST",
         "quantity":12}})";
    const ParsedInput out = readOne(bytes);
    QCOMPARE(out.quarantined.size(), 0);
    QCOMPARE(out.events.size(), 1);
    const CanonicalEvent &ev = out.events[0];
    QCOMPARE(ev.milestone, QStringLiteral("order.released"));
    QVERIFY(ev.document);
    QCOMPARE(ev.document->kind, DocumentKind::SalesOrder);
    QCOMPARE(ev.document->key, QStringLiteral("SO-10023"));
    QCOMPARE(ev.identifiers, (QList<Identifier>{{QStringLiteral("customer_po"), QStringLiteral("CPO-777")}}));
    QCOMPARE(ev.links.size(), 2);
    QCOMPARE(ev.links[0],
             (LinkRef{{DocumentKind::Release, QStringLiteral("REL-555")}, QStringLiteral("released_as")}));
    QCOMPARE(ev.links[1].to, (DocumentRef{DocumentKind::Asn, QStringLiteral("ASN-1")}));
    QVERIFY(!ev.links[1].relation.isEmpty());
    QCOMPARE(ev.system, QStringLiteral("erp"));
    QCOMPARE(ev.status, QStringLiteral("released"));
    QCOMPARE(ev.partner, QStringLiteral("Acme Retail"));
    QCOMPARE(ev.warehouse, QStringLiteral("WH-EAST"));
    QCOMPARE(ev.occurredMs, utcMs(2026, 11, 20, 8, 15, 0));
    QCOMPARE(ev.raw, bytes);
}

void TestCloudEvents::subjectNamesTheDocument()
{
    const ParsedInput out = readOne(R"({"specversion":"1.0","id":"1","source":"s","type":"asn.received",
        "subject":"asn/ASN-77"})");
    QCOMPARE(out.events.size(), 1);
    QVERIFY(out.events[0].document);
    QCOMPARE(*out.events[0].document, (DocumentRef{DocumentKind::Asn, QStringLiteral("ASN-77")}));
    for (const char *subject : {"asn/", "asn/  ", "/ASN-1", "pallet/P-1", "ASN-77"}) {
        const ParsedInput none =
            readOne(R"({"specversion":"1.0","id":"1","source":"s","type":"t","subject":")" +
                    QByteArray(subject) + "\"}");
        QCOMPARE(none.events.size(), 1);
        QVERIFY2(!none.events[0].document, subject);
    }
    // data.document wins over the subject
    const ParsedInput both = readOne(R"({"specversion":"1.0","id":"1","source":"s","type":"asn.received",
        "subject":"asn/ASN-77","data":{"document":{"kind":"receipt","key":"R-1"}}})");
    QCOMPARE(*both.events.value(0).document, (DocumentRef{DocumentKind::Receipt, QStringLiteral("R-1")}));
}

void TestCloudEvents::batchArrays()
{
    // Odd spacing, escapes and brackets inside strings: each element's bytes must be kept exactly.
    const QByteArray e1 = R"({ "specversion" : "1.0", "id":"a-1" ,"source":"s","type":"order.created",
    "data":{"note":"] }, [ \" \\ caf\u00e9","document":{"kind":"sales_order","key":"SO-1"}}})";
    const QByteArray bad = R"({"specversion":"1.0","id":"a-2","type":"order.created"})"; // no source
    const QByteArray e3 =
        R"({"specversion":"1.0","id":"a-3","source":"s","type":"order.released","data":[1,[2,{"x":[]}]]})";
    const QByteArray bytes = "[\n  " + e1 + ",\n\t" + bad + "  ,\r\n" + e3 + "\n]\n";
    ParsedInput out;
    CloudEventReader(QStringLiteral("batch.json")).readDocument(bytes, kReceived, out);
    QCOMPARE(out.events.size(), 2);
    QCOMPARE(out.quarantined.size(), 1);
    QCOMPARE(out.events[0].id, QStringLiteral("a-1"));
    QCOMPARE(out.events[0].raw, e1);
    QCOMPARE(out.events[1].id, QStringLiteral("a-3"));
    QCOMPARE(out.events[1].raw, e3);
    const QuarantinedInput &q = out.quarantined[0];
    QCOMPARE(q.raw, bad);
    QCOMPARE(q.origin, QStringLiteral("batch.json"));
    QVERIFY2(q.position.contains(QStringLiteral("element 2")), qPrintable(q.position));
    QVERIFY2(q.position.contains(QStringLiteral("line 4, column 2")),
             qPrintable(q.position)); // e1 spans two lines
    QVERIFY2(q.error.contains(QStringLiteral("source")), qPrintable(q.error));
}

void TestCloudEvents::batchEdgeCases()
{
    const QByteArray ok = R"({"specversion":"1.0","id":"1","source":"s","type":"t"})";
    {
        const ParsedInput out = readOne("[]");
        QCOMPARE(out.events.size() + out.quarantined.size(), 0);
    }
    { // a trailing comma leaves an empty element: reported, the good one kept
        const ParsedInput out = readOne("[" + ok + ",]");
        QCOMPARE(out.events.size(), 1);
        QCOMPARE(out.quarantined.size(), 1);
        QVERIFY2(out.quarantined[0].position.contains(QStringLiteral("element 2")),
                 qPrintable(out.quarantined[0].position));
    }
    { // a missing comma between two elements
        const ParsedInput out = readOne("[" + ok + " " + ok + "]");
        QCOMPARE(out.events.size(), 0);
        QCOMPARE(out.quarantined.size(), 1);
        QVERIFY(out.quarantined[0].error.contains(QStringLiteral("malformed JSON")));
    }
    { // an unclosed array
        const ParsedInput out = readOne("[\n" + ok + ",\n" + ok);
        QCOMPARE(out.events.size(), 0);
        QCOMPARE(out.quarantined.size(), 1);
        QVERIFY2(out.quarantined[0].position.contains(QStringLiteral("line")),
                 qPrintable(out.quarantined[0].position));
    }
    { // elements that are not objects
        const ParsedInput out = readOne("[1, \"x\", null, " + ok + "]");
        QCOMPARE(out.events.size(), 1);
        QCOMPARE(out.quarantined.size(), 3);
        QVERIFY(out.quarantined[0].error.contains(QStringLiteral("object")));
        QCOMPARE(out.quarantined[1].raw, QByteArray("\"x\""));
    }
    { // the same event twice in a batch: both are read; the store counts the repeat
        const ParsedInput out = readOne("[" + ok + "," + ok + "]");
        QCOMPARE(out.events.size(), 2);
    }
}

void TestCloudEvents::batchWithByteOrderMark()
{
    const QByteArray ok = R"({"specversion":"1.0","id":"1","source":"s","type":"t"})";
    const QByteArray ok2 = R"({"specversion":"1.0","id":"2","source":"s","type":"t"})";
    const ParsedInput batch = readOne("\xEF\xBB\xBF[" + ok + "," + ok2 + "]");
    QCOMPARE(batch.quarantined.size(), 0);
    QCOMPARE(batch.events.size(), 2);
    QCOMPARE(batch.events[1].raw, ok2);
    const ParsedInput lines = readOne("\xEF\xBB\xBF" + ok + "\n" + ok2 + "\n");
    QCOMPARE(lines.quarantined.size(), 0);
    QCOMPARE(lines.events.size(), 2);
    QCOMPARE(lines.events[0].raw, ok);
}

void TestCloudEvents::jsonLines()
{
    const QByteArray l1 = R"({"specversion":"1.0","id":"1","source":"s","type":"order.created"})";
    const QByteArray l2 = R"({"specversion":"1.0","id":"2","source":"s","type":"order.released"})";
    const QByteArray l4 = R"({"specversion":"1.0","id":"3","source":"s","type":"t",)"; // cut short
    const QByteArray l6 = R"({"specversion":"1.0","id":4,"source":"s","type":"t"})";   // id as number
    const QByteArray l7 = R"({"specversion":"1.0","id":"5","source":"s","type":"t"})";
    const QByteArray bytes = l1 + "\n" + l2 + "\r\n\n" + l4 + "\n   \n" + l6 + "\n" + l7;
    ParsedInput out;
    CloudEventReader(QStringLiteral("feed.jsonl")).readDocument(bytes, kReceived, out);
    QCOMPARE(out.events.size(), 3);
    QCOMPARE(out.events[0].raw, l1);
    QCOMPARE(out.events[1].raw, l2); // without the line end
    QCOMPARE(out.events[2].raw, l7);
    QCOMPARE(out.quarantined.size(), 2);
    QVERIFY2(out.quarantined[0].position.startsWith(QStringLiteral("line 4")),
             qPrintable(out.quarantined[0].position));
    QVERIFY(out.quarantined[0].error.contains(QStringLiteral("malformed JSON")));
    QCOMPARE(out.quarantined[0].raw, l4);
    QCOMPARE(out.quarantined[1].position, QStringLiteral("line 6"));
    QVERIFY(out.quarantined[1].error.contains(QStringLiteral("'id' must be a string")));

    // readLines on its own counts from the line it is told
    ParsedInput later;
    CloudEventReader(QStringLiteral("feed.jsonl")).readLines(l4, 41, kReceived, later);
    QVERIFY(later.quarantined.value(0).position.startsWith(QStringLiteral("line 41")));
}

void TestCloudEvents::jsonLinesWithBrokenFirstLine()
{
    // A feed whose first line is cut short is still a feed: the rest must not be lost with it.
    const QByteArray l1 = R"({"specversion":"1.0","id":"1","source":"s",)";
    const QByteArray l2 = R"({"specversion":"1.0","id":"2","source":"s","type":"order.released"})";
    const QByteArray l3 = R"({"specversion":"1.0","id":"3","source":"s","type":"order.released"})";
    const ParsedInput out = readOne(l1 + "\n" + l2 + "\n" + l3 + "\n");
    QCOMPARE(out.events.size(), 2);
    QCOMPARE(out.quarantined.size(), 1);
    QVERIFY2(out.quarantined[0].position.startsWith(QStringLiteral("line 1")),
             qPrintable(out.quarantined[0].position));
    QCOMPARE(out.quarantined[0].raw, l1);
    // while one event pretty-printed over several lines stays one event
    const ParsedInput pretty = readOne(readAll(fixture(QStringLiteral("sdk-java/json_data.json"))));
    QCOMPARE(pretty.events.size(), 1);
}

void TestCloudEvents::malformedJson_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("position");
    QTest::newRow("cut short") << QByteArray(R"({"specversion":"1.0","id":)") << QStringLiteral("line 1");
    QTest::newRow("bad token on line 3")
        << QByteArray("{\n  \"specversion\": \"1.0\",\n  \"id\": nope\n}") << QStringLiteral("line 3");
    QTest::newRow("not JSON at all") << QByteArray("hello") << QStringLiteral("line 1");
    QTest::newRow("trailing garbage") << QByteArray(R"({"specversion":"1.0"} x)") << QStringLiteral("line 1");
    QTest::newRow("invalid UTF-8") << QByteArray("{\"id\":\"\xff\xfe\"}") << QStringLiteral("line 1");
}

void TestCloudEvents::malformedJson()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, position);
    const ParsedInput out = readOne(bytes);
    QCOMPARE(out.events.size(), 0);
    QCOMPARE(out.quarantined.size(), 1);
    QVERIFY2(out.quarantined[0].position.startsWith(position), qPrintable(out.quarantined[0].position));
    QVERIFY2(out.quarantined[0].error.startsWith(QStringLiteral("malformed JSON")),
             qPrintable(out.quarantined[0].error));
    QCOMPARE(out.quarantined[0].raw, bytes);
}

void TestCloudEvents::wrongTypes()
{
    const struct
    {
        QByteArray bytes;
        const char *reason;
    } cases[] = {
        {R"({"specversion":"1.0","id":17,"source":"s","type":"t"})", "'id' must be a string, found number"},
        {R"({"specversion":1.0,"id":"1","source":"s","type":"t"})", "'specversion' must be a string"},
        {R"({"specversion":"0.3","id":"1","source":"s","type":"t"})", "specversion '0.3'"},
        {R"({"specversion":"1.0","id":"1","source":["s"],"type":"t"})",
         "'source' must be a string, found array"},
        {R"({"specversion":"1.0","id":"1","source":"s","type":"t","Upper":"x"})", "'Upper'"},
        {R"({"specversion":"1.0","id":"1","source":"s","type":"t","big":4294967296})", "'big'"},
        {R"({"specversion":"1.0","id":"1","source":"s","type":"t","obj":{}})", "'obj'"},
        {R"("not an event")", "must be a JSON object, found string"},
    };
    for (const auto &c : cases) {
        const ParsedInput out = readOne(c.bytes);
        QVERIFY2(out.events.isEmpty(), c.bytes.constData());
        QCOMPARE(out.quarantined.size(), 1);
        QVERIFY2(out.quarantined[0].error.contains(QLatin1String(c.reason)),
                 qPrintable(out.quarantined[0].error));
    }
}

void TestCloudEvents::doesNotMap_data()
{
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<QString>("reason");
    QTest::newRow("unknown kind") << QByteArray(R"({"document":{"kind":"widget","key":"W-1"}})")
                                  << QStringLiteral("'widget' is not a document kind");
    QTest::newRow("no key") << QByteArray(R"({"document":{"kind":"asn"}})")
                            << QStringLiteral("/data/document");
    QTest::newRow("blank key") << QByteArray(R"({"document":{"kind":"asn","key":"  "}})")
                               << QStringLiteral("/data/document");
    QTest::newRow("key as number") << QByteArray(R"({"document":{"kind":"asn","key":7}})")
                                   << QStringLiteral("/data/document/key must be a string");
    QTest::newRow("document as string")
        << QByteArray(R"({"document":"SO-1"})") << QStringLiteral("/data/document");
    QTest::newRow("links not an array")
        << QByteArray(R"({"links":{"kind":"asn","key":"A"}})") << QStringLiteral("/data/links");
    QTest::newRow("bad link kind") << QByteArray(
                                          R"({"links":[{"kind":"asn","key":"A"},{"kind":"box","key":"B"}]})")
                                   << QStringLiteral("/data/links/1");
    QTest::newRow("links without a document") << QByteArray(R"({"links":[{"kind":"asn","key":"A"}]})")
                                              << QStringLiteral("/data/links need the document");
    QTest::newRow("identifier not a string")
        << QByteArray(R"({"document":{"kind":"asn","key":"A","identifiers":{"sscc":123}}})")
        << QStringLiteral("identifiers/sscc");
    QTest::newRow("unknown milestone")
        << QByteArray(R"({"milestone":"order.teleported"})") << QStringLiteral("'order.teleported'");
    QTest::newRow("system as number") << QByteArray(R"({"system":5})") << QStringLiteral("/data/system");
}

void TestCloudEvents::doesNotMap()
{
    QFETCH(QByteArray, data);
    QFETCH(QString, reason);
    const QByteArray bytes =
        R"({"specversion":"1.0","id":"1","source":"s","type":"order.created","data":)" + data + "}";
    const ParsedInput out = readOne(bytes);
    QCOMPARE(out.events.size(), 0);
    QCOMPARE(out.quarantined.size(), 1);
    QVERIFY2(out.quarantined[0].error.startsWith(QStringLiteral("does not map")),
             qPrintable(out.quarantined[0].error));
    QVERIFY2(out.quarantined[0].error.contains(reason), qPrintable(out.quarantined[0].error));
    QCOMPARE(out.quarantined[0].raw, bytes);
}

void TestCloudEvents::hugePayloads()
{
    // Never a crash: accepted or quarantined, and the bytes kept.
    const QByteArray big(5 * 1024 * 1024, 'x');
    const QByteArray event =
        R"({"specversion":"1.0","id":"big","source":"s","type":"t","data":")" + big + "\"}";
    ParsedInput out = readOne(event);
    QCOMPARE(out.events.size() + out.quarantined.size(), 1);
    QCOMPARE(out.events.isEmpty() ? out.quarantined[0].raw.size() : out.events[0].raw.size(), event.size());

    const QByteArray longId(1024 * 1024, 'i');
    out = readOne(R"({"specversion":"1.0","id":")" + longId + R"(","source":"s","type":"t"})");
    QCOMPARE(out.events.size() + out.quarantined.size(), 1);

    const int depth = 100000;
    const QByteArray deep = R"({"specversion":"1.0","id":"deep","source":"s","type":"t","data":)" +
                            QByteArray(depth, '[') + QByteArray(depth, ']') + "}";
    out = readOne(deep);
    QCOMPARE(out.events.size() + out.quarantined.size(), 1);
    const QByteArray deepBatch = "[" + deep + "," + QByteArray(depth, '{') + "]";
    out = readOne(deepBatch);
    QVERIFY(out.events.size() + out.quarantined.size() >= 1);

    QByteArray many = "[";
    for (int i = 0; i < 20000; ++i)
        many += (i ? "," : "") +
                test::eventJson({.id = QString::number(i), .key = QStringLiteral("SO-%1").arg(i)});
    many += "]";
    out = readOne(many);
    QCOMPARE(out.events.size(), 20000);
}

void TestCloudEvents::rfc3339_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<qint64>("expected");
    auto row = [](const char *name, const char *text, bool valid, qint64 expected) {
        QTest::newRow(name) << QString::fromLatin1(text) << valid << expected;
    };
    const qint64 base = utcMs(2026, 11, 20, 8, 15, 0);
    row("Z", "2026-11-20T08:15:00Z", true, base);
    row("lower case t and z", "2026-11-20t08:15:00z", true, base);
    row("positive offset", "2026-11-20T10:15:00+02:00", true, base);
    row("negative half-hour offset", "2026-11-20T03:45:00-04:30", true, base);
    row("offset across midnight", "2026-11-21T07:14:00+22:59", true, base);
    row("minus zero", "2026-11-20T08:15:00-00:00", true, base);
    row("one fraction digit", "2026-11-20T08:15:00.5Z", true, base + 500);
    row("three fraction digits", "2026-11-20T08:15:00.042Z", true, base + 42);
    row("nine fraction digits", "2026-11-20T08:15:00.123456789Z", true, base + 123);
    row("fraction with offset", "2018-04-26T14:48:09.1234+02:00", true, utcMs(2018, 4, 26, 12, 48, 9, 123));
    row("leap day", "2024-02-29T00:00:00Z", true, utcMs(2024, 2, 29, 0, 0, 0));
    row("leap day 2000", "2000-02-29T12:00:00Z", true, utcMs(2000, 2, 29, 12, 0, 0));
    row("leap second", "2016-12-31T23:59:60Z", true, utcMs(2016, 12, 31, 23, 59, 59));
    row("before 1970", "1969-12-31T23:59:59Z", true, qint64(-1000));
    row("30 February", "2026-02-30T08:15:00Z", false, qint64(0));
    row("29 February 2023", "2023-02-29T08:15:00Z", false, qint64(0));
    row("29 February 1900", "1900-02-29T08:15:00Z", false, qint64(0));
    row("31 November", "2026-11-31T08:15:00Z", false, qint64(0));
    row("month 13", "2026-13-01T08:15:00Z", false, qint64(0));
    row("month 0", "2026-00-10T08:15:00Z", false, qint64(0));
    row("day 0", "2026-11-00T08:15:00Z", false, qint64(0));
    row("hour 24", "2026-11-20T24:00:00Z", false, qint64(0));
    row("minute 60", "2026-11-20T08:60:00Z", false, qint64(0));
    row("second 61", "2026-11-20T08:15:61Z", false, qint64(0));
    row("no offset", "2026-11-20T08:15:00", false, qint64(0));
    row("date only", "2026-11-20", false, qint64(0));
    row("offset without colon", "2026-11-20T08:15:00+0200", false, qint64(0));
    row("offset hour 24", "2026-11-20T08:15:00+24:00", false, qint64(0));
    row("empty fraction", "2026-11-20T08:15:00.Z", false, qint64(0));
    row("trailing space", "2026-11-20T08:15:00Z ", false, qint64(0));
    row("leading space", " 2026-11-20T08:15:00Z", false, qint64(0));
    row("two-digit year", "26-11-20T08:15:00Z", false, qint64(0));
    row("slashes", "2026/11/20T08:15:00Z", false, qint64(0));
    row("letters in time", "2026-11-20T08:1a:00Z", false, qint64(0));
    row("empty", "", false, qint64(0));
}

void TestCloudEvents::rfc3339()
{
    QFETCH(QString, text);
    QFETCH(bool, valid);
    QFETCH(qint64, expected);
    const std::string s = text.toStdString();
    const auto parsed = parseRfc3339(s);
    QCOMPARE(parsed.has_value(), valid);
    if (!valid)
        return;
    QCOMPARE(*parsed, expected);
    // and back: the formatted form parses to the same instant
    QCOMPARE(parseRfc3339(formatRfc3339(*parsed).toStdString()), parsed);
}

void TestCloudEvents::invalidTimeIsQuarantined()
{
    const ParsedInput out =
        readOne(R"({"specversion":"1.0","id":"1","source":"s","type":"t","time":"2026-02-30T08:00:00Z"})");
    QCOMPARE(out.events.size(), 0);
    QCOMPARE(out.quarantined.size(), 1);
    QVERIFY(out.quarantined[0].error.contains(QStringLiteral("2026-02-30T08:00:00Z")));
    QVERIFY(out.quarantined[0].error.contains(QStringLiteral("RFC 3339")));
}

void TestCloudEvents::milestoneForEventType_data()
{
    QTest::addColumn<QString>("type");
    QTest::addColumn<QString>("milestone");
    for (const QString &m : allMilestones()) {
        QTest::addRow("%s itself", qPrintable(m)) << m << m;
        QTest::addRow("%s reverse DNS", qPrintable(m)) << QStringLiteral("com.sandbox.erp.") + m << m;
    }
    QTest::newRow("not a milestone") << QStringLiteral("mock.test") << QString();
    QTest::newRow("glued prefix") << QStringLiteral("xorder.released") << QString();
    QTest::newRow("suffix after") << QStringLiteral("com.x.order.released.v2") << QString();
    QTest::newRow("case differs") << QStringLiteral("Order.Released") << QString();
    QTest::newRow("empty") << QString() << QString();
    QTest::newRow("half") << QStringLiteral("released") << QString();
}

void TestCloudEvents::milestoneForEventType()
{
    QFETCH(QString, type);
    QFETCH(QString, milestone);
    QCOMPARE(sightline::milestoneForEventType(type), milestone);
    QCOMPARE(isMilestone(type), !milestone.isEmpty() && type == milestone);
}

void TestCloudEvents::dataMilestoneOverridesType()
{
    const ParsedInput out =
        readOne(R"({"specversion":"1.0","id":"1","source":"s","type":"com.x.status.changed",
        "data":{"milestone":"po.acknowledged"}})");
    QCOMPARE(out.events.value(0).milestone, QStringLiteral("po.acknowledged"));
    const ParsedInput typed =
        readOne(R"({"specversion":"1.0","id":"1","source":"s","type":"com.x.asn.received"})");
    QCOMPARE(typed.events.value(0).milestone, QStringLiteral("asn.received"));
}

// A connector's page keeps each record's bytes: the pointer to its array is found in the text.
void TestCloudEvents::jsonPointerFindsExactBytes()
{
    const QByteArray page = R"( {"meta": {"n": 2, "next": "c\"2"}, "data" : [ {"id": "A",  "q": 2.50},
        {"id": "B", "x": [1, {"y": "]"}]} ], "tail": true} )";
    const auto at = [&page](const char *pointer) {
        const auto span = valueAt(page, QString::fromLatin1(pointer));
        return span ? page.mid(span->begin, span->end - span->begin) : QByteArray("<none>");
    };
    QCOMPARE(at("/data/0"), QByteArray(R"({"id": "A",  "q": 2.50})"));
    QCOMPARE(at("/data/1/x/1/y"), QByteArray(R"("]")"));
    QCOMPARE(at("/meta/next"), QByteArray(R"("c\"2")"));
    QCOMPARE(at("/meta/n"), QByteArray("2"));
    QCOMPARE(at("/tail"), QByteArray("true"));
    QCOMPARE(at("").trimmed(), page.trimmed());
    QCOMPARE(at("/data/2"), QByteArray("<none>"));
    QCOMPARE(at("/nothing"), QByteArray("<none>"));
    QCOMPARE(at("/meta/n/deeper"), QByteArray("<none>"));
    const auto data = valueAt(page, u"/data");
    QVERIFY(data);
    const auto elements = splitArray(QByteArrayView(page).sliced(data->begin, data->end - data->begin));
    QVERIFY(elements);
    QCOMPARE(elements->size(), 2);
}

QTEST_GUILESS_MAIN(TestCloudEvents)
#include "tst_cloudevents.moc"
