#include "connectors/feed/sequencetracker.h"

namespace sightline {

SequenceTracker::Arrival SequenceTracker::receive(qint64 sequence)
{
    if (sequence <= m_contiguous || !m_ahead.insert(sequence).second)
        return Arrival::Repeat;
    advance();
    return Arrival::New;
}

void SequenceTracker::settleGaps()
{
    advance(true);
}

void SequenceTracker::advance(bool useUnreadable)
{
    for (;;) {
        if (!m_ahead.empty() && *m_ahead.begin() == m_contiguous + 1) {
            m_ahead.erase(m_ahead.begin());
            ++m_contiguous;
        } else if (useUnreadable && !m_ahead.empty() && m_unreadable > 0) {
            --m_unreadable; // the gap slot belonged to the unreadable message
            ++m_contiguous;
        } else {
            return;
        }
    }
}

void SequenceTracker::restartFromContiguous()
{
    m_ahead.clear();
    m_unreadable = 0;
}

} // namespace sightline
