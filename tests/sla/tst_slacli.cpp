// sightline-cli sla: its figures equal an independent computation inside this test over the same
// events (ingested through sightline-cli ingest): wall-clock and business-hour policies, business
// time counted minute by minute in the calendar's own zone (across a DST change and a holiday).
#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

namespace {

constexpr qint64 kMinute = 60'000;
constexpr qint64 kHour = 60 * kMinute;

struct Run
{
    int exitCode = -1;
    QString out;
    QString err;
};

Run cli(const QStringList &args)
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), QStringLiteral("/nonexistent-sightline-test"));
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(SIGHTLINE_CLI_PATH), args);
    if (!p.waitForFinished(60'000) || p.exitStatus() != QProcess::NormalExit)
        return {-1, {}, QStringLiteral("sightline-cli did not finish normally")};
    return {p.exitCode(), QString::fromUtf8(p.readAllStandardOutput()),
            QString::fromUtf8(p.readAllStandardError())};
}

// A small deterministic generator (not the product's).
struct Lcg
{
    quint64 state;
    qint64 below(qint64 n)
    {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        return static_cast<qint64>((state >> 33) % static_cast<quint64>(n));
    }
};

QString iso(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODate);
}

QByteArray cloudEvent(const QString &id, const QString &type, const QString &kind, const QString &key,
                      qint64 at, const QString &linkKind = {}, const QString &linkKey = {})
{
    QJsonObject data{{QStringLiteral("document"),
                      QJsonObject{{QStringLiteral("kind"), kind}, {QStringLiteral("key"), key}}},
                     {QStringLiteral("system"), QStringLiteral("erp")},
                     {QStringLiteral("partner"), QStringLiteral("Contoso Supply")},
                     {QStringLiteral("warehouse"), QStringLiteral("WH-EU")}};
    if (!linkKind.isEmpty())
        data.insert(QStringLiteral("links"),
                    QJsonArray{QJsonObject{{QStringLiteral("kind"), linkKind},
                                           {QStringLiteral("key"), linkKey},
                                           {QStringLiteral("relation"), QStringLiteral("references")}}});
    const QJsonObject e{{QStringLiteral("specversion"), QStringLiteral("1.0")},
                        {QStringLiteral("id"), id},
                        {QStringLiteral("source"), QStringLiteral("test/sla-cli")},
                        {QStringLiteral("type"), type},
                        {QStringLiteral("time"), iso(at)},
                        {QStringLiteral("data"), data}};
    return QJsonDocument(e).toJson(QJsonDocument::Compact) + '\n';
}

// The test's own idea of the office calendar: Mon-Fri 09:00-17:00 in Amsterdam, 2026-03-30 off.
bool officeWorks(qint64 minuteStart)
{
    const QDateTime local = QDateTime::fromMSecsSinceEpoch(minuteStart, QTimeZone("Europe/Amsterdam"));
    return local.date().dayOfWeek() <= 5 && local.date() != QDate(2026, 3, 30) && local.time().hour() >= 9 &&
           local.time().hour() < 17;
}

qint64 businessMinutes(qint64 from, qint64 to)
{
    qint64 n = 0;
    for (qint64 t = from; t < to; t += kMinute)
        n += officeWorks(t) ? 1 : 0;
    return n;
}

qint64 afterBusinessMinutes(qint64 from, qint64 minutes)
{
    qint64 t = from;
    for (qint64 counted = 0; counted < minutes; t += kMinute)
        counted += officeWorks(t) ? 1 : 0;
    return t;
}

struct Expected
{
    qint64 measured = 0, met = 0, breached = 0, atRisk = 0, open = 0;
    QList<qint64> latencies;

    void add(std::optional<qint64> elapsed, qint64 target, qint64 now, qint64 atRiskAt, qint64 dueAt)
    {
        ++measured;
        if (elapsed) {
            latencies.append(*elapsed);
            ++(*elapsed <= target ? met : breached);
        } else if (now > dueAt) {
            ++breached;
        } else if (now >= atRiskAt) {
            ++atRisk;
        } else {
            ++open;
        }
    }

    qint64 percentile(double p)
    {
        if (latencies.isEmpty())
            return 0;
        std::sort(latencies.begin(), latencies.end());
        const auto rank =
            static_cast<qsizetype>(std::ceil(p / 100.0 * static_cast<double>(latencies.size())));
        return latencies[std::max<qsizetype>(rank, 1) - 1];
    }
};

struct Flow
{
    qint64 start = 0;
    std::optional<qint64> end;
};

const qint64 kBase = QDateTime(QDate(2026, 3, 25), QTime(6, 0), Qt::UTC).toMSecsSinceEpoch();
const qint64 kNow = QDateTime(QDate(2026, 4, 1), QTime(12, 0), Qt::UTC).toMSecsSinceEpoch();

} // namespace

class TestSlaCli : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_db;
    QString m_policies;
    QList<Flow> m_purchases;
    QList<Flow> m_orders;

    void compare(const QJsonObject &got, Expected expected)
    {
        const QString name = got.value(QLatin1String("policy")).toString();
        QVERIFY2(expected.measured > 0, qPrintable(name));
        QCOMPARE(got.value(QLatin1String("measured")).toInteger(), expected.measured);
        QCOMPARE(got.value(QLatin1String("met")).toInteger(), expected.met);
        QCOMPARE(got.value(QLatin1String("breached")).toInteger(), expected.breached);
        QCOMPARE(got.value(QLatin1String("at_risk")).toInteger(), expected.atRisk);
        QCOMPARE(got.value(QLatin1String("open")).toInteger(), expected.open);
        QCOMPARE(got.value(QLatin1String("p50_ms")).toInteger(), expected.percentile(50));
        QCOMPARE(got.value(QLatin1String("p90_ms")).toInteger(), expected.percentile(90));
        QCOMPARE(got.value(QLatin1String("p95_ms")).toInteger(), expected.percentile(95));
        const double onTime =
            100.0 * static_cast<double>(expected.met) / static_cast<double>(expected.met + expected.breached);
        QVERIFY(std::abs(got.value(QLatin1String("on_time_percent")).toDouble() - onTime) < 1e-9);
    }

    Expected expectedAck(qint64 from, qint64 to)
    {
        Expected e;
        for (const Flow &f : std::as_const(m_purchases)) {
            if (f.start < from || f.start >= to)
                continue;
            const std::optional<qint64> elapsed =
                f.end ? std::optional<qint64>(*f.end - f.start) : std::nullopt;
            e.add(elapsed, 24 * kHour, kNow, f.start + 24 * kHour * 8 / 10, f.start + 24 * kHour);
        }
        return e;
    }

    Expected expectedRelease(qint64 from, qint64 to)
    {
        Expected e;
        for (const Flow &f : std::as_const(m_orders)) {
            if (f.start < from || f.start >= to)
                continue;
            std::optional<qint64> elapsed;
            if (f.end)
                elapsed = businessMinutes(f.start, *f.end) * kMinute;
            e.add(elapsed, 2 * kHour, kNow, afterBusinessMinutes(f.start, 60),
                  afterBusinessMinutes(f.start, 120));
        }
        return e;
    }

    QJsonArray slaJson(const QStringList &extra)
    {
        const Run r =
            cli(QStringList{QStringLiteral("--db"), m_db, QStringLiteral("sla"), QStringLiteral("--json"),
                            QStringLiteral("--at"), iso(kNow), QStringLiteral("--policies"), m_policies} +
                extra);
        if (r.exitCode != 0)
            qWarning() << r.err;
        return QJsonDocument::fromJson(r.out.toUtf8()).object().value(QLatin1String("policies")).toArray();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_db = m_dir.filePath(QStringLiteral("store.db"));
        m_policies = m_dir.filePath(QStringLiteral("policies.json"));
        const QJsonObject policies{
            {QStringLiteral("calendars"),
             QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("office")},
                                    {QStringLiteral("time_zone"), QStringLiteral("Europe/Amsterdam")},
                                    {QStringLiteral("workdays"), QJsonArray{1, 2, 3, 4, 5}},
                                    {QStringLiteral("open"), QStringLiteral("09:00")},
                                    {QStringLiteral("close"), QStringLiteral("17:00")},
                                    {QStringLiteral("holidays"), QJsonArray{QStringLiteral("2026-03-30")}}}}},
            {QStringLiteral("policies"),
             QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("PO acknowledgment")},
                                    {QStringLiteral("from"), QStringLiteral("po.sent")},
                                    {QStringLiteral("to"), QStringLiteral("po.acknowledged")},
                                    {QStringLiteral("target_hours"), 24}},
                        QJsonObject{{QStringLiteral("name"), QStringLiteral("Order release")},
                                    {QStringLiteral("from"), QStringLiteral("order.created")},
                                    {QStringLiteral("to"), QStringLiteral("order.released")},
                                    {QStringLiteral("target_business_hours"), 2},
                                    {QStringLiteral("calendar"), QStringLiteral("office")},
                                    {QStringLiteral("at_risk"), 0.5}}}}};
        QFile pf(m_policies);
        QVERIFY(pf.open(QIODevice::WriteOnly));
        pf.write(QJsonDocument(policies).toJson());
        pf.close();

        // 60 purchase orders and 60 sales orders over a week that crosses Amsterdam's change to
        // summer time (2026-03-29) and the office's holiday; some never acknowledged or released.
        Lcg rnd{20260325};
        QByteArray lines;
        for (int i = 0; i < 60; ++i) {
            const QString po = QStringLiteral("PO-%1").arg(i);
            Flow f{kBase + rnd.below(7 * 24 * 60) * kMinute, std::nullopt};
            lines += cloudEvent(po + QStringLiteral("-sent"), QStringLiteral("po.sent"),
                                QStringLiteral("purchase_order"), po, f.start);
            if (rnd.below(5) != 0 && f.start + 2 * kHour < kNow) {
                f.end = std::min(f.start + (30 + rnd.below(40 * 60)) * kMinute, kNow);
                lines += cloudEvent(po + QStringLiteral("-ack"), QStringLiteral("po.acknowledged"),
                                    QStringLiteral("po_acknowledgment"), QStringLiteral("ACK-%1").arg(i),
                                    *f.end, QStringLiteral("purchase_order"), po);
            }
            m_purchases.append(f);
        }
        for (int i = 0; i < 60; ++i) {
            const QString so = QStringLiteral("SO-%1").arg(i);
            Flow f{kBase + rnd.below(7 * 24 * 60) * kMinute, std::nullopt};
            lines += cloudEvent(so + QStringLiteral("-created"), QStringLiteral("order.created"),
                                QStringLiteral("sales_order"), so, f.start);
            if (rnd.below(4) != 0) {
                f.end = std::min(f.start + (5 + rnd.below(3 * 24 * 60)) * kMinute, kNow);
                lines += cloudEvent(so + QStringLiteral("-released"), QStringLiteral("order.released"),
                                    QStringLiteral("sales_order"), so, *f.end);
            }
            m_orders.append(f);
        }
        // And a few still waiting: open and at risk, for each policy.
        for (qint64 ago : {2 * kHour, 20 * kHour}) {
            const QString po = QStringLiteral("PO-W%1").arg(ago);
            lines +=
                cloudEvent(po, QStringLiteral("po.sent"), QStringLiteral("purchase_order"), po, kNow - ago);
            m_purchases.append(Flow{kNow - ago, std::nullopt});
        }
        for (qint64 ago : {20 * kMinute, 70 * kMinute}) {
            const QString so = QStringLiteral("SO-W%1").arg(ago);
            lines += cloudEvent(so, QStringLiteral("order.created"), QStringLiteral("sales_order"), so,
                                kNow - ago);
            m_orders.append(Flow{kNow - ago, std::nullopt});
        }
        const QString file = m_dir.filePath(QStringLiteral("events.jsonl"));
        QFile ef(file);
        QVERIFY(ef.open(QIODevice::WriteOnly));
        ef.write(lines);
        ef.close();
        const Run r = cli({QStringLiteral("--db"), m_db, QStringLiteral("ingest"), file});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    }

    void figuresEqualAnIndependentComputation()
    {
        const QJsonArray got = slaJson({});
        QCOMPARE(got.size(), 2);
        QCOMPARE(got[0].toObject().value(QLatin1String("policy")).toString(),
                 QStringLiteral("PO acknowledgment"));
        const Expected ack = expectedAck(LLONG_MIN, LLONG_MAX);
        const Expected release = expectedRelease(LLONG_MIN, LLONG_MAX);
        // The sample has every state, so each count is really compared.
        for (const Expected &e : {ack, release})
            QVERIFY(e.met > 0 && e.breached > 0 && e.atRisk > 0 && e.open > 0);
        compare(got[0].toObject(), ack);
        compare(got[1].toObject(), release);
    }

    void periodAndPolicyFilter()
    {
        const qint64 from = QDateTime(QDate(2026, 3, 27), QTime(0, 0), Qt::UTC).toMSecsSinceEpoch();
        const qint64 to = QDateTime(QDate(2026, 3, 30), QTime(12, 0), Qt::UTC).toMSecsSinceEpoch();
        const QJsonArray got = slaJson({QStringLiteral("--from"), iso(from), QStringLiteral("--to"), iso(to),
                                        QStringLiteral("--policy"), QStringLiteral("Order release")});
        QCOMPARE(got.size(), 1);
        compare(got[0].toObject(), expectedRelease(from, to));
    }

    void textTableAndErrors()
    {
        const Run r = cli({QStringLiteral("--db"), m_db, QStringLiteral("sla"), QStringLiteral("--at"),
                           iso(kNow), QStringLiteral("--policies"), m_policies});
        QCOMPARE(r.exitCode, 0);
        const QStringList lines = r.out.split(u'\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 3);
        QVERIFY2(lines[0].startsWith(QLatin1String("policy")) && lines[0].contains(QLatin1String("p95")),
                 qPrintable(lines[0]));
        QVERIFY(lines[1].startsWith(QLatin1String("PO acknowledgment")));
        const Run unknown =
            cli({QStringLiteral("--db"), m_db, QStringLiteral("sla"), QStringLiteral("--policy"),
                 QStringLiteral("Nope"), QStringLiteral("--policies"), m_policies});
        QCOMPARE(unknown.exitCode, 1);
        QVERIFY(unknown.err.contains(QLatin1String("no policy named Nope")));
        const Run badTime = cli({QStringLiteral("--db"), m_db, QStringLiteral("sla"),
                                 QStringLiteral("--from"), QStringLiteral("yesterday")});
        QCOMPARE(badTime.exitCode, 1);
        QVERIFY(badTime.err.contains(QLatin1String("is not a time")));
    }
};

QTEST_GUILESS_MAIN(TestSlaCli)
#include "tst_slacli.moc"
