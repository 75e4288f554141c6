#pragma once

#include <QMetaType>
#include <QString>

namespace sightline {

// How one connection is doing (SPEC.md §7), as the status bar, the Connections view and
// `sightline-cli status` show it.
struct ConnectionHealth
{
    enum class State { Connecting, Connected, Degraded, Down, AuthenticationFailed };

    QString connection;
    State state = State::Connecting;
    QString lastError; // for a person; never holds a secret
    qint64 lastSuccessMs = 0;
    qint64 lagMs = 0;    // how far behind the source the store is
    qint64 requests = 0; // requests sent, or connections opened for a feed
    qint64 errors = 0;
    qint64 retries = 0;
    qint64 events = 0; // events handed to the store
    qint64 quarantined = 0;
};

// A poller's state after a cycle: connected when every request answered; a connected or
// connecting one that met errors is degraded; down and authentication failed stay until a cycle
// without errors (authentication failed until the credentials work again).
ConnectionHealth::State stateAfterCycle(ConnectionHealth::State current, bool hadErrors);

QString healthStateName(ConnectionHealth::State state);
// The untranslated name, as the store and `sightline-cli status --json` keep it.
QString healthStateKey(ConnectionHealth::State state);

} // namespace sightline

Q_DECLARE_METATYPE(sightline::ConnectionHealth)
