#include "connectors/health/connectionhealth.h"

#include <QCoreApplication>

namespace sightline {

ConnectionHealth::State stateAfterCycle(ConnectionHealth::State current, bool hadErrors)
{
    using State = ConnectionHealth::State;
    if (current == State::AuthenticationFailed)
        return current;
    if (!hadErrors)
        return State::Connected;
    return current == State::Connected || current == State::Connecting ? State::Degraded : current;
}

QString healthStateName(ConnectionHealth::State state)
{
    switch (state) {
    case ConnectionHealth::State::Connecting:
        return QCoreApplication::translate("ConnectionHealth", "connecting");
    case ConnectionHealth::State::Connected:
        return QCoreApplication::translate("ConnectionHealth", "connected");
    case ConnectionHealth::State::Degraded:
        return QCoreApplication::translate("ConnectionHealth", "degraded");
    case ConnectionHealth::State::Down:
        return QCoreApplication::translate("ConnectionHealth", "down");
    case ConnectionHealth::State::AuthenticationFailed:
        return QCoreApplication::translate("ConnectionHealth", "authentication failed");
    }
    return {};
}

QString healthStateKey(ConnectionHealth::State state)
{
    switch (state) {
    case ConnectionHealth::State::Connecting:
        return QStringLiteral("connecting");
    case ConnectionHealth::State::Connected:
        return QStringLiteral("connected");
    case ConnectionHealth::State::Degraded:
        return QStringLiteral("degraded");
    case ConnectionHealth::State::Down:
        return QStringLiteral("down");
    case ConnectionHealth::State::AuthenticationFailed:
        return QStringLiteral("authentication failed");
    }
    return {};
}

} // namespace sightline
