#pragma once

#include <QDateTime>
#include <QElapsedTimer>

namespace sightline::sandbox {

// Simulated time: starts at a given instant and runs `speed` times faster than the wall clock
// (speed 3600 = one simulated hour per second; 0 = stopped, moved only by advance()).
class SimulatedClock
{
public:
    SimulatedClock(QDateTime start, double speed);

    QDateTime now() const;
    qint64 nowMs() const;
    double speed() const { return m_speed; }
    void setSpeed(double speed);
    // Moves simulated time forward by a span, whatever the speed.
    void advance(qint64 simulatedMs);

private:
    qint64 m_baseMs = 0;
    double m_speed = 1.0;
    QElapsedTimer m_wall;
};

} // namespace sightline::sandbox
