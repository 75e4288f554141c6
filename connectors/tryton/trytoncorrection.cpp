#include "connectors/tryton/trytoncorrection.h"

#include "connectors/tryton/trytonclient.h"
#include "connectors/tryton/trytonpoller.h"

#include <QThread>

namespace sightline::tryton {
namespace {

using json = nlohmann::json;

QString compact(const json &j)
{
    return QString::fromStdString(j.dump());
}

// The document's fields a correction shows before and after, with dates as text.
json snapshot(const json &record)
{
    json s = json::object();
    s["state"] = record.value("state", json());
    const auto planned = dateOf(record.value("planned_date", json()));
    s["planned_date"] = planned ? json(planned->toString(Qt::ISODate).toStdString()) : json();
    return s;
}

} // namespace

// Runs one correction after another on its thread: find, check, write, read back.
class CorrectionWorker : public QObject
{
public:
    explicit CorrectionWorker(ServerSettings server, HttpRunner::Settings http)
        : m_client(new Client(std::move(server), http, this))
    {
        connect(m_client, &Client::finished, this, [this](quint64 job, const Reply &reply) {
            auto next = m_next.take(job);
            if (next)
                next(reply);
        });
    }

    void run(const CorrectionRequest &request, std::function<void(CorrectionResult)> done)
    {
        auto state = std::make_shared<Job>(Job{request, {}, std::move(done), {}, 0});
        if (request.documentKind == u"shipment")
            state->model = QStringLiteral("stock.shipment.out");
        else if (request.documentKind == u"receipt")
            state->model = QStringLiteral("stock.shipment.in");
        else
            return fail(state,
                        QStringLiteral("Tryton corrections apply to shipments and receipts, not to a %1")
                            .arg(request.documentKind));
        if (request.change == u"planned_date") {
            const QDate date = QDate::fromString(request.value, Qt::ISODate);
            if (!date.isValid())
                return fail(state, QStringLiteral("'%1' is not a date (yyyy-MM-dd)").arg(request.value));
            state->write = json{{"planned_date", dateValue(date)}};
        } else if (request.change != u"cancel") {
            return fail(state, QStringLiteral("Tryton corrections are planned_date or cancel, not '%1'")
                                   .arg(request.change));
        }
        call(state, QStringLiteral("model.%1.search_read").arg(state->model),
             json::array({json::array({json::array({"number", "=", request.documentKey.toStdString()})}), 0,
                          2, nullptr, json::array({"number", "state", "planned_date"})}),
             [this, state](const Reply &found) { onFound(state, found); });
    }

private:
    struct Job
    {
        CorrectionRequest request;
        QString model;
        std::function<void(CorrectionResult)> done;
        json write;
        qint64 id = 0;
        CorrectionResult result{};
    };
    using JobPtr = std::shared_ptr<Job>;

    void call(const JobPtr &, const QString &method, json params, std::function<void(const Reply &)> next)
    {
        const quint64 job = ++m_job;
        m_next.insert(job, std::move(next));
        m_client->call(job, method, std::move(params));
    }

    void fail(const JobPtr &job, const QString &error)
    {
        job->result.applied = false;
        job->result.error = error;
        job->done(job->result);
    }

    void onFound(const JobPtr &job, Reply found)
    {
        if (found.ok() && !found.result->is_array())
            found.shapeError(QStringLiteral("search_read should answer a list"));
        if (!found.ok())
            return fail(job, found.error);
        const CorrectionRequest &r = job->request;
        if (found.result->size() != 1)
            return fail(
                job, QStringLiteral("Tryton (%1) has %2 %3 numbered '%4'")
                         .arg(r.connection,
                              found.result->empty() ? QStringLiteral("no") : QStringLiteral("more than one"),
                              job->model, r.documentKey));
        const json &record = found.result->at(0);
        job->id = record.value("id", qint64(0));
        job->result.before = compact(snapshot(record));
        const QString state = QString::fromStdString(record.value("state", std::string()));
        const bool cancel = r.change == u"cancel";
        json params;
        if (cancel) {
            const bool cancellable =
                state == u"draft" || (state == u"waiting" && job->model == u"stock.shipment.out");
            if (!cancellable)
                return fail(job, QStringLiteral("%1 %2 is %3: only a draft (or waiting) one can be cancelled")
                                     .arg(r.documentKind, r.documentKey, state));
            params = json::array({json::array({job->id})});
        } else {
            if (state == u"done" || state == u"cancelled")
                return fail(job, QStringLiteral("%1 %2 is %3: its planned date can no longer move")
                                     .arg(r.documentKind, r.documentKey, state));
            params = json::array({json::array({job->id}), job->write});
        }
        const QString method =
            QStringLiteral("model.%1.%2")
                .arg(job->model, cancel ? QStringLiteral("cancel") : QStringLiteral("write"));
        job->result.request = QStringLiteral("%1 %2 %3").arg(r.connection, method, compact(params));
        call(job, method, params, [this, job](const Reply &written) { onWritten(job, written); });
    }

    void onWritten(const JobPtr &job, const Reply &written)
    {
        job->result.response = QString::fromUtf8(written.body.left(500));
        if (!written.ok())
            return fail(job, written.error);
        call(job, QStringLiteral("model.%1.read").arg(job->model),
             json::array({json::array({job->id}), json::array({"number", "state", "planned_date"})}),
             [this, job](const Reply &read) {
                 if (!read.ok() || !read.result->is_array() || read.result->size() != 1) {
                     // Applied, but not read back: say so rather than guess the after state.
                     job->result.applied = true;
                     job->result.after = QStringLiteral("(not read back: %1)").arg(read.error);
                     job->done(job->result);
                     return;
                 }
                 job->result.applied = true;
                 job->result.after = compact(snapshot(read.result->at(0)));
                 job->done(job->result);
             });
    }

    Client *m_client;
    quint64 m_job = 0;
    QHash<quint64, std::function<void(const Reply &)>> m_next;
};

CorrectionSender::CorrectionSender(QList<ConnectionProfile> profiles, HttpRunner::Settings http)
    : m_profiles(std::move(profiles)), m_http(http)
{}

CorrectionSender::~CorrectionSender()
{
    for (auto &[thread, worker] : m_workers) {
        thread->quit();
        thread->wait();
        delete thread;
    }
}

CorrectionWorker *CorrectionSender::workerFor(const QString &connection, QString &error)
{
    if (const auto it = m_workers.constFind(connection); it != m_workers.cend())
        return it->second;
    const auto profile =
        std::find_if(m_profiles.cbegin(), m_profiles.cend(), [&](const ConnectionProfile &p) {
            return p.name == connection && p.kind == ConnectionProfile::Kind::Tryton;
        });
    if (profile == m_profiles.cend()) {
        error = QStringLiteral("there is no tryton connection named '%1'").arg(connection);
        return nullptr;
    }
    auto *thread = new QThread;
    thread->setObjectName(QStringLiteral("sightline-connector-%1-corrections").arg(connection));
    auto *worker = new CorrectionWorker(serverSettingsOf(*profile), m_http);
    worker->moveToThread(thread);
    QObject::connect(thread, &QThread::finished, worker, &QObject::deleteLater);
    thread->start();
    m_workers.insert(connection, {thread, worker});
    return worker;
}

void CorrectionSender::send(const CorrectionRequest &request, QObject *context,
                            std::function<void(CorrectionResult)> done)
{
    // Answers go back to the caller's thread, once.
    auto reply = [context, done = std::move(done)](CorrectionResult result) {
        QMetaObject::invokeMethod(
            context, [done, result] { done(result); }, Qt::QueuedConnection);
    };
    QString error;
    CorrectionWorker *worker = workerFor(request.connection, error);
    if (!worker) {
        CorrectionResult failed;
        failed.error = error;
        reply(failed);
        return;
    }
    QMetaObject::invokeMethod(
        worker, [worker, request, reply] { worker->run(request, reply); }, Qt::QueuedConnection);
}

} // namespace sightline::tryton
