#pragma once

#include <QList>
#include <QMetaType>
#include <QObject>
#include <QString>
#include <QThread>

namespace sightline {

// One change of an exception made by any process on the shared store, as announced in its
// transaction (exceptiondb::notifyChange).
struct ExceptionChange
{
    qint64 id = 0;
    qint64 version = 0;
    QString by;     // who made it
    QString action; // take, assign, comment, resolve, replay_sent, replay, detected...
};

class ExceptionChangeWorker;

// Team mode: tells this console at once when any console or the ingest service changed an
// exception, through PostgreSQL LISTEN/NOTIFY on a connection of its own, owned by a worker thread
// ("sightline-store-listener"), never the GUI thread. No table is polled: the connection is only
// pinged now and then so that a lost one is noticed, reopened and reported as resynced().
// On an SQLite store it does nothing (there the console's own Store::committed says it all).
class ExceptionChangeListener : public QObject
{
    Q_OBJECT
public:
    explicit ExceptionChangeListener(QString storeLocation, QObject *parent = nullptr);
    ~ExceptionChangeListener() override;

    // Opens the connection and starts listening; listening() or listenFailed() follows.
    void start();
    bool isActive() const { return m_worker != nullptr; }

Q_SIGNALS:
    // On this object's thread. Changes arriving together come in one call.
    void exceptionsChanged(const QList<sightline::ExceptionChange> &changes);
    // The connection was lost and is back: anything may have changed meanwhile; reload all.
    void resynced();
    void listening();
    void listenFailed(const QString &message);

private:
    QString m_location;
    QThread m_thread;
    ExceptionChangeWorker *m_worker = nullptr;
};

} // namespace sightline

Q_DECLARE_METATYPE(sightline::ExceptionChange)
