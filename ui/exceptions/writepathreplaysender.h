#pragma once

#include "connectors/write/writeservice.h"
#include "models/actions/replay.h"

#include <QHash>
#include <QPointer>
#include <limits>

namespace sightline {

// Replays through the connectors' write path (WriteService): the connection's base URL,
// credentials and retry policy, the same Idempotency-Key on every retry. Header-only so that the
// console and the command line wire the same adapter; no widgets here.
class WritePathReplaySender : public ReplaySender
{
public:
    explicit WritePathReplaySender(WriteService *service) : m_service(service)
    {
        QObject::connect(service, &WriteService::finished, service,
                         [this](quint64 job, const WriteReply &reply) { answer(job, reply); });
    }

    void send(const ReplayAction &action, QObject *context, std::function<void(ReplayResponse)> done) override
    {
        const quint64 job = ++m_nextJob;
        m_pending.insert(job, Pending{QPointer<QObject>(context), std::move(done), {}});
        m_service->submit(job, WriteAction{action.connection, action.method, action.path, action.body,
                                           action.idempotencyKey});
    }

    // A GET through the same connection (its credentials and retries); the key header is harmless.
    void read(const ReplayAction &action, QObject *context,
              std::function<void(std::optional<QByteArray>)> done) override
    {
        const quint64 job = ++m_nextJob;
        m_pending.insert(job, Pending{QPointer<QObject>(context), {}, std::move(done)});
        m_service->submit(
            job,
            WriteAction{
                action.connection, QByteArrayLiteral("GET"), action.confirmPath, {}, action.idempotencyKey});
    }

    static ReplayResponse responseFrom(const WriteReply &reply)
    {
        ReplayResponse r;
        r.httpStatus = reply.ok() && reply.status == 0 ? 200 : reply.status;
        if (!reply.ok() && r.httpStatus >= 200 && r.httpStatus < 300)
            r.httpStatus = 0;
        r.body = reply.body;
        r.replayedByTarget = reply.replayed;
        r.error = reply.error;
        r.unavailable = reply.outcome == WriteReply::Outcome::Unavailable;
        return r;
    }

private:
    struct Pending
    {
        QPointer<QObject> context;
        std::function<void(ReplayResponse)> done;
        std::function<void(std::optional<QByteArray>)> read; // a read, not a send
    };

    void answer(quint64 job, const WriteReply &reply)
    {
        const auto it = m_pending.find(job);
        if (it == m_pending.end())
            return; // another user's job on the same service
        const Pending p = it.value();
        m_pending.erase(it);
        if (!p.context)
            return;
        if (p.read) {
            std::optional<QByteArray> body;
            if (reply.ok())
                body = reply.body;
            QMetaObject::invokeMethod(
                p.context, [read = p.read, body] { read(body); }, Qt::QueuedConnection);
            return;
        }
        QMetaObject::invokeMethod(
            p.context, [done = p.done, r = responseFrom(reply)] { done(r); }, Qt::QueuedConnection);
    }

    WriteService *m_service;
    QHash<quint64, Pending> m_pending;
    quint64 m_nextJob = quint64(1) << 48; // clear of job ids other callers use
};

// A WritePathReplaySender with its own WriteService, for a worker thread that sends on its own
// (the outbox, bulk jobs): make it on that thread.
class OwnWritePathSender : public ReplaySender
{
public:
    explicit OwnWritePathSender(QList<ConnectionProfile> profiles, HttpRunner::Settings settings = {})
        : m_service(std::move(profiles), settings), m_path(&m_service)
    {}
    void send(const ReplayAction &action, QObject *context, std::function<void(ReplayResponse)> done) override
    {
        m_path.send(action, context, std::move(done));
    }
    void read(const ReplayAction &action, QObject *context,
              std::function<void(std::optional<QByteArray>)> done) override
    {
        m_path.read(action, context, std::move(done));
    }

private:
    WriteService m_service;
    WritePathReplaySender m_path;
};

} // namespace sightline
