#pragma once

#include <QtGlobal>
#include <cstdint>

namespace sightline::sandbox {

// xoshiro256** seeded through splitmix64: the same seed gives the same numbers on every platform
// and standard library (std distributions do not promise that).
class Random
{
public:
    explicit Random(quint64 seed)
    {
        for (auto &word : m_state)
            word = splitMix(seed);
    }

    quint64 next()
    {
        const quint64 result = rotl(m_state[1] * 5, 7) * 9;
        const quint64 t = m_state[1] << 17;
        m_state[2] ^= m_state[0];
        m_state[3] ^= m_state[1];
        m_state[1] ^= m_state[2];
        m_state[0] ^= m_state[3];
        m_state[2] ^= t;
        m_state[3] = rotl(m_state[3], 45);
        return result;
    }

    // Uniform in [0, 1).
    double unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

    // Uniform integer in [low, high].
    qint64 between(qint64 low, qint64 high)
    {
        if (high <= low)
            return low;
        const auto span = static_cast<quint64>(high - low) + 1;
        return low + static_cast<qint64>(next() % span);
    }

    double betweenReal(double low, double high) { return low + (high - low) * unit(); }

    bool chance(double probability) { return unit() < probability; }

    template<typename List> const auto &pick(const List &list)
    {
        return list.at(static_cast<qsizetype>(between(0, list.size() - 1)));
    }

private:
    static quint64 rotl(quint64 x, int k) { return (x << k) | (x >> (64 - k)); }
    static quint64 splitMix(quint64 &x)
    {
        quint64 z = (x += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }

    quint64 m_state[4] = {};
};

} // namespace sightline::sandbox
