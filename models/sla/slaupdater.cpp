#include "models/sla/slaupdater.h"

#include "models/sla/slalog.h"
#include "models/sla/slareader.h"
#include "models/sla/slatables.h"
#include "models/store/store.h"

#include <QCryptographicHash>

namespace sightline {
namespace {

// Traces measured per write transaction during a recomputation.
constexpr int kChunkTraces = 4000;

IngestBatch writeBatch(StoreWrite write, std::optional<Checkpoint> checkpoint = std::nullopt)
{
    IngestBatch batch;
    batch.writes.push_back(std::move(write));
    batch.checkpoint = std::move(checkpoint);
    return batch;
}

Status wait(std::future<Result<IngestReport>> &future)
{
    if (!future.valid())
        return {};
    auto r = future.get();
    if (!r)
        return Error{QStringLiteral("cannot write SLA measurements: %1").arg(r.error())};
    return {};
}

} // namespace

SlaUpdater::SlaUpdater(Store &store, SlaReader &reader, SlaConfig config)
    : m_store(store), m_reader(reader), m_config(std::move(config))
{}

QString SlaUpdater::fingerprint() const
{
    return QString::fromLatin1(
        QCryptographicHash::hash(m_config.toJson(), QCryptographicHash::Sha1).toHex().left(16));
}

QString SlaUpdater::position(qint64 eventRowId) const
{
    return fingerprint() + u':' + QString::number(eventRowId);
}

Status SlaUpdater::sync(qint64 nowMs)
{
    auto saved = m_reader.checkpoint(QLatin1String(kCheckpoint));
    if (!saved)
        return Error{saved.error()};
    const QStringList parts = saved->value_or(QString()).split(u':');
    if (parts.size() != 2 || parts[0] != fingerprint()) {
        if (Status s = recomputeAll(nowMs); !s)
            return s;
    } else {
        auto traces = m_reader.tracesWithEventsAfter(parts[1].toLongLong());
        if (!traces)
            return Error{traces.error()};
        if (Status s = refresh(traces.value(), nowMs); !s)
            return s;
    }
    auto moved = tick(nowMs);
    return moved ? Status{} : Status{Error{moved.error()}};
}

Status SlaUpdater::refresh(const QSet<qint64> &traces, qint64 nowMs)
{
    // The watermark is read before the events: an event committed in between is measured again
    // by its own committed() or by the next sync(), never skipped.
    auto maxId = m_reader.maxEventId();
    if (!maxId)
        return Error{maxId.error()};
    QList<SlaMeasurement> measurements;
    for (qint64 trace : traces) {
        auto events = m_reader.traceEvents(trace);
        if (!events)
            return Error{events.error()};
        measurements += measureTrace(m_config, trace, events.value(), nowMs);
    }
    auto done = m_store.ingest(
        writeBatch([ms = std::move(measurements)](QSqlDatabase &db) { return slatables::write(db, ms); },
                   Checkpoint{QLatin1String(kCheckpoint), position(maxId.value())}));
    return wait(done);
}

Status SlaUpdater::recomputeAll(qint64 nowMs)
{
    auto maxId = m_reader.maxEventId();
    if (!maxId)
        return Error{maxId.error()};
    qCInfo(lcSla) << "measuring every trace with" << m_config.policies.size() << "policies";
    auto pending = m_store.ingest(writeBatch([](QSqlDatabase &db) { return slatables::clear(db); }));
    QList<SlaMeasurement> chunk;
    int traces = 0;
    Status failed;
    const auto flush = [&]() {
        if (Status s = wait(pending); !s) {
            failed = s;
            return false;
        }
        pending = m_store.ingest(writeBatch(
            [ms = std::exchange(chunk, {})](QSqlDatabase &db) { return slatables::write(db, ms); }));
        traces = 0;
        return true;
    };
    Status read = m_reader.forEachTrace([&](qint64 trace, QList<SlaEvent> events) {
        chunk += measureTrace(m_config, trace, std::move(events), nowMs);
        return ++traces < kChunkTraces || flush();
    });
    if (!read)
        return read;
    if (!failed)
        return failed;
    if (!chunk.isEmpty() && !flush())
        return failed;
    if (Status s = wait(pending); !s)
        return s;
    auto done = m_store.ingest(writeBatch([](QSqlDatabase &) { return Status{}; },
                                          Checkpoint{QLatin1String(kCheckpoint), position(maxId.value())}));
    return wait(done);
}

Result<int> SlaUpdater::tick(qint64 nowMs)
{
    auto moved = std::make_shared<int>(0);
    auto done = m_store.ingest(writeBatch([nowMs, moved](QSqlDatabase &db) -> Status {
        auto n = slatables::advanceClock(db, nowMs);
        if (!n)
            return Error{n.error()};
        *moved = n.value();
        return {};
    }));
    if (Status s = wait(done); !s)
        return Error{s.error()};
    return *moved;
}

} // namespace sightline
