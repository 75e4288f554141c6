#include "models/sandbox/simclock.h"

namespace sightline::sandbox {

SimulatedClock::SimulatedClock(QDateTime start, double speed)
    : m_baseMs(start.toMSecsSinceEpoch()), m_speed(speed < 0 ? 0 : speed)
{
    m_wall.start();
}

qint64 SimulatedClock::nowMs() const
{
    return m_baseMs + static_cast<qint64>(static_cast<double>(m_wall.elapsed()) * m_speed);
}

QDateTime SimulatedClock::now() const
{
    return QDateTime::fromMSecsSinceEpoch(nowMs(), Qt::UTC);
}

void SimulatedClock::setSpeed(double speed)
{
    m_baseMs = nowMs();
    m_wall.restart();
    m_speed = speed < 0 ? 0 : speed;
}

void SimulatedClock::advance(qint64 simulatedMs)
{
    m_baseMs += simulatedMs;
}

} // namespace sightline::sandbox
