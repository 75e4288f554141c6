// The managers' SLA policy editor: the service refuses other roles whatever the UI shows, a saved
// edit is written atomically as an override that loads back to the edited policies, audited, and
// recomputes every measurement; the editor window edits, validates and saves through the engine;
// delivery lanes set the target from the promised transit days.
#include "models/audit/auditlog.h"
#include "models/sla/policychange.h"
#include "models/sla/policymodel.h"
#include "models/sla/slaengine.h"
#include "models/sla/slareader.h"
#include "models/store/connection.h"
#include "models/store/store.h"
#include "slatestsupport.h"
#include "ui/sla/sladashboard.h"
#include "ui/sla/slapolicyeditor.h"
#include "ui/sla/slapolicyform.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <atomic>

using namespace sightline;
using namespace sightline::test;

namespace {

const qint64 t0 = utc(2026, 2, 2, 10); // a Monday

const Identity kManager{QStringLiteral("maria"), Role::Manager};
const Identity kBuyer{QStringLiteral("bruno"), Role::Buyer};

DocumentRef po(const char *key)
{
    return {DocumentKind::PurchaseOrder, QString::fromLatin1(key)};
}

SlaConfig withAckTarget(SlaConfig config, double hours)
{
    for (SlaPolicy &p : config.policies) {
        if (p.name == QLatin1String("PO acknowledgment"))
            p.targetHours = hours;
    }
    return config;
}

} // namespace

class TestSlaPolicyEdit : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<Store> m_store;
    std::unique_ptr<SlaReader> m_reader;
    std::atomic<qint64> m_now{t0};

    QString path(const char *name) const { return m_dir.filePath(QString::fromLatin1(name)); }

    std::optional<SlaState> state(const QString &policy, const char *key)
    {
        auto items = m_reader->items({}, std::nullopt, 1000);
        if (!items)
            return std::nullopt;
        for (const SlaItem &i : items.value()) {
            if (i.measurement.policy == policy && i.documentKey == QLatin1String(key))
                return i.measurement.state;
        }
        return std::nullopt;
    }

    QList<AuditEntry> audit()
    {
        const QString name = uniqueConnectionName(u"test-audit");
        QList<AuditEntry> entries;
        {
            auto db = openReadConnection(m_store->path(), name);
            if (db)
                entries = readAudit(db.value()).value();
        }
        closeConnection(name);
        return entries;
    }

    void ingestAckScenario()
    {
        IngestBatch batch;
        batch.events = {slaEvent(QStringLiteral("1"), QStringLiteral("po.sent"), DocumentKind::PurchaseOrder,
                                 QStringLiteral("PO-1"), t0),
                        slaEvent(QStringLiteral("2"), QStringLiteral("po.acknowledged"),
                                 DocumentKind::PoAcknowledgment, QStringLiteral("ACK-1"), t0 + 30 * kHourMs,
                                 po("PO-1"))};
        QVERIFY(m_store->ingestAndWait(std::move(batch)));
    }

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void init()
    {
        QVERIFY(m_dir.isValid());
        auto store = Store::open(
            m_dir.filePath(QStringLiteral("%1.db").arg(QLatin1String(QTest::currentTestFunction()))));
        QVERIFY(store);
        m_store = std::move(store.value());
        auto reader = SlaReader::open(m_store->path());
        QVERIFY(reader);
        m_reader = std::move(reader.value());
        m_now = t0 + 40 * kHourMs;
        QFile::remove(path("policies.json"));
    }

    void cleanup()
    {
        m_reader.reset();
        m_store.reset();
    }

    void serviceRefusesRolesThatMayNotEditRules()
    {
        const SlaConfig base = SlaConfig::defaults();
        for (const Identity &who : {kBuyer, Identity{QStringLiteral("sam"), Role::WarehouseSupervisor},
                                    Identity{QStringLiteral("cate"), Role::CustomerService}}) {
            auto saved = saveSlaPolicyChange({who, base, withAckTarget(base, 12), QStringLiteral("faster")},
                                             base, path("policies.json"));
            QVERIFY(!saved);
            QVERIFY2(saved.error().contains(QLatin1String("manager")), qPrintable(saved.error()));
            QVERIFY(!QFile::exists(path("policies.json")));
        }
        // A manager needs a reason, and a configuration that measures.
        QVERIFY(
            !saveSlaPolicyChange({kManager, base, withAckTarget(base, 12), {}}, base, path("policies.json")));
        SlaConfig broken = base;
        broken.policies[0].to = QStringLiteral("po.acknowledgd");
        auto refused =
            saveSlaPolicyChange({kManager, base, broken, QStringLiteral("x")}, base, path("policies.json"));
        QVERIFY(!refused);
        QVERIFY2(refused.error().contains(QLatin1String("po.acknowledgd")), qPrintable(refused.error()));
        SlaConfig twice = base;
        twice.policies.append(base.policies.first());
        QVERIFY(
            !saveSlaPolicyChange({kManager, base, twice, QStringLiteral("x")}, base, path("policies.json")));
        QVERIFY(!QFile::exists(path("policies.json")));
    }

    void savedOverrideLoadsBackToTheEdit()
    {
        const SlaConfig base = SlaConfig::defaults();
        SlaConfig edited = withAckTarget(base, 12);
        edited.policies.removeIf(
            [](const SlaPolicy &p) { return p.name == QLatin1String("Integration lag"); });
        edited.calendars.removeIf(
            [](const BusinessCalendar &c) { return c.name() == QLatin1String("WH-SOUTH"); });
        BusinessCalendar lyon = BusinessCalendar::weekly(QStringLiteral("WH-LYON"), "Europe/Paris",
                                                         {1, 2, 3, 4, 5}, 8 * 60, 17 * 60);
        lyon.addHoliday(QDate(2026, 7, 14));
        edited.calendars.append(lyon);
        auto saved = saveSlaPolicyChange({kManager, base, edited, QStringLiteral("tighter acks")}, base,
                                         path("policies.json"));
        QVERIFY2(saved, saved ? "" : qPrintable(saved.error()));
        QVERIFY(saved->contains(QStringLiteral("policy PO acknowledgment: target_hours 24 → 12")));
        QVERIFY(saved->contains(QStringLiteral("policy Integration lag removed")));
        QVERIFY(saved->contains(QStringLiteral("calendar WH-LYON added")));
        QVERIFY(saved->contains(QStringLiteral("calendar WH-SOUTH removed")));
        auto loaded = SlaConfig::load(path("policies.json"));
        QVERIFY2(loaded, loaded ? "" : qPrintable(loaded.error()));
        QCOMPARE(slaConfigChanges(edited, loaded.value()), QStringList());
        QVERIFY(loaded->calendarNamed(QStringLiteral("WH-LYON"))->isHoliday(QDate(2026, 7, 14)));
        QCOMPARE(loaded->policy(QStringLiteral("PO acknowledgment"))->targetMs(), 12 * kHourMs);
    }

    void engineSavesAuditsAndRecomputes()
    {
        const SlaConfig base = SlaConfig::defaults();
        SlaEngine engine(
            *m_store, base, [this] { return m_now.load(); }, 0);
        engine.setOverridePath(path("policies.json"));
        QSignalSpy saved(&engine, &SlaEngine::policyChangeSaved);
        QSignalSpy failed(&engine, &SlaEngine::policyChangeFailed);
        QSignalSpy recomputed(&engine, &SlaEngine::recomputed);
        engine.start();
        ingestAckScenario();
        QTRY_COMPARE(state(QStringLiteral("PO acknowledgment"), "PO-1"), SlaState::Breached); // 30 h of 24
        // A buyer is refused by the engine's service, and the refusal is audited.
        engine.applyPolicyChange({kBuyer, base, withAckTarget(base, 48), QStringLiteral("kinder")}, 7);
        QTRY_COMPARE(failed.size(), 1);
        QCOMPARE(failed.first().at(0).toULongLong(), 7u);
        QTRY_COMPARE(audit().size(), 1);
        QVERIFY(audit().first().result.startsWith(QLatin1String("refused")));
        QCOMPARE(state(QStringLiteral("PO acknowledgment"), "PO-1"), SlaState::Breached);
        // A manager's edit is saved, audited with its reason and changes, and recomputes.
        engine.applyPolicyChange({kManager, base, withAckTarget(base, 48), QStringLiteral("supplier terms")},
                                 8);
        QTRY_COMPARE(saved.size(), 1);
        QCOMPARE(saved.first().at(0).toULongLong(), 8u);
        QTRY_COMPARE(recomputed.size(), 1);
        QCOMPARE(state(QStringLiteral("PO acknowledgment"), "PO-1"), SlaState::Met);
        QTRY_COMPARE(audit().size(), 2);
        const AuditEntry entry = audit().last();
        QCOMPARE(entry.actor, QStringLiteral("maria"));
        QCOMPARE(entry.role, QStringLiteral("manager"));
        QCOMPARE(entry.action, QLatin1String(kSlaPolicyEditAction));
        QCOMPARE(entry.reason, QStringLiteral("supplier terms"));
        QCOMPARE(entry.request, QStringLiteral("policy PO acknowledgment: target_hours 24 → 48"));
        QCOMPARE(entry.result, QStringLiteral("saved"));
        QCOMPARE(
            SlaConfig::load(path("policies.json"))->policy(QStringLiteral("PO acknowledgment"))->targetMs(),
            48 * kHourMs);
        const QString name = uniqueConnectionName(u"test-verify");
        {
            auto db = openReadConnection(m_store->path(), name);
            QVERIFY(db);
            QVERIFY(verifyAudit(db.value())->ok());
        }
        closeConnection(name);
    }

    void deliveryIsMeasuredAgainstItsLane()
    {
        SlaEngine engine(
            *m_store, SlaConfig::defaults(), [this] { return m_now.load(); }, 0);
        engine.start();
        const QString acme = QStringLiteral("Acme Retail");
        const QString globex = QStringLiteral("Globex Stores");
        IngestBatch batch;
        // Both delivered 60 h after dispatch from WH-EAST: 3 promised days for Globex, 2 for Acme.
        batch.events = {
            slaEvent(QStringLiteral("1"), QStringLiteral("shipment.dispatched"), DocumentKind::Shipment,
                     QStringLiteral("SH-1"), t0, std::nullopt, globex),
            slaEvent(QStringLiteral("2"), QStringLiteral("shipment.delivered"), DocumentKind::Shipment,
                     QStringLiteral("SH-1"), t0 + 60 * kHourMs, std::nullopt, globex),
            slaEvent(QStringLiteral("3"), QStringLiteral("shipment.dispatched"), DocumentKind::Shipment,
                     QStringLiteral("SH-2"), t0, std::nullopt, acme),
            slaEvent(QStringLiteral("4"), QStringLiteral("shipment.delivered"), DocumentKind::Shipment,
                     QStringLiteral("SH-2"), t0 + 60 * kHourMs, std::nullopt, acme)};
        m_now = t0 + 70 * kHourMs;
        QVERIFY(m_store->ingestAndWait(std::move(batch)));
        QTRY_COMPARE(state(QStringLiteral("Delivery"), "SH-1"), SlaState::Met);
        QTRY_COMPARE(state(QStringLiteral("Delivery"), "SH-2"), SlaState::Breached);
    }

    void policyModelsAreSound()
    {
        const SlaConfig config = SlaConfig::defaults();
        SlaPolicyModel policies;
        QAbstractItemModelTester t1(&policies, QAbstractItemModelTester::FailureReportingMode::QtTest);
        policies.setPolicies(config.policies);
        QCOMPARE(policies.rowCount(), 8);
        QCOMPARE(policies.data(policies.index(0, SlaPolicyModel::Target)).toString(), QStringLiteral("24 h"));
        QCOMPARE(policies.data(policies.index(2, SlaPolicyModel::Target)).toString(),
                 QStringLiteral("asn.received before it"));
        QCOMPARE(policies.data(policies.index(3, SlaPolicyModel::Target)).toString(),
                 QStringLiteral("2 business hours"));
        QCOMPARE(policies.data(policies.index(5, SlaPolicyModel::Target)).toString(),
                 QStringLiteral("120 h; lanes 2–4 days"));
        policies.appendPolicy(config.policies.first());
        policies.replacePolicy(8, config.policies.last());
        policies.removePolicy(0);
        QCOMPARE(policies.rowCount(), 8);
        SlaCalendarModel calendars;
        QAbstractItemModelTester t2(&calendars, QAbstractItemModelTester::FailureReportingMode::QtTest);
        calendars.setCalendars(config.calendars);
        QCOMPARE(calendars.data(calendars.index(1, SlaCalendarModel::TimeZone)).toString(),
                 QStringLiteral("America/New_York"));
        calendars.appendCalendar(config.calendars.first());
        calendars.removeCalendar(0);
        calendars.replaceCalendar(0, config.calendars.first());
        QCOMPARE(calendars.rowCount(), config.calendars.size());
    }

    void editorEditsValidatesAndSaves()
    {
        ingestAckScenario();
        // The signed-in user is a manager in the roles file the console reads.
        QFile roles(path("roles.json"));
        QVERIFY(roles.open(QIODevice::WriteOnly));
        roles.write(
            QStringLiteral(R"({"users": {"%1": "manager"}})").arg(RoleDirectory::currentUser()).toUtf8());
        roles.close();
        qputenv("SIGHTLINE_ROLES_FILE", path("roles.json").toUtf8());
        SlaDashboard dash(m_store->path(), m_store.get());
        dash.setClock([this] { return m_now.load(); });
        dash.setPolicyFile(path("policies.json"));
        dash.start();
        QTRY_COMPARE(state(QStringLiteral("PO acknowledgment"), "PO-1"), SlaState::Breached);
        QCOMPARE(dash.identity().role, Role::Manager);
        SlaPolicyEditor &editor = *dash.openPolicyEditor();
        QVERIFY(QTest::qWaitForWindowExposed(&editor));
        editor.selectPolicy(0);
        QVERIFY(!editor.saveButton()->isEnabled()); // nothing changed yet
        editor.policyForm()->targetBox()->setValue(48);
        QCOMPARE(editor.pendingChanges(),
                 QStringList{QStringLiteral("policy PO acknowledgment: target_hours 24 → 48")});
        QVERIFY(!editor.saveButton()->isEnabled()); // no reason yet
        QTest::keyClicks(editor.reasonEdit(), QStringLiteral("new supplier terms"));
        QVERIFY(editor.saveButton()->isEnabled());
        // A lane that does not parse blocks the save and says why.
        editor.selectPolicy(5);
        editor.policyForm()->lanesEdit()->setPlainText(QStringLiteral("WH-EAST, *, soon"));
        QVERIFY(!editor.saveButton()->isEnabled());
        QVERIFY2(editor.statusLabel()->text().contains(QLatin1String("lane line 1")),
                 qPrintable(editor.statusLabel()->text()));
        editor.policyForm()->lanesEdit()->setPlainText(QStringLiteral("WH-EAST, *, 3"));
        QVERIFY(editor.saveButton()->isEnabled());
        QTest::mouseClick(editor.saveButton(), Qt::LeftButton);
        QTRY_VERIFY2(editor.statusLabel()->text().startsWith(QLatin1String("Saved")),
                     qPrintable(editor.statusLabel()->text()));
        QTRY_COMPARE(state(QStringLiteral("PO acknowledgment"), "PO-1"), SlaState::Met);
        auto loaded = SlaConfig::load(path("policies.json"));
        QVERIFY(loaded);
        QCOMPARE(loaded->policy(QStringLiteral("Delivery"))->lanes.size(), 1);
        QCOMPARE(editor.pendingChanges(), QStringList());
        QCOMPARE(dash.config().policy(QStringLiteral("PO acknowledgment"))->targetMs(), 48 * kHourMs);
        editor.close();
        qunsetenv("SIGHTLINE_ROLES_FILE");
    }

    void editorIsReadOnlyForOtherRoles()
    {
        SlaPolicyEditor editor(SlaConfig::defaults(), kBuyer);
        editor.show();
        QVERIFY(QTest::qWaitForWindowExposed(&editor));
        QVERIFY(!editor.saveButton()->isVisible());
        QVERIFY(!editor.policyForm()->nameEdit()->isEnabled());
        QVERIFY(editor.statusLabel()->text().contains(QLatin1String("Only managers")));
    }
};

QTEST_MAIN(TestSlaPolicyEdit)
#include "tst_slapolicyedit.moc"
