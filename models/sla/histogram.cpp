#include "models/sla/histogram.h"

#include <QList>
#include <QtEndian>
#include <cmath>

namespace sightline {
namespace {
constexpr double kRatio = 1.1;
constexpr int kMaxBin = 250;
} // namespace

int LatencyHistogram::binOf(qint64 ms)
{
    if (ms < 1000)
        return 0;
    const int bin =
        1 + static_cast<int>(std::floor(std::log(static_cast<double>(ms) / 1000.0) / std::log(kRatio)));
    return std::min(bin, kMaxBin);
}

qint64 LatencyHistogram::binValue(int bin)
{
    if (bin <= 0)
        return 500;
    return qRound64(1000.0 * std::pow(kRatio, bin - 0.5));
}

void LatencyHistogram::addBin(int bin, int count)
{
    qint64 &n = m_bins[bin];
    n += count;
    m_total += count;
    if (n == 0)
        m_bins.remove(bin);
}

void LatencyHistogram::merge(const LatencyHistogram &other)
{
    for (auto it = other.m_bins.cbegin(); it != other.m_bins.cend(); ++it)
        addBin(it.key(), static_cast<int>(it.value()));
}

qint64 LatencyHistogram::percentile(double p) const
{
    if (m_total <= 0)
        return 0;
    const qint64 rank =
        std::max<qint64>(1, static_cast<qint64>(std::ceil(p / 100.0 * static_cast<double>(m_total))));
    qint64 seen = 0;
    for (auto it = m_bins.cbegin(); it != m_bins.cend(); ++it) {
        seen += it.value();
        if (seen >= rank)
            return binValue(it.key());
    }
    return binValue(m_bins.lastKey());
}

QByteArray LatencyHistogram::encode() const
{
    QByteArray out;
    out.reserve(static_cast<qsizetype>(m_bins.size()) * 5);
    for (auto it = m_bins.cbegin(); it != m_bins.cend(); ++it) {
        out.append(static_cast<char>(it.key()));
        char count[4];
        qToLittleEndian<qint32>(static_cast<qint32>(it.value()), count);
        out.append(count, 4);
    }
    return out;
}

LatencyHistogram LatencyHistogram::decode(const QByteArray &bytes)
{
    LatencyHistogram h;
    for (qsizetype i = 0; i + 5 <= bytes.size(); i += 5) {
        const int bin = static_cast<unsigned char>(bytes[i]);
        h.addBin(bin, qFromLittleEndian<qint32>(bytes.constData() + i + 1));
    }
    return h;
}

qint64 exactPercentile(const QList<qint64> &sorted, double p)
{
    if (sorted.isEmpty())
        return 0;
    const auto n = static_cast<double>(sorted.size());
    const qsizetype rank = std::max<qsizetype>(1, static_cast<qsizetype>(std::ceil(p / 100.0 * n)));
    return sorted[std::min(rank, sorted.size()) - 1];
}

} // namespace sightline
