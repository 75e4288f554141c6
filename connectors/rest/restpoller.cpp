#include "connectors/rest/restpoller.h"

#include "connectors/connectorslog.h"
#include "connectors/http/connectionclient.h"
#include "connectors/profile/sandboxprofiles.h"
#include "models/domain/timestamp.h"
#include "models/ingest/jsonspans.h"
#include "models/store/store.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QUrlQuery>
#include <nlohmann/json.hpp>

namespace sightline {
namespace {

using json = nlohmann::json;

constexpr std::chrono::milliseconds kMalformedRetryDelay{250};
constexpr std::chrono::milliseconds kRetryCycleAfter{3000};

QString qs(const std::string &s)
{
    return QString::fromStdString(s);
}

const json *at(const json &j, const QString &pointer)
{
    try {
        const json::json_pointer p(pointer.toStdString());
        return j.contains(p) ? &j.at(p) : nullptr;
    } catch (const json::exception &) {
        return nullptr;
    }
}

QString textAt(const json &j, const QString &pointer)
{
    const json *v = pointer.isEmpty() ? nullptr : at(j, pointer);
    if (!v)
        return {};
    if (v->is_string())
        return qs(v->get<std::string>());
    if (v->is_number())
        return qs(v->dump());
    return {};
}

// Which of two change stamps is later: RFC 3339 by instant, anything else by text.
bool later(const QString &a, const QString &b)
{
    if (b.isEmpty())
        return !a.isEmpty();
    const QDateTime da = QDateTime::fromString(a, Qt::ISODateWithMs);
    const QDateTime db = QDateTime::fromString(b, Qt::ISODateWithMs);
    if (da.isValid() && db.isValid())
        return da > db;
    return a > b;
}

} // namespace

QString RestPosition::toText() const
{
    json j = json::object();
    if (!updatedSince.isEmpty())
        j["updated_since"] = updatedSince.toStdString();
    if (!cursor.isEmpty())
        j["cursor"] = cursor.toStdString();
    if (page > 0)
        j["page"] = page;
    if (!newest.isEmpty())
        j["newest"] = newest.toStdString();
    return qs(j.dump());
}

RestPosition RestPosition::fromText(const QString &text)
{
    const std::string utf8 = text.toStdString();
    const json j = json::parse(utf8, nullptr, false);
    RestPosition p;
    if (!j.is_object())
        return p;
    p.updatedSince = qs(j.value("updated_since", std::string()));
    p.cursor = qs(j.value("cursor", std::string()));
    p.page = j.value("page", 0);
    p.newest = qs(j.value("newest", std::string()));
    return p;
}

RestPoller::RestPoller(Settings settings, Store &store, QObject *parent)
    : QObject(parent), m_settings(std::move(settings)), m_store(store),
      m_client(new ConnectionClient(m_settings.profile, m_settings.http, this)), m_pollTimer(this)
{
    m_health.connection = m_settings.profile.name;
    m_pollTimer.setSingleShot(true);
    connect(&m_pollTimer, &QTimer::timeout, this, &RestPoller::beginCycle);
    connect(m_client, &ConnectionClient::finished, this, &RestPoller::onPage);
    connect(m_client, &ConnectionClient::retrying, this, [this](quint64, int, qint64, const QString &why) {
        ++m_health.retries;
        ++m_health.errors;
        m_health.lastError = why;
        Q_EMIT healthChanged(m_health);
    });
}

RestPoller::~RestPoller() = default;

QString RestPoller::checkpointKey(const QString &connection, const RestResource &resource)
{
    return connection + u' ' + resource.path;
}

Status RestPoller::start(const QHash<QString, QString> &positions)
{
    m_resources.clear();
    for (const RestResource &spec : std::as_const(m_settings.profile.resources)) {
        Resource r;
        r.spec = spec;
        r.key = checkpointKey(m_settings.profile.name, spec);
        QString file = QDir(m_settings.mappingDir).filePath(spec.mappingFile);
        const QString builtIn = QDir(builtInMappingsDir()).filePath(spec.mappingFile);
        if (!QFileInfo::exists(file) && QFileInfo::exists(builtIn))
            file = builtIn; // the sandbox's mappings are compiled in
        auto mapping = Mapping::load(file);
        if (!mapping) {
            setState(ConnectionHealth::State::Down, mapping.error());
            return Error{QStringLiteral("connection '%1': %2").arg(m_settings.profile.name, mapping.error())};
        }
        r.mapping = mapping.value();
        r.committed = RestPosition::fromText(positions.value(r.key));
        m_resources.append(r);
    }
    m_running = true;
    beginCycle();
    return {};
}

void RestPoller::stop()
{
    m_running = false;
    m_pollTimer.stop();
    ++m_job; // answers still in flight are dropped
}

void RestPoller::beginCycle()
{
    if (!m_running || m_current >= 0)
        return;
    m_cycleStartedMs = nowMs();
    m_cycleHadErrors = false;
    m_pageNumber = 0;
    m_current = -1;
    nextResource();
}

void RestPoller::nextResource()
{
    ++m_current;
    if (m_current >= m_resources.size() || !m_running) {
        endCycle();
        return;
    }
    Resource &r = m_resources[m_current];
    r.reading = r.committed;
    r.malformedInARow = 0;
    m_resourceDone = false;
    fetchPage();
}

void RestPoller::fetchPage()
{
    Resource &r = m_resources[m_current];
    const PagingSettings &paging = r.spec.paging;
    QUrl url = m_client->urlFor(r.spec.path);
    QUrlQuery query(url);
    if (paging.type != PagingSettings::Type::None)
        query.addQueryItem(paging.limitParam, QString::number(paging.limit));
    if (paging.type == PagingSettings::Type::Cursor && !r.reading.cursor.isEmpty())
        query.addQueryItem(paging.cursorParam,
                           QString::fromLatin1(QUrl::toPercentEncoding(r.reading.cursor)));
    if (paging.type == PagingSettings::Type::PageNumber)
        query.addQueryItem(paging.pageParam, QString::number(std::max(1, r.reading.page)));
    if (!r.spec.updatedSinceParam.isEmpty() && !r.reading.updatedSince.isEmpty())
        query.addQueryItem(r.spec.updatedSinceParam,
                           QString::fromLatin1(QUrl::toPercentEncoding(r.reading.updatedSince)));
    url.setQuery(query);
    HttpRequest request;
    request.url = url;
    request.headers.emplaceBack(QByteArray("Accept"), "application/json");
    m_fetching = true;
    ++m_pageNumber;
    ++m_health.requests;
    m_client->send(++m_job, request);
}

void RestPoller::onPage(quint64 jobId, const HttpResult &result)
{
    if (jobId != m_job || m_current < 0 || m_current >= m_resources.size())
        return;
    m_fetching = false;
    Resource &r = m_resources[m_current];
    m_health.requests += std::max(0, result.attempts - 1);
    if (!result.ok()) {
        ++m_health.errors;
        m_cycleHadErrors = true;
        if (result.outcome == AttemptOutcome::AuthenticationFailed) {
            m_running = false;
            m_pollTimer.stop();
            setState(ConnectionHealth::State::AuthenticationFailed, result.error);
            Q_EMIT pollFailed(QStringLiteral("%1: %2").arg(m_settings.profile.name, result.error));
        } else {
            setState(result.outcome == AttemptOutcome::RetryLater ? ConnectionHealth::State::Down
                                                                  : ConnectionHealth::State::Degraded,
                     QStringLiteral("%1: %2").arg(r.spec.path, result.error));
        }
        m_resourceDone = true;
        advance();
        return;
    }
    QString error;
    std::optional<PageRead> page = readPage(r, result, error);
    if (!page) {
        quarantineBody(r, result, error);
        ++m_health.errors;
        if (++r.malformedInARow > m_settings.malformedPageRetries) {
            m_cycleHadErrors = true;
            setState(ConnectionHealth::State::Degraded, error);
            m_resourceDone = true;
            advance();
            return;
        }
        ++m_health.retries;
        m_fetching = true; // the page is read again shortly
        QTimer::singleShot(kMalformedRetryDelay, this, [this, job = m_job] {
            if (job == m_job && m_running)
                fetchPage();
        });
        return;
    }
    r.malformedInARow = 0;
    m_health.lastSuccessMs = nowMs();
    if (page->last)
        m_resourceDone = true;
    else
        r.reading = page->next;
    if (m_commitPending)
        m_held = std::move(page);
    else
        commit(std::move(*page));
    advance();
}

namespace {

// Where each record of the page's array lies in the body, so that it is stored with the bytes it
// came in; nothing when the array cannot be located exactly (then records are re-serialised).
std::optional<QList<Span>> recordSpans(const QByteArray &body, const QString &pointer, size_t count)
{
    const auto array = valueAt(body, pointer == QLatin1String("/") ? QString() : pointer);
    if (!array || body.at(array->begin) != '[')
        return std::nullopt;
    auto spans = splitArray(QByteArrayView(body).sliced(array->begin, array->end - array->begin));
    if (!spans || size_t(spans->size()) != count)
        return std::nullopt;
    for (Span &s : *spans)
        s = {s.begin + array->begin, s.end + array->begin};
    return spans;
}

} // namespace

std::optional<RestPoller::PageRead> RestPoller::readPage(Resource &r, const HttpResult &result,
                                                         QString &error)
{
    const json body = json::parse(result.body.begin(), result.body.end(), nullptr, false);
    if (body.is_discarded()) {
        error = QStringLiteral("%1: the answer is not JSON").arg(r.spec.path);
        return std::nullopt;
    }
    const json *items = at(body, r.spec.paging.itemsPointer);
    if (r.spec.paging.itemsPointer.isEmpty() || r.spec.paging.itemsPointer == u"/")
        items = &body;
    if (!items || !items->is_array()) {
        error =
            QStringLiteral("%1: the answer has no array at %2").arg(r.spec.path, r.spec.paging.itemsPointer);
        return std::nullopt;
    }
    PageRead page;
    const qint64 received = nowMs();
    QString newest = r.reading.newest;
    int index = 0;
    const auto spans = recordSpans(result.body, r.spec.paging.itemsPointer, items->size());
    if (!spans)
        qCWarning(lcConnectors) << r.spec.path
                                << "records re-serialised: their array was not found in the bytes";
    for (const json &item : *items) {
        ++index;
        const std::string text = spans ? std::string() : item.dump();
        const QByteArrayView raw = spans ? QByteArrayView(result.body)
                                               .sliced(spans->at(index - 1).begin,
                                                       spans->at(index - 1).end - spans->at(index - 1).begin)
                                         : QByteArrayView(text.data(), qsizetype(text.size()));
        r.mapping->map(raw, m_settings.profile.name,
                       QStringLiteral("%1 page %2 item %3").arg(r.spec.path).arg(m_pageNumber).arg(index),
                       received, page.input);
        const QString changed = textAt(item, r.spec.updatedAtPointer);
        if (later(changed, newest))
            newest = changed;
    }
    const PagingSettings &paging = r.spec.paging;
    page.next = r.reading;
    page.next.newest = newest;
    switch (paging.type) {
    case PagingSettings::Type::Cursor:
        page.next.cursor = textAt(body, paging.nextCursorPointer);
        page.last = page.next.cursor.isEmpty();
        break;
    case PagingSettings::Type::PageNumber:
        page.next.page = std::max(1, r.reading.page) + 1;
        page.last = int(items->size()) < paging.limit;
        break;
    case PagingSettings::Type::None:
        page.last = true;
        break;
    }
    if (page.last) {
        // The next cycle reads what changed since the newest change seen; without an updated_since
        // parameter it reads the last page again (the store drops what it already has) and on.
        page.next = r.reading;
        page.next.newest = newest;
        if (!r.spec.updatedSinceParam.isEmpty()) {
            page.next.updatedSince = newest.isEmpty() ? r.reading.updatedSince : newest;
            page.next.cursor.clear();
            page.next.page = 0;
        }
    }
    return page;
}

void RestPoller::commit(PageRead page)
{
    const Resource &r = m_resources.at(m_current);
    IngestBatch batch;
    const qint64 events = page.input.events.size();
    const qint64 quarantined = page.input.quarantined.size();
    batch.events = std::move(page.input.events);
    batch.quarantined = std::move(page.input.quarantined);
    batch.checkpoint = Checkpoint{r.key, page.next.toText()};
    m_commitPending = true;
    const qsizetype resource = m_current;
    m_store.ingest(std::move(batch), this,
                   [this, resource, position = page.next, events, quarantined](Result<IngestReport> report) {
                       onCommitted(resource, position, events, quarantined, report);
                   });
}

void RestPoller::onCommitted(qsizetype resource, const RestPosition &position, qint64 events,
                             qint64 quarantined, const Result<IngestReport> &report)
{
    m_commitPending = false;
    if (!report) {
        ++m_health.errors;
        m_cycleHadErrors = true;
        setState(ConnectionHealth::State::Degraded, report.error());
        Q_EMIT pollFailed(QStringLiteral("%1: %2").arg(m_settings.profile.name, report.error()));
        // Nothing read after the failed page may commit: this resource waits for the next cycle.
        m_held.reset();
        if (resource == m_current) {
            ++m_job;
            m_fetching = false;
            m_resourceDone = true;
        }
        advance();
        return;
    }
    m_resources[resource].committed = position;
    m_health.events += events;
    m_health.quarantined += quarantined;
    Q_EMIT healthChanged(m_health);
    advance();
}

void RestPoller::advance()
{
    if (!m_commitPending && m_held) {
        PageRead held = std::move(*m_held);
        m_held.reset();
        commit(std::move(held));
    }
    if (!m_resourceDone && !m_fetching && !m_held && m_running)
        fetchPage();
    if ((m_resourceDone || !m_running) && !m_commitPending && !m_held && !m_fetching && m_current >= 0)
        nextResource();
}

void RestPoller::quarantineBody(const Resource &r, const HttpResult &result, const QString &error)
{
    IngestBatch batch;
    batch.quarantined.append(QuarantinedInput{m_settings.profile.name,
                                              QStringLiteral("%1 page %2").arg(r.spec.path).arg(m_pageNumber),
                                              error, result.body, nowMs()});
    m_store.ingest(std::move(batch), this, [this](Result<IngestReport> report) {
        if (report)
            ++m_health.quarantined;
    });
}

void RestPoller::endCycle()
{
    m_current = -1;
    ++m_cycles;
    m_health.state = stateAfterCycle(m_health.state, m_cycleHadErrors);
    m_health.lagMs = nowMs() - m_cycleStartedMs;
    Q_EMIT healthChanged(m_health);
    Q_EMIT cycleFinished(m_cycles, !m_cycleHadErrors);
    if (!m_running)
        return;
    const std::chrono::milliseconds interval = m_settings.profile.pollInterval;
    m_pollTimer.start(m_cycleHadErrors ? std::min(interval, kRetryCycleAfter) : interval);
}

void RestPoller::setState(ConnectionHealth::State state, const QString &error)
{
    m_health.state = state;
    if (!error.isEmpty())
        m_health.lastError = error;
    Q_EMIT healthChanged(m_health);
}

} // namespace sightline
