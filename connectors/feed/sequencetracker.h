#pragma once

#include <QtGlobal>
#include <set>

namespace sightline {

// Tracks which sequence numbers of a feed have been received, so that the checkpoint committed
// with a batch is the highest number below which nothing is missing. Events that arrive ahead
// of a gap are stored at once, but the checkpoint waits for the gap: a restart re-reads from
// the checkpoint and the store drops what it already has.
class SequenceTracker
{
public:
    explicit SequenceTracker(qint64 committed = 0) : m_contiguous(committed) {}

    enum class Arrival { New, Repeat };
    Arrival receive(qint64 sequence);

    // A message that could not be read (it is quarantined) still used a sequence number that
    // nobody can tell: count it. settleGaps(), called once a gap has outlived the feed's reorder
    // window, lets the checkpoint pass one gap slot for each.
    void receiveUnreadable() { ++m_unreadable; }
    void settleGaps();

    qint64 contiguous() const { return m_contiguous; }
    qint64 highest() const { return m_ahead.empty() ? m_contiguous : *m_ahead.rbegin(); }
    bool hasGap() const { return !m_ahead.empty(); }

    // After a reconnect the feed resends everything after contiguous(): forget what was ahead.
    void restartFromContiguous();

private:
    void advance(bool useUnreadable = false);

    qint64 m_contiguous;
    std::set<qint64> m_ahead;
    int m_unreadable = 0;
};

} // namespace sightline
