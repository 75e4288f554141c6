#pragma once

#include <QByteArray>
#include <QMap>
#include <QtGlobal>

namespace sightline {

// Latencies counted in logarithmic bins (10 % wide, from one second): small enough to keep one per
// dashboard bucket, precise enough for p50/p90/p95 within a few per cent.
class LatencyHistogram
{
public:
    static int binOf(qint64 ms);
    // The middle (geometric) of a bin, in ms.
    static qint64 binValue(int bin);

    void add(qint64 ms, int count = 1) { addBin(binOf(ms), count); }
    void addBin(int bin, int count);
    void merge(const LatencyHistogram &other);
    qint64 total() const { return m_total; }
    bool isEmpty() const { return m_total == 0; }
    // The nearest-rank percentile (0 < p <= 100) as its bin's value; 0 when empty.
    qint64 percentile(double p) const;

    QByteArray encode() const; // (bin, count) pairs, little endian
    static LatencyHistogram decode(const QByteArray &bytes);

private:
    QMap<int, qint64> m_bins;
    qint64 m_total = 0;
};

// The nearest-rank percentile of sorted values (0 when empty).
qint64 exactPercentile(const QList<qint64> &sorted, double p);

} // namespace sightline
