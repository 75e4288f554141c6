#include "connectors/tryton/trytonpoller.h"

#include "connectors/connectorslog.h"
#include "connectors/tryton/trytonrecords.h"
#include "models/domain/timestamp.h"
#include "models/store/store.h"

namespace sightline::tryton {
namespace {

using json = nlohmann::json;

constexpr std::chrono::milliseconds kRetryCycleAfter{3000};

// Records changed at or after since: written then, or created then and never written (Tryton
// leaves write_date empty until the first write). Repeats are dropped by the store.
json changedSince(const QString &since)
{
    if (since.isEmpty())
        return json::array();
    const json at = dateTimeValue(since);
    return json::array(
        {"OR", json::array({json::array({"write_date", ">=", at})}),
         json::array({json::array({"write_date", "=", nullptr}), json::array({"create_date", ">=", at})})});
}

} // namespace

QString ModelPosition::toText() const
{
    json j = json::object();
    if (!since.isEmpty())
        j["since"] = since.toStdString();
    if (!readAtSince.isEmpty())
        j["since_ids"] = std::vector<qint64>(readAtSince.cbegin(), readAtSince.cend());
    if (offset > 0)
        j["offset"] = offset;
    if (!newest.isEmpty())
        j["newest"] = newest.toStdString();
    if (!newestIds.isEmpty())
        j["newest_ids"] = std::vector<qint64>(newestIds.cbegin(), newestIds.cend());
    return QString::fromStdString(j.dump());
}

ModelPosition ModelPosition::fromText(const QString &text)
{
    const json j = json::parse(text.toStdString(), nullptr, false);
    ModelPosition p;
    if (!j.is_object())
        return p;
    p.since = QString::fromStdString(j.value("since", std::string()));
    p.offset = j.value("offset", 0);
    p.newest = QString::fromStdString(j.value("newest", std::string()));
    auto ids = [&j](const char *name) {
        QList<qint64> out;
        if (const auto it = j.find(name); it != j.end() && it->is_array()) {
            for (const json &id : *it) {
                if (id.is_number_integer())
                    out.append(id.get<qint64>());
            }
        }
        return out;
    };
    p.readAtSince = ids("since_ids");
    p.newestIds = ids("newest_ids");
    return p;
}

Poller::Poller(Settings settings, Store &store, QObject *parent)
    : QObject(parent), m_settings(std::move(settings)), m_store(store),
      m_client(new Client(m_settings.server, m_settings.http, this)), m_pollTimer(this)
{
    m_health.connection = m_settings.server.connection;
    m_pollTimer.setSingleShot(true);
    connect(&m_pollTimer, &QTimer::timeout, this, &Poller::beginCycle);
    connect(m_client, &Client::finished, this, &Poller::onReply);
}

Poller::~Poller() = default;

QString Poller::checkpointKey(const QString &connection, const QString &model)
{
    return connection + u' ' + model;
}

void Poller::start(const QHash<QString, QString> &positions)
{
    m_models.clear();
    for (const PolledModel &m : polledModels()) {
        if (!m_settings.models.isEmpty() && !m_settings.models.contains(m.model))
            continue;
        const QString key = checkpointKey(m_settings.server.connection, m.model);
        m_models.append(Model{m.model, m.fields, key, ModelPosition::fromText(positions.value(key))});
    }
    m_running = true;
    beginCycle();
}

void Poller::stop()
{
    m_running = false;
    m_pollTimer.stop();
    ++m_job; // answers in flight are dropped
}

void Poller::beginCycle()
{
    if (!m_running || m_current >= 0)
        return;
    m_cycleStartedMs = nowMs();
    m_cycleHadErrors = false;
    m_current = -1;
    nextModel();
}

void Poller::nextModel()
{
    ++m_current;
    m_page = 0;
    if (m_current >= m_models.size() || !m_running) {
        endCycle();
        return;
    }
    fetch();
}

void Poller::fetch()
{
    const Model &m = m_models.at(m_current);
    json fields = json::array();
    for (const QString &f : m.fields)
        fields.push_back(f.toStdString());
    const json params = json::array({changedSince(m.committed.since), m.committed.offset, m_settings.pageSize,
                                     json::array({json::array({"id", "ASC"})}), fields});
    ++m_page;
    ++m_health.requests;
    m_client->call(++m_job, QStringLiteral("model.%1.search_read").arg(m.name), params);
}

void Poller::onReply(quint64 job, const Reply &answer)
{
    if (job != m_job || m_current < 0 || m_current >= m_models.size())
        return;
    Reply reply = answer;
    if (reply.ok() && !reply.result->is_array())
        reply.shapeError(QStringLiteral("search_read should answer a list of records"));
    if (!reply.ok()) {
        fail(reply);
        return;
    }
    const Model &m = m_models.at(m_current);
    const QString position =
        QStringLiteral("%1 page %2 (offset %3)").arg(m.name).arg(m_page).arg(m.committed.offset);
    PageMapping page =
        mapRecords(m_settings.server.connection, m.name, reply.body, reply.resultSpan, *reply.result,
                   position, nowMs(), ReadBefore{m.committed.since, m.committed.readAtSince});
    m_health.lastSuccessMs = nowMs();
    const bool last = page.records < m_settings.pageSize;
    ModelPosition next = m.committed;
    if (page.newest > next.newest) {
        next.newest = page.newest;
        next.newestIds = page.newestIds;
    } else if (!page.newest.isEmpty() && page.newest == next.newest) {
        for (const qint64 id : std::as_const(page.newestIds)) {
            if (!next.newestIds.contains(id))
                next.newestIds.append(id);
        }
    }
    if (last) {
        next.since = next.newest;
        next.readAtSince = next.newestIds;
        next.offset = 0;
    } else {
        next.offset += page.records;
    }
    commit(std::move(page.input), next, last, page.records);
}

void Poller::commit(ParsedInput input, const ModelPosition &next, bool last, int records)
{
    const Model &m = m_models.at(m_current);
    IngestBatch batch;
    const qint64 events = input.events.size();
    const qint64 quarantined = input.quarantined.size();
    batch.events = std::move(input.events);
    batch.quarantined = std::move(input.quarantined);
    batch.checkpoint = Checkpoint{m.key, next.toText()};
    qCDebug(lcConnectors) << m_settings.server.connection << m.name << records << "records," << events
                          << "events," << quarantined << "quarantined";
    const qsizetype model = m_current;
    m_store.ingest(std::move(batch), this,
                   [this, model, next, last, events, quarantined, job = m_job](Result<IngestReport> report) {
                       if (!report) {
                           m_cycleHadErrors = true;
                           ++m_health.errors;
                           setState(ConnectionHealth::State::Degraded, report.error());
                           Q_EMIT pollFailed(
                               QStringLiteral("%1: %2").arg(m_settings.server.connection, report.error()));
                           if (job == m_job && model == m_current)
                               nextModel(); // this model waits for the next cycle
                           return;
                       }
                       m_models[model].committed = next;
                       m_health.events += events;
                       m_health.quarantined += quarantined;
                       Q_EMIT healthChanged(m_health);
                       if (job != m_job || model != m_current || !m_running)
                           return;
                       if (last)
                           nextModel();
                       else
                           fetch();
                   });
}

void Poller::fail(const Reply &reply)
{
    ++m_health.errors;
    m_cycleHadErrors = true;
    if (reply.failure == Reply::Failure::Authentication) {
        m_running = false;
        m_pollTimer.stop();
        setState(ConnectionHealth::State::AuthenticationFailed, reply.error);
        Q_EMIT pollFailed(reply.error);
        endCycle();
        return;
    }
    setState(reply.failure == Reply::Failure::Network ? ConnectionHealth::State::Down
                                                      : ConnectionHealth::State::Degraded,
             reply.error);
    nextModel(); // the next cycle comes sooner
}

void Poller::endCycle()
{
    m_current = -1;
    ++m_cycles;
    m_health.state = stateAfterCycle(m_health.state, m_cycleHadErrors);
    m_health.lagMs = nowMs() - m_cycleStartedMs;
    Q_EMIT healthChanged(m_health);
    Q_EMIT cycleFinished(m_cycles, !m_cycleHadErrors);
    if (!m_running)
        return;
    const std::chrono::milliseconds interval = m_settings.pollInterval;
    m_pollTimer.start(m_cycleHadErrors ? std::min(interval, kRetryCycleAfter) : interval);
}

void Poller::setState(ConnectionHealth::State state, const QString &error)
{
    m_health.state = state;
    if (!error.isEmpty())
        m_health.lastError = error;
    Q_EMIT healthChanged(m_health);
}

} // namespace sightline::tryton
