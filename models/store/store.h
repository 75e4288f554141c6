#pragma once

#include "models/result.h"
#include "models/store/ingestbatch.h"

#include <QObject>
#include <QSet>
#include <QString>
#include <QThread>
#include <functional>
#include <future>
#include <memory>

namespace sightline {

class StoreWriter;

// The store of everything that happened: an SQLite file in WAL mode, or a shared PostgreSQL
// database in team mode (StoreLocation). Writes go through one
// writer thread that batches them into transactions; reads use their own connections
// (StoreReader), one per reading thread, and are never blocked by the writer.
class Store : public QObject
{
    Q_OBJECT
public:
    // Opens (creating and migrating as needed) the store at path. Blocks until the writer thread
    // has the file open; call it before the first window shows or from a worker.
    static Result<std::unique_ptr<Store>> open(const QString &path);
    ~Store() override;

    // The SQLite file's absolute path, or the postgresql:// location as given.
    QString path() const { return m_path; }
    // True on a shared PostgreSQL store (team mode), false on an SQLite file.
    bool isShared() const { return m_shared; }

    // Queues a batch for the writer. The future is ready once the batch is committed, with what
    // the store made of it, or with the reason it could not be written.
    std::future<Result<IngestReport>> ingest(IngestBatch batch);

    // Queues a batch; done is called on context's thread once it is committed or has failed.
    // Nothing is called if context is gone by then. For connectors and other event-driven code.
    void ingest(IngestBatch batch, QObject *context, std::function<void(Result<IngestReport>)> done);

    // Ingests and waits: for command-line tools and tests, never for the GUI thread.
    Result<IngestReport> ingestAndWait(IngestBatch batch);

    // The default SQLite file: in the per-user data folder.
    static QString defaultPath();
    // The configured store: SIGHTLINE_STORE, store.json, else defaultPath() (configuredStoreLocation).
    static QString defaultLocation();

Q_SIGNALS:
    // Emitted on the writer thread after each transaction; connect queued from other threads.
    void committed(const sightline::IngestReport &report, const QSet<qint64> &touchedTraces);
    void writeFailed(const QString &message);

private:
    explicit Store(QString path);
    void enqueue(IngestBatch batch, std::function<void(Result<IngestReport>)> done);

    QString m_path;
    bool m_shared = false;
    QThread m_writerThread;
    StoreWriter *m_writer = nullptr;
};

} // namespace sightline
