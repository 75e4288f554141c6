#include "models/actions/outbox.h"

#include "models/exceptions/exceptionrepository.h"
#include "models/store/connection.h"
#include "models/store/store.h"

#include <QDateTime>
#include <QLoggingCategory>
#include <QSqlError>
#include <QSqlQuery>
#include <algorithm>

Q_LOGGING_CATEGORY(lcOutbox, "sightline.actions", QtInfoMsg)

namespace sightline {
namespace {

constexpr char kColumns[] =
    "id, exception_id, action, actor, role, connection, method, path, body, "
    "idempotency_key, state, attempts, last_error, created_ms, updated_ms, next_attempt_ms";

OutboxEntry entryFrom(const QSqlQuery &q)
{
    OutboxEntry e;
    e.id = q.value(0).toLongLong();
    e.exceptionId = q.value(1).toLongLong();
    e.action = q.value(2).toString();
    e.actor = q.value(3).toString();
    e.role = q.value(4).toString();
    e.call.exceptionId = e.exceptionId;
    e.call.connection = q.value(5).toString();
    e.call.method = q.value(6).toString().toLatin1();
    e.call.path = q.value(7).toString();
    e.call.body = q.value(8).toByteArray();
    e.call.idempotencyKey = q.value(9).toString();
    e.state = q.value(10).toString();
    e.attempts = q.value(11).toInt();
    e.lastError = q.value(12).toString();
    e.createdMs = q.value(13).toLongLong();
    e.updatedMs = q.value(14).toLongLong();
    e.nextAttemptMs = q.value(15).toLongLong();
    return e;
}

Error sqlError(const QSqlQuery &q, const char *what)
{
    return Error{QStringLiteral("outbox: %1: %2").arg(QLatin1String(what), q.lastError().text())};
}

QString responseSummary(const ReplayResponse &r)
{
    if (r.httpStatus == 0)
        return QStringLiteral("no answer: %1").arg(r.error);
    QString text = QStringLiteral("HTTP ") + QString::number(r.httpStatus);
    if (r.replayedByTarget)
        text += QStringLiteral(" (Idempotent-Replayed)");
    return text + u' ' + QString::fromUtf8(r.body.left(2000));
}

// The entry's outcome on its exception: the attempt no longer in flight, history and audit.
Status recordOnException(QSqlDatabase &db, const OutboxEntry &e, const QString &result,
                         const QString &response, qint64 at)
{
    auto loaded = exceptiondb::load(db, e.exceptionId, false);
    if (!loaded)
        return Error{loaded.error()};
    if (!loaded->has_value())
        return {};
    const ExceptionItem before = *loaded.value();
    ExceptionItem after = before;
    if (after.replayKey == e.call.idempotencyKey) {
        after.replayKey.clear();
        after.replayStartedMs = 0;
    }
    after.updatedMs = at;
    exceptiondb::Change ch;
    ch.actor = {e.actor, e.role};
    ch.action = e.action + QStringLiteral("_from_outbox");
    ch.atMs = at;
    ch.request = QStringLiteral("%1 %2 (Idempotency-Key %3, %4 bytes; attempt %5 from the outbox)")
                     .arg(QString::fromLatin1(e.call.method), QString(e.call.connection + u':' + e.call.path),
                          e.call.idempotencyKey)
                     .arg(e.call.body.size())
                     .arg(e.attempts);
    ch.response = response;
    ch.result = result;
    ch.historyDetail = QStringLiteral("%1 from the outbox: %2").arg(e.action, result);
    return exceptiondb::record(db, before, after, ch);
}

} // namespace

namespace outboxdb {

Status enqueue(QSqlDatabase &db, const OutboxEntry &e)
{
    QSqlQuery q(db);
    q.prepare(QStringLiteral(
        "INSERT INTO action_outbox (exception_id, action, actor, role, connection, method, path, "
        "body, idempotency_key, state, attempts, last_error, created_ms, updated_ms, "
        "next_attempt_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (idempotency_key) DO NOTHING"));
    q.addBindValue(e.exceptionId);
    q.addBindValue(e.action);
    q.addBindValue(e.actor);
    q.addBindValue(e.role);
    q.addBindValue(e.call.connection);
    q.addBindValue(QString::fromLatin1(e.call.method));
    q.addBindValue(e.call.path);
    q.addBindValue(e.call.body);
    q.addBindValue(e.call.idempotencyKey);
    q.addBindValue(e.state);
    q.addBindValue(e.attempts);
    q.addBindValue(e.lastError);
    q.addBindValue(e.createdMs);
    q.addBindValue(e.updatedMs);
    q.addBindValue(e.nextAttemptMs);
    if (!q.exec())
        return sqlError(q, "queueing an action");
    return {};
}

Result<QList<OutboxEntry>> due(QSqlDatabase &db, qint64 nowMs, int limit, const QString &connectionBack)
{
    QSqlQuery q(db);
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT %1 FROM action_outbox WHERE state = 'pending' AND (next_attempt_ms <= ? "
                             "OR connection = ?) ORDER BY id LIMIT ?")
                  .arg(QLatin1String(kColumns)));
    q.addBindValue(nowMs);
    q.addBindValue(connectionBack.isEmpty() ? QVariant(QMetaType(QMetaType::QString))
                                            : QVariant(connectionBack));
    q.addBindValue(limit);
    if (!q.exec())
        return sqlError(q, "reading what is due");
    QList<OutboxEntry> out;
    while (q.next())
        out.append(entryFrom(q));
    return out;
}

Result<int> pendingCount(QSqlDatabase &db)
{
    QSqlQuery q(db);
    if (!q.exec(QStringLiteral("SELECT COUNT(*) FROM action_outbox WHERE state = 'pending'")) || !q.next())
        return sqlError(q, "counting");
    return q.value(0).toInt();
}

Result<bool> hasPending(QSqlDatabase &db, qint64 exceptionId)
{
    QSqlQuery q(db);
    q.prepare(
        QStringLiteral("SELECT COUNT(*) FROM action_outbox WHERE state = 'pending' AND exception_id = ?"));
    q.addBindValue(exceptionId);
    if (!q.exec() || !q.next())
        return sqlError(q, "looking for a waiting action");
    return q.value(0).toInt() > 0;
}

Status updateAfterAttempt(QSqlDatabase &db, const OutboxEntry &e)
{
    QSqlQuery q(db);
    q.prepare(
        QStringLiteral("UPDATE action_outbox SET state = ?, attempts = ?, last_error = ?, updated_ms = ?, "
                       "next_attempt_ms = ? WHERE id = ?"));
    q.addBindValue(e.state);
    q.addBindValue(e.attempts);
    q.addBindValue(e.lastError);
    q.addBindValue(e.updatedMs);
    q.addBindValue(e.nextAttemptMs);
    q.addBindValue(e.id);
    if (!q.exec())
        return sqlError(q, "recording an attempt");
    return {};
}

} // namespace outboxdb

ActionOutbox::ActionOutbox(Store *store, QString storePath, SenderFactory makeSender,
                           std::chrono::milliseconds interval, Clock clock)
    : m_store(store), m_path(std::move(storePath)), m_makeSender(std::move(makeSender)), m_interval(interval),
      m_clock(std::move(clock))
{}

ActionOutbox::~ActionOutbox()
{
    m_sender.reset();
    if (!m_connectionName.isEmpty())
        closeConnection(m_connectionName);
}

qint64 ActionOutbox::now() const
{
    return m_clock ? m_clock() : QDateTime::currentMSecsSinceEpoch();
}

void ActionOutbox::start()
{
    if (!m_sender && m_makeSender)
        m_sender = m_makeSender();
    if (!m_timer) {
        m_timer = new QTimer(this);
        m_timer->setInterval(m_interval);
        connect(m_timer, &QTimer::timeout, this, &ActionOutbox::drainNow);
    }
    m_timer->start();
    drainNow();
}

bool ActionOutbox::openReader()
{
    if (!m_connectionName.isEmpty())
        return true;
    const QString name = uniqueConnectionName(u"outbox");
    auto db = openReadConnection(m_path, name);
    if (!db) {
        Q_EMIT outboxFailed(QStringLiteral("outbox: %1").arg(db.error()));
        return false;
    }
    m_connectionName = name;
    return true;
}

void ActionOutbox::drainNow()
{
    if (m_draining) {
        m_again = true;
        return;
    }
    if (!m_sender || !openReader())
        return;
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    QList<OutboxEntry> batch;
    for (const QString &back : m_back.isEmpty() ? QStringList{QString()} : m_back) {
        auto due = outboxdb::due(db, now(), 50, back);
        if (!due) {
            Q_EMIT outboxFailed(due.error());
            return;
        }
        for (const OutboxEntry &e : due.value()) {
            if (std::none_of(batch.cbegin(), batch.cend(),
                             [&e](const OutboxEntry &b) { return b.id == e.id; }))
                batch.append(e);
        }
    }
    m_back.clear();
    if (auto pending = outboxdb::pendingCount(db))
        Q_EMIT pendingChanged(pending.value());
    m_batch = batch;
    if (m_batch.isEmpty())
        return;
    m_draining = true;
    sendNext();
}

void ActionOutbox::connectionBack(const QString &connection)
{
    if (!m_back.contains(connection))
        m_back.append(connection);
    drainNow();
}

void ActionOutbox::sendNext()
{
    if (m_batch.isEmpty()) {
        done();
        return;
    }
    OutboxEntry entry = m_batch.takeFirst();
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    // Re-validated before it is sent: an exception closed meanwhile needs nothing more.
    auto item = exceptiondb::load(db, entry.exceptionId, false);
    if (item && !item->has_value()) {
        recordCancel(entry, QStringLiteral("exception %1 no longer exists").arg(entry.exceptionId));
        return;
    }
    if (item && !isOpen(item.value()->status)) {
        recordCancel(entry, QStringLiteral("exception %1 is %2")
                                .arg(entry.exceptionId)
                                .arg(exceptionStatusName(item.value()->status)));
        return;
    }
    qCInfo(lcOutbox) << "outbox: sending" << entry.action << "of exception" << entry.exceptionId << "attempt"
                     << entry.attempts + 1;
    m_sender->send(entry.call, this, [this, entry](ReplayResponse response) { finish(entry, response); });
}

void ActionOutbox::finish(OutboxEntry entry, const ReplayResponse &response)
{
    const qint64 at = now();
    ++entry.attempts;
    entry.updatedMs = at;
    entry.lastError = response.succeeded() ? QString() : responseSummary(response).left(500);
    if (response.unavailable) {
        const qint64 wait =
            qMin<qint64>(m_interval.count() << qMin(entry.attempts, 6), 10LL * 60 * 1000); // capped
        entry.nextAttemptMs = at + wait;
    } else {
        entry.state = response.succeeded() ? QStringLiteral("sent") : QStringLiteral("rejected");
    }
    IngestBatch batch;
    batch.writes.push_back([entry, response, at](QSqlDatabase &db) -> Status {
        if (Status s = outboxdb::updateAfterAttempt(db, entry); !s)
            return s;
        if (entry.state == u"pending")
            return {};
        const QString result = response.succeeded()
                                   ? (response.replayedByTarget ? QStringLiteral("applied before (same key)")
                                                                : QStringLiteral("applied"))
                                   : QStringLiteral("failed");
        return recordOnException(db, entry, result, responseSummary(response), at);
    });
    m_store->ingest(std::move(batch), this, [this, entry](Result<IngestReport> r) {
        if (!r) {
            Q_EMIT outboxFailed(
                QStringLiteral("outbox: the answer could not be recorded: %1").arg(r.error()));
            m_batch.clear();
            done();
            return;
        }
        if (entry.state != u"pending")
            Q_EMIT entryFinished(entry.exceptionId, entry.call.idempotencyKey, entry.state);
        else
            m_batch.clear(); // the target is still down: the rest waits for the next look
        sendNext();
    });
}

void ActionOutbox::recordCancel(OutboxEntry entry, const QString &why)
{
    const qint64 at = now();
    entry.state = QStringLiteral("cancelled");
    entry.lastError = why;
    entry.updatedMs = at;
    IngestBatch batch;
    batch.writes.push_back([entry, why, at](QSqlDatabase &db) -> Status {
        if (Status s = outboxdb::updateAfterAttempt(db, entry); !s)
            return s;
        return recordOnException(db, entry, QStringLiteral("cancelled: ") + why, QString(), at);
    });
    m_store->ingest(std::move(batch), this, [this, entry](Result<IngestReport> r) {
        if (!r)
            Q_EMIT outboxFailed(r.error());
        else
            Q_EMIT entryFinished(entry.exceptionId, entry.call.idempotencyKey, entry.state);
        sendNext();
    });
}

void ActionOutbox::done()
{
    m_draining = false;
    if (m_connectionName.isEmpty())
        return;
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    if (auto pending = outboxdb::pendingCount(db))
        Q_EMIT pendingChanged(pending.value());
    if (m_again) {
        m_again = false;
        QMetaObject::invokeMethod(this, &ActionOutbox::drainNow, Qt::QueuedConnection);
    }
}

ActionOutboxThread::ActionOutboxThread(Store *store, const QString &storePath,
                                       ActionOutbox::SenderFactory makeSender,
                                       std::chrono::milliseconds interval)
{
    m_thread.setObjectName(QStringLiteral("sightline-outbox"));
    m_outbox = new ActionOutbox(store, storePath, std::move(makeSender), interval);
    m_outbox->moveToThread(&m_thread);
    QObject::connect(&m_thread, &QThread::finished, m_outbox, &QObject::deleteLater);
    m_thread.start();
    QMetaObject::invokeMethod(m_outbox, &ActionOutbox::start, Qt::QueuedConnection);
}

ActionOutboxThread::~ActionOutboxThread()
{
    m_thread.quit();
    m_thread.wait();
}

void ActionOutboxThread::drainNow()
{
    QMetaObject::invokeMethod(m_outbox, &ActionOutbox::drainNow, Qt::QueuedConnection);
}

void ActionOutboxThread::connectionBack(const QString &connection)
{
    QMetaObject::invokeMethod(
        m_outbox, [outbox = m_outbox, connection] { outbox->connectionBack(connection); },
        Qt::QueuedConnection);
}

} // namespace sightline
