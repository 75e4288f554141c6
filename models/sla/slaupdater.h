#pragma once

#include "models/result.h"
#include "models/sla/policy.h"

#include <QSet>

namespace sightline {

class SlaReader;
class Store;

// Keeps the SLA tables in step with the store, synchronously: the SlaEngine runs it on its own
// thread, the CLI directly. Every write goes to the store's writer as IngestBatch::writes, with a
// checkpoint ("sla": the policies' fingerprint and the last event row measured) in the same
// transaction, so a store written while no engine ran is caught up by sync().
class SlaUpdater
{
public:
    SlaUpdater(Store &store, SlaReader &reader, SlaConfig config);

    const SlaConfig &config() const { return m_config; }
    // Replaces the policies; the next sync() recomputes everything.
    void setConfig(SlaConfig config) { m_config = std::move(config); }

    // Recomputes everything when the policies changed since the last run, else measures the
    // traces of events stored since; then advances open items to nowMs.
    Status sync(qint64 nowMs);
    // Re-measures these traces (after the store committed events touching them).
    Status refresh(const QSet<qint64> &traces, qint64 nowMs);
    // Forgets every measurement and measures every trace again.
    Status recomputeAll(qint64 nowMs);
    // Open items past their at-risk or due time become at_risk or breached; returns how many.
    Result<int> tick(qint64 nowMs);

    static constexpr const char *kCheckpoint = "sla";

private:
    QString fingerprint() const;
    QString position(qint64 eventRowId) const;

    Store &m_store;
    SlaReader &m_reader;
    SlaConfig m_config;
};

} // namespace sightline
