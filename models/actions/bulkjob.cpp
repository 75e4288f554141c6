#include "models/actions/bulkjob.h"

#include "models/exceptions/exceptionrepository.h"
#include "models/store/store.h"

#include <QDateTime>
#include <QEventLoop>
#include <QSqlError>
#include <QSqlQuery>
#include <memory>

namespace sightline {
namespace {

using JobAndItems = std::pair<BulkJob, QList<BulkItem>>;

Error sqlError(const QSqlQuery &q, const char *what)
{
    return Error{QStringLiteral("bulk job: %1: %2").arg(QLatin1String(what), q.lastError().text())};
}

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

Result<QByteArray> keptPayload(QSqlDatabase &db, qint64 eventRowId)
{
    QSqlQuery q(db);
    q.prepare(QStringLiteral("SELECT raw FROM events WHERE id = ?"));
    q.addBindValue(eventRowId);
    if (!q.exec())
        return sqlError(q, "reading a kept message");
    return q.next() ? q.value(0).toByteArray() : QByteArray();
}

// What a replay of this exception by who will do, before anything is sent.
Result<QString> previewOf(QSqlDatabase &db, const Identity &who, qint64 exceptionId)
{
    auto loaded = exceptiondb::load(db, exceptionId, false);
    if (!loaded)
        return Error{loaded.error()};
    if (!loaded->has_value())
        return QStringLiteral("refused: there is no exception %1").arg(exceptionId);
    const ExceptionItem item = *loaded.value();
    QString why;
    if (!ActionService::permits(who, ActionKind::Replay, item, &why))
        return QString(QStringLiteral("refused: ") + why);
    auto raw = keptPayload(db, item.eventRowId);
    if (!raw)
        return Error{raw.error()};
    auto call = replayActionFor(item, raw.value());
    if (!call)
        return QString(QStringLiteral("refused: ") + call.error());
    return QStringLiteral("%1 %2:%3 (%4 bytes)")
        .arg(QString::fromLatin1(call->method), call->connection, call->path)
        .arg(call->body.size());
}

QString csvField(QString s)
{
    if (s.contains(u',') || s.contains(u'"') || s.contains(u'\n')) {
        s.replace(QStringLiteral("\""), QStringLiteral("\"\""));
        return u'"' + s + u'"';
    }
    return s;
}

} // namespace

namespace bulkdb {

Result<qint64> create(QSqlDatabase &db, const BulkJob &job, const QList<BulkItem> &items)
{
    QSqlQuery q(db);
    q.prepare(QStringLiteral(
        "INSERT INTO bulk_jobs (action, actor, role, reason, selection, dry_run, rate_per_second, "
        "state, total, created_ms, updated_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    for (const QVariant &v :
         {QVariant(job.action), QVariant(job.actor), QVariant(job.role), QVariant(job.reason),
          QVariant(job.selection), QVariant(job.dryRun ? 1 : 0), QVariant(job.ratePerSecond),
          QVariant(job.state), QVariant(int(items.size())), QVariant(job.createdMs), QVariant(job.createdMs)})
        q.addBindValue(v);
    if (!q.exec())
        return sqlError(q, "creating a job");
    QSqlQuery id(db); // the single writer: the newest row is this one
    if (!id.exec(QStringLiteral("SELECT MAX(id) FROM bulk_jobs")) || !id.next())
        return sqlError(id, "reading a new job's id");
    const qint64 jobId = id.value(0).toLongLong();
    QSqlQuery item(db);
    item.prepare(
        QStringLiteral("INSERT INTO bulk_job_items (job_id, seq, exception_id, preview, idempotency_key, "
                       "state, http_status, message, updated_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    for (const BulkItem &i : items) {
        for (const QVariant &v : {QVariant(jobId), QVariant(i.seq), QVariant(i.exceptionId),
                                  QVariant(i.preview), QVariant(i.idempotencyKey), QVariant(i.state),
                                  QVariant(i.httpStatus), QVariant(i.message), QVariant(job.createdMs)})
            item.addBindValue(v);
        if (!item.exec())
            return sqlError(item, "adding an item");
    }
    return jobId;
}

namespace {
constexpr char kJobColumns[] =
    "id, action, actor, role, reason, selection, dry_run, rate_per_second, state, total, "
    "created_ms, updated_ms";
BulkJob jobFrom(const QSqlQuery &q)
{
    BulkJob j;
    j.id = q.value(0).toLongLong();
    j.action = q.value(1).toString();
    j.actor = q.value(2).toString();
    j.role = q.value(3).toString();
    j.reason = q.value(4).toString();
    j.selection = q.value(5).toString();
    j.dryRun = q.value(6).toInt() != 0;
    j.ratePerSecond = q.value(7).toInt();
    j.state = q.value(8).toString();
    j.total = q.value(9).toInt();
    j.createdMs = q.value(10).toLongLong();
    j.updatedMs = q.value(11).toLongLong();
    return j;
}
} // namespace

Result<std::optional<BulkJob>> load(QSqlDatabase &db, qint64 jobId)
{
    QSqlQuery q(db);
    q.prepare(QStringLiteral("SELECT %1 FROM bulk_jobs WHERE id = ?").arg(QLatin1String(kJobColumns)));
    q.addBindValue(jobId);
    if (!q.exec())
        return sqlError(q, "reading a job");
    if (!q.next())
        return std::optional<BulkJob>();
    return std::optional<BulkJob>(jobFrom(q));
}

Result<std::optional<BulkJob>> latestUnfinished(QSqlDatabase &db)
{
    QSqlQuery q(db);
    if (!q.exec(QStringLiteral(
                    "SELECT %1 FROM bulk_jobs WHERE state IN ('ready', 'running') ORDER BY id DESC LIMIT 1")
                    .arg(QLatin1String(kJobColumns))))
        return sqlError(q, "reading the latest job");
    if (!q.next())
        return std::optional<BulkJob>();
    return std::optional<BulkJob>(jobFrom(q));
}

Result<QList<BulkItem>> items(QSqlDatabase &db, qint64 jobId)
{
    QSqlQuery q(db);
    q.setForwardOnly(true);
    q.prepare(
        QStringLiteral("SELECT seq, exception_id, preview, idempotency_key, state, http_status, message "
                       "FROM bulk_job_items WHERE job_id = ? ORDER BY seq"));
    q.addBindValue(jobId);
    if (!q.exec())
        return sqlError(q, "reading items");
    QList<BulkItem> out;
    while (q.next()) {
        BulkItem i;
        i.seq = q.value(0).toInt();
        i.exceptionId = q.value(1).toLongLong();
        i.preview = q.value(2).toString();
        i.idempotencyKey = q.value(3).toString();
        i.state = q.value(4).toString();
        i.httpStatus = q.value(5).toInt();
        i.message = q.value(6).toString();
        out.append(i);
    }
    return out;
}

Status updateItem(QSqlDatabase &db, qint64 jobId, const BulkItem &i, qint64 atMs)
{
    QSqlQuery q(db);
    q.prepare(QStringLiteral(
        "UPDATE bulk_job_items SET idempotency_key = ?, state = ?, http_status = ?, message = ?, "
        "updated_ms = ? WHERE job_id = ? AND seq = ?"));
    for (const QVariant &v : {QVariant(i.idempotencyKey), QVariant(i.state), QVariant(i.httpStatus),
                              QVariant(i.message), QVariant(atMs), QVariant(jobId), QVariant(i.seq)})
        q.addBindValue(v);
    if (!q.exec())
        return sqlError(q, "recording an item");
    return {};
}

Status setState(QSqlDatabase &db, qint64 jobId, const QString &state, qint64 atMs)
{
    QSqlQuery q(db);
    q.prepare(QStringLiteral("UPDATE bulk_jobs SET state = ?, updated_ms = ? WHERE id = ?"));
    q.addBindValue(state);
    q.addBindValue(atMs);
    q.addBindValue(jobId);
    if (!q.exec())
        return sqlError(q, "recording the job's state");
    return {};
}

} // namespace bulkdb

QByteArray bulkResultsCsv(const BulkJob &job, const QList<BulkItem> &items)
{
    QString out = QStringLiteral("job,seq,exception,state,http_status,idempotency_key,message,preview\n");
    for (const BulkItem &i : items)
        out += QStringList{QString::number(job.id),
                           QString::number(i.seq),
                           QString::number(i.exceptionId),
                           i.state,
                           i.httpStatus ? QString::number(i.httpStatus) : QString(),
                           i.idempotencyKey,
                           csvField(i.message),
                           csvField(i.preview)}
                   .join(u',') +
               u'\n';
    return out.toUtf8();
}

BulkJobRunner::BulkJobRunner(Store *store, ActionService *service) : m_store(store), m_service(service)
{
    m_pace.setSingleShot(true);
    connect(&m_pace, &QTimer::timeout, this, &BulkJobRunner::next);
    m_clock.start();
}

BulkJobRunner::~BulkJobRunner() = default;

void BulkJobRunner::create(BulkJob job, const QList<qint64> &exceptionIds,
                           std::function<void(Result<JobAndItems>)> done)
{
    const Identity who = m_service->identity();
    job.actor = who.user;
    job.role = roleName(who.role);
    job.createdMs = nowMs();
    job.total = int(exceptionIds.size());
    auto made = std::make_shared<Result<JobAndItems>>(Error{QString()});
    IngestBatch batch;
    batch.writes.push_back([made, job, who, exceptionIds](QSqlDatabase &db) -> Status {
        if (!roleMay(who.role, Permission::Bulk)) {
            *made =
                Error{QStringLiteral("%1 (%2) may not run bulk actions").arg(who.user, roleLabel(who.role))};
            return {};
        }
        QList<BulkItem> items;
        for (qint64 id : exceptionIds) {
            auto preview = previewOf(db, who, id);
            if (!preview)
                return Error{preview.error()};
            BulkItem i;
            i.seq = int(items.size()) + 1;
            i.exceptionId = id;
            i.preview = preview.value();
            items.append(i);
        }
        auto id = bulkdb::create(db, job, items);
        if (!id)
            return Error{id.error()};
        BulkJob created = job;
        created.id = id.value();
        *made = JobAndItems{created, items};
        return {};
    });
    m_store->ingest(std::move(batch), this, [made, done](Result<IngestReport> r) {
        if (!r)
            done(Error{QStringLiteral("the bulk job could not be created: %1").arg(r.error())});
        else
            done(*made);
    });
}

void BulkJobRunner::load(qint64 jobId, std::function<void(Result<JobAndItems>)> done)
{
    auto loaded = std::make_shared<Result<JobAndItems>>(Error{QString()});
    IngestBatch batch; // read through the writer: no connection of our own on this thread
    batch.writes.push_back([loaded, jobId](QSqlDatabase &db) -> Status {
        auto job = bulkdb::load(db, jobId);
        if (!job)
            return Error{job.error()};
        if (!job->has_value()) {
            *loaded = Error{QStringLiteral("there is no bulk job %1").arg(jobId)};
            return {};
        }
        auto items = bulkdb::items(db, jobId);
        if (!items)
            return Error{items.error()};
        *loaded = JobAndItems{*job.value(), items.value()};
        return {};
    });
    m_store->ingest(std::move(batch), this, [loaded, done](Result<IngestReport> r) {
        if (!r)
            done(Error{r.error()});
        else
            done(*loaded);
    });
}

void BulkJobRunner::run(qint64 jobId)
{
    if (m_jobId) {
        Q_EMIT jobFailed(jobId, QStringLiteral("another bulk job is running"));
        return;
    }
    m_jobId = jobId;
    m_cancel = false;
    load(jobId, [this, jobId](Result<JobAndItems> r) {
        if (!r) {
            m_jobId = 0;
            Q_EMIT jobFailed(jobId, r.error());
            return;
        }
        m_job = r->first;
        m_queue.clear();
        m_finished = 0;
        for (BulkItem i : r->second) {
            if (i.finished()) {
                ++m_finished;
                continue;
            }
            i.resumed = i.state == u"sending";
            m_queue.append(i);
        }
        Q_EMIT progress(m_jobId, m_finished, m_job.total);
        IngestBatch batch;
        batch.writes.push_back([jobId](QSqlDatabase &db) {
            return bulkdb::setState(db, jobId, QStringLiteral("running"), nowMs());
        });
        m_store->ingest(std::move(batch), this, [this](Result<IngestReport>) { next(); });
    });
}

void BulkJobRunner::cancel()
{
    m_cancel = true;
}

void BulkJobRunner::next()
{
    if (!m_jobId)
        return;
    if (m_cancel) {
        finish(QStringLiteral("cancelled"));
        return;
    }
    if (m_queue.isEmpty()) {
        finish(QStringLiteral("done"));
        return;
    }
    if (m_job.ratePerSecond > 0 && m_lastStartMs >= 0) {
        const qint64 due = m_lastStartMs + 1000 / m_job.ratePerSecond;
        if (m_clock.elapsed() < due) {
            m_pace.start(int(due - m_clock.elapsed()));
            return;
        }
    }
    m_lastStartMs = m_clock.elapsed();
    BulkItem item = m_queue.takeFirst();
    if (m_job.dryRun || item.preview.startsWith(QStringLiteral("refused"))) {
        send(item); // nothing goes out: no "sending" state needed
        return;
    }
    // Written before the call: a crash from here on resumes this item with the same key.
    item.state = QStringLiteral("sending");
    record(item, [this, item] { send(item); });
}

void BulkJobRunner::send(BulkItem item)
{
    ActionRequest request{ActionKind::Replay, item.exceptionId};
    request.reason = m_job.reason;
    request.dryRun = m_job.dryRun;
    request.resumeInFlight = item.resumed;
    m_service->perform(request, [this, item](Result<ActionOutcome> r) mutable {
        if (!r) {
            item.state = QStringLiteral("failed");
            item.message = r.error();
        } else {
            const ActionOutcome &o = r.value();
            if (o.replay)
                item.idempotencyKey = o.replay->idempotencyKey;
            if (o.response)
                item.httpStatus = o.response->httpStatus;
            item.message = o.message;
            if (m_job.dryRun)
                item.state = o.done ? QStringLiteral("dry_run") : QStringLiteral("refused");
            else if (o.queued)
                item.state = QStringLiteral("queued");
            else if (o.done)
                item.state = QStringLiteral("sent");
            else
                item.state = o.response ? QStringLiteral("failed") : QStringLiteral("refused");
        }
        // Written after the answer: this item is never sent again.
        record(item, [this, item] {
            ++m_finished;
            Q_EMIT itemFinished(m_jobId, item);
            Q_EMIT progress(m_jobId, m_finished, m_job.total);
            next();
        });
    });
}

void BulkJobRunner::record(BulkItem item, std::function<void()> then)
{
    IngestBatch batch;
    batch.writes.push_back(
        [jobId = m_jobId, item](QSqlDatabase &db) { return bulkdb::updateItem(db, jobId, item, nowMs()); });
    m_store->ingest(std::move(batch), this, [this, then](Result<IngestReport> r) {
        if (!r) {
            const qint64 job = m_jobId;
            m_jobId = 0;
            Q_EMIT jobFailed(job,
                             QStringLiteral("bulk job: an item could not be recorded: %1").arg(r.error()));
            return;
        }
        then();
    });
}

void BulkJobRunner::finish(const QString &state)
{
    const qint64 jobId = m_jobId;
    IngestBatch batch;
    batch.writes.push_back(
        [jobId, state](QSqlDatabase &db) { return bulkdb::setState(db, jobId, state, nowMs()); });
    m_store->ingest(std::move(batch), this, [this, jobId, state](Result<IngestReport> r) {
        m_jobId = 0;
        if (!r)
            Q_EMIT jobFailed(jobId, r.error());
        else
            Q_EMIT jobFinished(jobId, state);
    });
}

Result<BulkJob> BulkJobRunner::runAndWait(qint64 jobId)
{
    QEventLoop loop;
    QString failure;
    QString finalState;
    const auto a = connect(this, &BulkJobRunner::jobFinished, &loop, [&](qint64, const QString &state) {
        finalState = state;
        loop.quit();
    });
    const auto b = connect(this, &BulkJobRunner::jobFailed, &loop, [&](qint64, const QString &m) {
        failure = m;
        loop.quit();
    });
    run(jobId);
    loop.exec();
    disconnect(a);
    disconnect(b);
    if (!failure.isEmpty())
        return Error{failure};
    BulkJob j = m_job;
    j.state = finalState;
    return j;
}

void BulkResultModel::setItems(const QList<BulkItem> &items)
{
    beginResetModel();
    m_items = items;
    m_rowOfSeq.clear();
    for (int r = 0; r < m_items.size(); ++r)
        m_rowOfSeq.insert(m_items.at(r).seq, r);
    endResetModel();
}

void BulkResultModel::updateItem(const BulkItem &item)
{
    const auto it = m_rowOfSeq.constFind(item.seq);
    if (it == m_rowOfSeq.cend())
        return;
    m_items[*it] = item;
    Q_EMIT dataChanged(index(*it, 0), index(*it, ColumnCount - 1));
}

int BulkResultModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_items.size());
}

int BulkResultModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant BulkResultModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_items.size() ||
        (role != Qt::DisplayRole && role != Qt::ToolTipRole))
        return {};
    const BulkItem &i = m_items.at(index.row());
    switch (index.column()) {
    case Seq:
        return i.seq;
    case Exception:
        return i.exceptionId;
    case State:
        return i.state;
    case Status:
        return i.httpStatus ? QVariant(i.httpStatus) : QVariant();
    case Message:
        return i.message;
    case Preview:
        return i.preview;
    default:
        return {};
    }
}

QVariant BulkResultModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Seq:
        return tr("#");
    case Exception:
        return tr("Exception");
    case State:
        return tr("Result");
    case Status:
        return tr("HTTP");
    case Message:
        return tr("Message");
    case Preview:
        return tr("What it does");
    default:
        return {};
    }
}

} // namespace sightline
