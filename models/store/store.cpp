#include "models/store/store.h"

#include "models/logging.h"
#include "models/store/storelocation.h"
#include "models/store/storewriter.h"

#include <QDir>
#include <QFileInfo>
#include <QPointer>
#include <QStandardPaths>

namespace sightline {

Store::Store(QString path) : m_path(std::move(path))
{
    m_writerThread.setObjectName(QStringLiteral("sightline-store-writer"));
}

Result<std::unique_ptr<Store>> Store::open(const QString &path)
{
    auto location = StoreLocation::parse(path);
    if (!location)
        return Error{location.error()};
    QString where = path;
    if (!location->isPostgreSQL()) {
        const QFileInfo info(path);
        if (!QDir().mkpath(info.absolutePath()))
            return Error{
                QStringLiteral("cannot create the folder %1 for the store").arg(info.absolutePath())};
        where = info.absoluteFilePath();
    }
    std::unique_ptr<Store> store(new Store(where));
    store->m_shared = location->isPostgreSQL();
    store->m_writer = new StoreWriter(store->m_path);
    store->m_writer->moveToThread(&store->m_writerThread);
    QObject::connect(&store->m_writerThread, &QThread::finished, store->m_writer, &QObject::deleteLater);
    QObject::connect(store->m_writer, &StoreWriter::committed, store.get(), &Store::committed,
                     Qt::DirectConnection);
    QObject::connect(store->m_writer, &StoreWriter::writeFailed, store.get(), &Store::writeFailed,
                     Qt::DirectConnection);
    store->m_writerThread.start();
    Status opened;
    QMetaObject::invokeMethod(
        store->m_writer, [&opened, writer = store->m_writer] { opened = writer->open(); },
        Qt::BlockingQueuedConnection);
    if (!opened)
        return Error{opened.error()};
    qCDebug(lcStore) << "store open:" << store->m_path;
    return store;
}

Store::~Store()
{
    if (m_writer) {
        QMetaObject::invokeMethod(
            m_writer, [writer = m_writer] { writer->close(); }, Qt::BlockingQueuedConnection);
    }
    m_writerThread.quit();
    m_writerThread.wait();
}

std::future<Result<IngestReport>> Store::ingest(IngestBatch batch)
{
    auto done = std::make_shared<std::promise<Result<IngestReport>>>();
    auto future = done->get_future();
    enqueue(std::move(batch), [done](Result<IngestReport> r) { done->set_value(std::move(r)); });
    return future;
}

void Store::ingest(IngestBatch batch, QObject *context, std::function<void(Result<IngestReport>)> done)
{
    QPointer<QObject> guard(context);
    enqueue(std::move(batch), [guard, done = std::move(done)](Result<IngestReport> r) {
        if (guard)
            QMetaObject::invokeMethod(
                guard, [done, r = std::move(r)] { done(r); }, Qt::QueuedConnection);
    });
}

void Store::enqueue(IngestBatch batch, std::function<void(Result<IngestReport>)> done)
{
    QMetaObject::invokeMethod(
        m_writer,
        [writer = m_writer, batch = std::move(batch), done = std::move(done)]() mutable {
            writer->enqueue(std::move(batch), std::move(done));
        },
        Qt::QueuedConnection);
}

Result<IngestReport> Store::ingestAndWait(IngestBatch batch)
{
    return ingest(std::move(batch)).get();
}

QString Store::defaultLocation()
{
    return configuredStoreLocation(defaultPath());
}

QString Store::defaultPath()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) +
           QStringLiteral("/sightline.db");
}

} // namespace sightline
