#include "models/exceptions/exceptionengine.h"

#include "models/exceptions/exceptionlifecycle.h"
#include "models/exceptions/exceptionrepository.h"
#include "models/logging.h"
#include "models/store/connection.h"
#include "models/store/store.h"
#include "models/store/storereader.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlError>
#include <QSqlQuery>
#include <algorithm>

Q_LOGGING_CATEGORY(lcExceptions, "sightline.exceptions", QtInfoMsg)

namespace sightline {
namespace {

constexpr int kTracesPerPass = 200;
constexpr int kQuarantinePerPass = 1000;
const QString kRulesState = QStringLiteral("rules");

// What the engine has seen of a trace: its last evaluated event, and when a time-based rule could
// change its answer. Written in the same transaction as the trace's findings.
Status recordCheck(QSqlDatabase &db, qint64 traceId, qint64 evaluatedThrough, qint64 nextCheckMs)
{
    QSqlQuery q(db);
    q.prepare(QStringLiteral(
        "INSERT INTO exception_checks (trace_id, evaluated_through, next_check_ms) VALUES (?, ?, ?) "
        "ON CONFLICT (trace_id) DO UPDATE SET evaluated_through = excluded.evaluated_through, "
        "next_check_ms = excluded.next_check_ms"));
    q.addBindValue(traceId);
    q.addBindValue(evaluatedThrough);
    q.addBindValue(nextCheckMs ? QVariant(nextCheckMs) : QVariant(QMetaType(QMetaType::LongLong)));
    if (!q.exec())
        return Error{
            QStringLiteral("recording trace %1's evaluation: %2").arg(traceId).arg(q.lastError().text())};
    return {};
}

Status setEngineState(QSqlDatabase &db, const QString &name, const QString &value)
{
    QSqlQuery q(db);
    q.prepare(QStringLiteral("INSERT INTO exception_engine_state (name, value) VALUES (?, ?) "
                             "ON CONFLICT (name) DO UPDATE SET value = excluded.value"));
    q.addBindValue(name);
    q.addBindValue(value);
    if (!q.exec())
        return Error{q.lastError().text()};
    return {};
}

Result<QString> engineState(QSqlDatabase &db, const QString &name)
{
    QSqlQuery q(db);
    q.prepare(QStringLiteral("SELECT value FROM exception_engine_state WHERE name = ?"));
    q.addBindValue(name);
    if (!q.exec())
        return Error{q.lastError().text()};
    return q.next() ? q.value(0).toString() : QString();
}

// The traces with an event newer than their last evaluation (or never evaluated).
Result<QList<qint64>> tracesBehind(QSqlDatabase &db)
{
    QSqlQuery q(db);
    q.setForwardOnly(true);
    if (!q.exec(QStringLiteral(
            "SELECT t.trace_id FROM (SELECT d.trace_id AS trace_id, MAX(e.id) AS last_event FROM events e "
            "JOIN documents d ON d.id = e.document_id GROUP BY d.trace_id) t LEFT JOIN exception_checks c "
            "ON c.trace_id = t.trace_id WHERE c.evaluated_through IS NULL OR t.last_event > "
            "c.evaluated_through ORDER BY t.trace_id")))
        return Error{q.lastError().text()};
    QList<qint64> out;
    while (q.next())
        out.append(q.value(0).toLongLong());
    return out;
}

qint64 lastEventOf(const Trace &trace)
{
    qint64 last = 0;
    for (const TraceEvent &e : trace.events)
        last = std::max(last, e.rowId);
    return last;
}

} // namespace

ExceptionEngine::ExceptionEngine(Store *store, ExceptionRules rules, Clock clock)
    : m_store(store), m_rules(std::move(rules)), m_clock(std::move(clock))
{}

ExceptionEngine::~ExceptionEngine()
{
    stop();
}

qint64 ExceptionEngine::now() const
{
    return m_clock ? m_clock() : QDateTime::currentMSecsSinceEpoch();
}

void ExceptionEngine::start(bool catchUpNow)
{
    auto reader = StoreReader::open(m_store->path());
    if (!reader) {
        Q_EMIT engineFailed(
            QStringLiteral("exception detection cannot read the store: %1").arg(reader.error()));
        return;
    }
    m_reader = std::move(reader.value());
    m_connectionName = uniqueConnectionName(u"exceptions");
    auto db = openStoreConnection(m_store->path(), m_connectionName, true);
    if (!db) {
        Q_EMIT engineFailed(db.error());
        return;
    }
    m_timer = new QTimer(this);
    m_timer->setInterval(m_timerIntervalMs);
    connect(m_timer, &QTimer::timeout, this, &ExceptionEngine::checkTime);
    m_timer->start();
    checkQuarantine();
    if (catchUpNow)
        catchUp();
}

void ExceptionEngine::stop()
{
    if (m_timer)
        m_timer->stop();
    m_reader.reset();
    if (!m_connectionName.isEmpty())
        closeConnection(m_connectionName);
    m_connectionName.clear();
}

void ExceptionEngine::onCommitted(const IngestReport &report, const QSet<qint64> &touchedTraces)
{
    if (!m_reader)
        return;
    if (report.quarantined > 0)
        checkQuarantine();
    if (!touchedTraces.isEmpty())
        evaluate(touchedTraces);
}

Result<TraceFacts> ExceptionEngine::factsOf(qint64 traceId)
{
    auto trace = m_reader->loadTrace(traceId);
    if (!trace)
        return Error{trace.error()};
    TraceFacts facts;
    facts.trace = std::move(trace.value());
    for (const TraceEvent &e : std::as_const(facts.trace.events)) {
        auto raw = m_reader->rawPayload(e.rowId);
        if (!raw)
            return Error{raw.error()};
        const QJsonObject data =
            QJsonDocument::fromJson(raw.value()).object().value(QStringLiteral("data")).toObject();
        if (!data.isEmpty())
            facts.data.insert(e.rowId, data);
    }
    return facts;
}

void ExceptionEngine::evaluate(const QSet<qint64> &traces)
{
    if (!m_reader || traces.isEmpty())
        return;
    const qint64 at = now();
    std::vector<StoreWrite> writes;
    for (qint64 traceId : traces) {
        auto facts = factsOf(traceId);
        if (!facts) {
            Q_EMIT engineFailed(QStringLiteral("exception detection cannot read trace %1: %2")
                                    .arg(traceId)
                                    .arg(facts.error()));
            continue;
        }
        if (facts->trace.isEmpty())
            continue; // merged into another trace: evaluated there
        TraceEvaluation result = evaluateTrace(facts.value(), m_rules, at);
        if (result.nextCheckMs)
            m_nextCheck.insert(traceId, result.nextCheckMs);
        else
            m_nextCheck.remove(traceId);
        writes.push_back([traceId, findings = std::move(result.findings), at, next = result.nextCheckMs,
                          through = lastEventOf(facts->trace)](QSqlDatabase &db) {
            if (Status s = reconcileFindings(db, traceId, findings, at); !s)
                return s;
            return recordCheck(db, traceId, through, next);
        });
    }
    commit(std::move(writes), int(traces.size()));
}

void ExceptionEngine::checkTime()
{
    const qint64 at = now();
    QSet<qint64> due;
    for (auto it = m_nextCheck.cbegin(); it != m_nextCheck.cend(); ++it) {
        if (it.value() <= at)
            due.insert(it.key());
    }
    if (due.isEmpty()) {
        Q_EMIT passFinished(0);
        return;
    }
    evaluate(due);
}

void ExceptionEngine::scanAll()
{
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    QSqlQuery q(db);
    q.setForwardOnly(true);
    if (!q.exec(QStringLiteral("SELECT DISTINCT trace_id FROM documents ORDER BY trace_id"))) {
        Q_EMIT engineFailed(
            QStringLiteral("exception detection cannot list traces: %1").arg(q.lastError().text()));
        return;
    }
    QSet<qint64> chunk;
    while (q.next()) {
        chunk.insert(q.value(0).toLongLong());
        if (chunk.size() >= kTracesPerPass) {
            evaluate(chunk);
            chunk.clear();
        }
    }
    evaluate(chunk);
}

void ExceptionEngine::catchUp()
{
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    const QString rules = m_rules.fingerprint();
    auto stored = engineState(db, kRulesState);
    if (!stored || stored.value() != rules) {
        // Other rules (or none recorded): every finding may differ. The new rules are recorded
        // after the scan's findings, so a scan cut short is made again at the next start.
        qCInfo(lcExceptions) << "exception rules changed since the last evaluation: evaluating every trace";
        scanAll();
        IngestBatch batch;
        batch.writes.push_back([rules](QSqlDatabase &w) { return setEngineState(w, kRulesState, rules); });
        m_store->ingest(std::move(batch), this, [this](Result<IngestReport> r) {
            if (!r)
                Q_EMIT engineFailed(QStringLiteral("exception detection: %1").arg(r.error()));
        });
        return;
    }
    QSqlQuery q(db);
    q.setForwardOnly(true);
    if (q.exec(QStringLiteral(
            "SELECT trace_id, next_check_ms FROM exception_checks WHERE next_check_ms IS NOT NULL"))) {
        while (q.next())
            m_nextCheck.insert(q.value(0).toLongLong(), q.value(1).toLongLong());
    }
    auto behind = tracesBehind(db);
    if (!behind) {
        Q_EMIT engineFailed(QStringLiteral("exception detection cannot list traces: %1").arg(behind.error()));
        return;
    }
    qCInfo(lcExceptions) << "exception detection catching up:" << behind->size() << "traces with new events,"
                         << m_nextCheck.size() << "time-based looks taken up";
    for (qsizetype i = 0; i < behind->size(); i += kTracesPerPass) {
        const QList<qint64> chunk = behind->mid(i, kTracesPerPass);
        evaluate(QSet<qint64>(chunk.cbegin(), chunk.cend()));
    }
    checkTime();
}

void ExceptionEngine::checkQuarantine()
{
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    QSqlQuery q(db);
    q.setForwardOnly(true);
    if (m_quarantineSeen < 0) {
        if (!q.exec(QStringLiteral("SELECT COALESCE(MAX(quarantine_id), 0) FROM exceptions")) || !q.next()) {
            Q_EMIT engineFailed(q.lastError().text());
            return;
        }
        m_quarantineSeen = q.value(0).toLongLong();
    }
    q.prepare(QStringLiteral("SELECT id, origin, position, error, received_ms FROM quarantine WHERE id > ? "
                             "ORDER BY id LIMIT ?"));
    q.addBindValue(m_quarantineSeen);
    q.addBindValue(kQuarantinePerPass);
    if (!q.exec()) {
        Q_EMIT engineFailed(q.lastError().text());
        return;
    }
    QList<ExceptionItem> findings;
    while (q.next()) {
        QuarantinedInput input;
        input.origin = q.value(1).toString();
        input.position = q.value(2).toString();
        input.error = q.value(3).toString();
        input.receivedMs = q.value(4).toLongLong();
        m_quarantineSeen = q.value(0).toLongLong();
        if (m_rules.enabled(rule::InputQuarantined))
            findings.append(quarantineFinding(m_quarantineSeen, input, m_rules));
    }
    if (findings.isEmpty())
        return;
    const qint64 at = now();
    const bool more = findings.size() >= kQuarantinePerPass;
    std::vector<StoreWrite> writes;
    writes.push_back([findings, at](QSqlDatabase &d) { return reconcileFindings(d, 0, findings, at); });
    commit(std::move(writes), 0);
    if (more)
        QMetaObject::invokeMethod(this, &ExceptionEngine::checkQuarantine, Qt::QueuedConnection);
}

void ExceptionEngine::commit(std::vector<StoreWrite> writes, int traces)
{
    if (writes.empty()) {
        Q_EMIT passFinished(traces);
        return;
    }
    IngestBatch batch;
    batch.writes = std::move(writes);
    m_store->ingest(std::move(batch), this, [this, traces](Result<IngestReport> r) {
        if (!r) {
            qCWarning(lcExceptions) << "exception detection could not record its findings:" << r.error();
            Q_EMIT engineFailed(
                QStringLiteral("exception detection could not record its findings: %1").arg(r.error()));
        }
        Q_EMIT passFinished(traces);
    });
}

ExceptionEngineThread::ExceptionEngineThread(Store *store, ExceptionRules rules, ExceptionEngine::Clock clock,
                                             bool catchUp)
    : m_engine(new ExceptionEngine(store, std::move(rules), std::move(clock)))
{
    m_thread.setObjectName(QStringLiteral("sightline-exceptions"));
    m_engine->moveToThread(&m_thread);
    QObject::connect(&m_thread, &QThread::finished, m_engine, &QObject::deleteLater);
    QObject::connect(store, &Store::committed, m_engine, &ExceptionEngine::onCommitted, Qt::QueuedConnection);
    m_thread.start();
    QMetaObject::invokeMethod(
        m_engine, [engine = m_engine, catchUp] { engine->start(catchUp); }, Qt::QueuedConnection);
}

ExceptionEngineThread::~ExceptionEngineThread()
{
    QMetaObject::invokeMethod(
        m_engine, [engine = m_engine] { engine->stop(); }, Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
}

} // namespace sightline
