#include "models/exceptions/exceptionchangelistener.h"

#include "models/exceptions/exceptionrepository.h"
#include "models/logging.h"
#include "models/store/connection.h"
#include "models/store/storelocation.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlDriver>
#include <QSqlError>
#include <QSqlQuery>
#include <QTimer>

namespace sightline {

// Lives on the listener thread: owns the connection and its subscription.
class ExceptionChangeWorker : public QObject
{
    Q_OBJECT
public:
    explicit ExceptionChangeWorker(QString location)
        : m_location(std::move(location)), m_name(uniqueConnectionName(u"listener"))
    {}
    ~ExceptionChangeWorker() override { disconnectDb(); }

    void start()
    {
        m_ping = new QTimer(this);
        m_ping->setInterval(15000);
        connect(m_ping, &QTimer::timeout, this, &ExceptionChangeWorker::ping);
        m_flush = new QTimer(this);
        m_flush->setSingleShot(true);
        m_flush->setInterval(0); // what arrived in one go is reported in one go
        connect(m_flush, &QTimer::timeout, this, &ExceptionChangeWorker::flush);
        if (Status s = connectDb(); !s) {
            Q_EMIT listenFailed(s.error());
            m_ping->start(); // keeps trying
            return;
        }
        m_ping->start();
        Q_EMIT listening();
    }

Q_SIGNALS:
    void exceptionsChanged(const QList<sightline::ExceptionChange> &changes);
    void resynced();
    void listening();
    void listenFailed(const QString &message);

private:
    Status connectDb()
    {
        auto db = openStoreConnection(m_location, m_name, true);
        if (!db)
            return Error{db.error()};
        m_db = db.value();
        QSqlQuery q(m_db);
        if (!q.exec(QStringLiteral("SELECT current_schema()")) || !q.next())
            return Error{QStringLiteral("cannot listen for changes: %1").arg(q.lastError().text())};
        m_channel = exceptiondb::exceptionChannel(q.value(0).toString());
        QSqlDriver *driver = m_db.driver();
        connect(driver, &QSqlDriver::notification, this, &ExceptionChangeWorker::received,
                Qt::UniqueConnection);
        if (!driver->subscribeToNotification(m_channel))
            return Error{QStringLiteral("cannot listen for changes on %1: %2")
                             .arg(m_channel, driver->lastError().text())};
        qCDebug(lcStore) << "listening on" << m_channel;
        return {};
    }

    void disconnectDb()
    {
        if (!m_db.isValid())
            return;
        m_db.driver()->disconnect(this);
        m_db = QSqlDatabase();
        closeConnection(m_name);
    }

    void received(const QString &name, QSqlDriver::NotificationSource, const QVariant &payload)
    {
        if (name != m_channel)
            return;
        const QJsonObject o = QJsonDocument::fromJson(payload.toString().toUtf8()).object();
        m_pending.append(
            {o.value(QStringLiteral("id")).toInteger(), o.value(QStringLiteral("version")).toInteger(),
             o.value(QStringLiteral("by")).toString(), o.value(QStringLiteral("action")).toString()});
        if (!m_flush->isActive())
            m_flush->start();
    }

    void flush()
    {
        QList<ExceptionChange> changes;
        changes.swap(m_pending);
        if (!changes.isEmpty())
            Q_EMIT exceptionsChanged(changes);
    }

    // Not a poll of any table: whether the connection still stands.
    void ping()
    {
        if (m_db.isValid()) {
            QSqlQuery q(m_db);
            if (q.exec(QStringLiteral("SELECT 1")))
                return;
            qCWarning(lcStore) << "lost the change listener's connection:" << q.lastError().text();
            disconnectDb();
        }
        if (Status s = connectDb(); !s) {
            disconnectDb();
            Q_EMIT listenFailed(s.error());
            return;
        }
        Q_EMIT resynced();
    }

    QString m_location;
    QString m_name;
    QString m_channel;
    QSqlDatabase m_db;
    QTimer *m_ping = nullptr;
    QTimer *m_flush = nullptr;
    QList<ExceptionChange> m_pending;
};

ExceptionChangeListener::ExceptionChangeListener(QString storeLocation, QObject *parent)
    : QObject(parent), m_location(std::move(storeLocation))
{
    qRegisterMetaType<QList<sightline::ExceptionChange>>();
    m_thread.setObjectName(QStringLiteral("sightline-store-listener"));
}

ExceptionChangeListener::~ExceptionChangeListener()
{
    m_thread.quit();
    m_thread.wait();
}

void ExceptionChangeListener::start()
{
    if (m_worker || !StoreLocation::looksLikeUrl(m_location))
        return;
    m_worker = new ExceptionChangeWorker(m_location);
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(m_worker, &ExceptionChangeWorker::exceptionsChanged, this,
            &ExceptionChangeListener::exceptionsChanged);
    connect(m_worker, &ExceptionChangeWorker::resynced, this, &ExceptionChangeListener::resynced);
    connect(m_worker, &ExceptionChangeWorker::listening, this, &ExceptionChangeListener::listening);
    connect(m_worker, &ExceptionChangeWorker::listenFailed, this, &ExceptionChangeListener::listenFailed);
    m_thread.start();
    QMetaObject::invokeMethod(m_worker, &ExceptionChangeWorker::start, Qt::QueuedConnection);
}

} // namespace sightline

#include "exceptionchangelistener.moc"
