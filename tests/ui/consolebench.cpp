// Console figures on a large store (the targets: search-as-you-type under 50 ms p95, a
// trace opens under 100 ms p95, the GUI thread never blocked over 50 ms while 2,000 events per
// second arrive). Prints figures; asserts nothing.
// Usage: sightline-console-bench STORE.sqlite [SECONDS_OF_LIVE_INGEST]
// Build STORE with tests/screenshots/make_demo.py (e.g. 110000 orders ~ 1,000,000 events) and
// sightline-demo-store.
#include "models/domain/timestamp.h"
#include "models/ingest/cloudevents.h"
#include "models/store/store.h"
#include "models/store/storereader.h"
#include "models/trace/tracereader.h"
#include "ui/mainwindow.h"
#include "ui/traceview.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QRandomGenerator>
#include <QSqlQuery>
#include <QTextStream>
#include <QThread>
#include <QTimer>
#include <algorithm>
#include <atomic>

using namespace sightline;

namespace {

QTextStream &out()
{
    static QTextStream s(stdout);
    return s;
}

double percentile(QList<double> v, double p)
{
    if (v.isEmpty())
        return 0;
    std::sort(v.begin(), v.end());
    return v[std::min<qsizetype>(v.size() - 1, static_cast<qsizetype>(p * static_cast<double>(v.size())))];
}

void report(const char *what, const QList<double> &ms)
{
    out() << what << ": n=" << ms.size() << " p50=" << QString::number(percentile(ms, 0.5), 'f', 2)
          << " ms p95=" << QString::number(percentile(ms, 0.95), 'f', 2)
          << " ms max=" << QString::number(percentile(ms, 1.0), 'f', 2) << " ms\n";
    out().flush();
}

// As typed: every prefix of real identifiers and partner names, each one a search like the worker's.
void benchSearch(StoreReader &reader, const QStringList &keys)
{
    QList<double> times;
    for (const QString &key : keys) {
        for (int n = 1; n <= key.size(); ++n) {
            QElapsedTimer t;
            t.start();
            auto ids = reader.searchIdentifiers(key.left(n), TraceReader::maxIdentifierHits);
            auto partners =
                reader.searchPartners(key.left(n), TraceReader::maxPartners, TraceReader::tracesPerPartner);
            times.append(static_cast<double>(t.nsecsElapsed()) / 1e6);
            if (!ids || !partners)
                qFatal("search failed");
        }
    }
    report("search as you type (identifiers + partners)", times);
}

void benchOpen(StoreReader &reader, const QList<qint64> &traces)
{
    QList<double> times;
    qint64 events = 0;
    for (qint64 id : traces) {
        QElapsedTimer t;
        t.start();
        auto trace = reader.loadTrace(id);
        times.append(static_cast<double>(t.nsecsElapsed()) / 1e6);
        if (!trace)
            qFatal("load failed");
        events += trace.value().events.size();
    }
    report("open a trace (loadTrace)", times);
    out() << "  mean events per trace opened: " << (traces.isEmpty() ? 0 : events / traces.size()) << "\n";
}

QByteArray liveEvent(int n, const QString &shipment)
{
    static const qint64 run = nowMs(); // ids unique across runs on the same store
    return QStringLiteral("{\"specversion\":\"1.0\",\"id\":\"bench-%4-%1\",\"source\":\"bench/"
                          "wms\",\"type\":\"message.sent\","
                          "\"time\":\"%2\",\"data\":{\"document\":{\"kind\":\"shipment\",\"key\":\"%3\"},"
                          "\"system\":\"broker\",\"status\":\"queued\",\"partner\":\"Bench\"}}")
        .arg(n)
        .arg(formatRfc3339(nowMs()), shipment)
        .arg(run)
        .toUtf8();
}

} // namespace

// Measures how long the GUI thread is busy with each event it delivers: the time it is blocked,
// whatever the operating system's scheduler does around it (timer-tick gaps include both).
class TimedApplication : public QApplication
{
public:
    using QApplication::QApplication;
    bool notify(QObject *receiver, QEvent *event) override
    {
        if (QThread::currentThread() != thread() || m_depth > 0)
            return QApplication::notify(receiver, event);
        QElapsedTimer timer;
        timer.start();
        const int type = event->type();
        // The receiver may be gone once the event is handled (deleteLater): name it first.
        const char *className = receiver->metaObject()->className();
        ++m_depth;
        const bool result = QApplication::notify(receiver, event);
        --m_depth;
        const double ms = static_cast<double>(timer.nsecsElapsed()) / 1e6;
        if (m_recording) {
            m_durations.append(ms);
            if (ms > m_longest) {
                m_longest = ms;
                m_longestWhat = QStringLiteral("event type %1 to %2").arg(type).arg(QLatin1String(className));
            }
        }
        return result;
    }
    void record(bool on) { m_recording = on; }
    const QList<double> &durations() const { return m_durations; }
    QString longestWhat() const { return m_longestWhat; }

private:
    int m_depth = 0;
    bool m_recording = false;
    double m_longest = 0;
    QString m_longestWhat;
    QList<double> m_durations;
};

int main(int argc, char *argv[])
{
    TimedApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("sightline-bench"));
    const QStringList args = QApplication::arguments();
    if (args.size() < 2) {
        out() << "usage: sightline-console-bench STORE.sqlite [SECONDS]\n";
        return 2;
    }
    const QString path = args[1];
    const int seconds = args.size() > 2 ? args[2].toInt() : 10;
    auto store = Store::open(path);
    if (!store)
        qFatal("%s", qPrintable(store.error()));
    auto reader = StoreReader::open(path);
    if (!reader)
        qFatal("%s", qPrintable(reader.error()));
    auto counts = reader.value()->counts();
    out() << "store: " << counts.value().events << " events, " << counts.value().traces << " traces\n";

    // Sample real identifiers and trace ids.
    QStringList keys;
    QList<qint64> traces;
    {
        auto db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("bench-sample"));
        db.setDatabaseName(path);
        db.open();
        QSqlQuery q(db);
        q.exec(QStringLiteral("SELECT value FROM identifiers ORDER BY random() LIMIT 60"));
        while (q.next())
            keys.append(q.value(0).toString());
        q.exec(QStringLiteral("SELECT DISTINCT partner FROM events WHERE partner IS NOT NULL LIMIT 5"));
        while (q.next())
            keys.append(q.value(0).toString());
        q.exec(QStringLiteral("SELECT trace_id FROM documents ORDER BY random() LIMIT 300"));
        while (q.next())
            traces.append(q.value(0).toLongLong());
        q.exec(QStringLiteral(
            "SELECT doc_key FROM documents WHERE kind = 'shipment' AND doc_key NOT LIKE 'BENCH-%' "
            "ORDER BY random() LIMIT 1"));
        q.next();
        keys.prepend(q.value(0).toString());
    }
    QSqlDatabase::removeDatabase(QStringLiteral("bench-sample"));
    benchSearch(*reader.value(), keys);
    benchOpen(*reader.value(), traces);

    // Live: the console shows a trace while 2,000 events per second arrive, 1 in 20 on that trace.
    const QString shipment = keys.front();
    MainWindow window(path, store.value().get());
    window.resize(1600, 1000);
    window.show();
    window.openIdentifier(shipment);
    std::atomic<bool> stop = false;
    std::atomic<qint64> ingested = 0;
    QThread *feeder = QThread::create([&] {
        const CloudEventReader ce(QStringLiteral("bench"));
        int n = 0;
        QElapsedTimer clock;
        clock.start();
        while (!stop) {
            IngestBatch batch;
            ParsedInput parsed;
            for (int i = 0; i < 200; ++i, ++n) {
                const QString key = i % 20 == 0 ? shipment : QStringLiteral("BENCH-SH-%1").arg(n);
                ce.readEvent(liveEvent(n, key), QString(), nowMs(), parsed);
            }
            batch.events = parsed.events;
            auto done = store.value()->ingestAndWait(std::move(batch));
            if (!done)
                qFatal("%s", qPrintable(done.error()));
            ingested += 200;
            // 200 events every 100 ms: 2,000 per second.
            const qint64 due = ingested * 1000 / 2000;
            if (clock.elapsed() < due)
                QThread::msleep(static_cast<unsigned long>(due - clock.elapsed()));
        }
    });
    feeder->setObjectName(QStringLiteral("bench-feeder"));
    QList<double> gaps;
    QElapsedTimer tick;
    tick.start();
    QTimer probe;
    probe.setInterval(5);
    QObject::connect(&probe, &QTimer::timeout, &app, [&] {
        gaps.append(static_cast<double>(tick.nsecsElapsed()) / 1e6);
        tick.restart();
    });
    QTimer::singleShot(500, &app, [&] {
        feeder->start();
        app.record(true);
        probe.start();
        tick.restart();
    });
    QTimer::singleShot(500 + seconds * 1000, &app, [&] {
        stop = true;
        feeder->wait();
        probe.stop();
        app.record(false);
        report("GUI thread: time between 5 ms timer ticks while ingesting", gaps);
        report("GUI thread: time to handle one event (blocked) while ingesting", app.durations());
        out() << "  longest: " << app.longestWhat() << "\n";
        double at = 0;
        int over = 0;
        for (double g : std::as_const(gaps)) {
            at += g;
            if (g > 50) {
                ++over;
                out() << "  tick gap of " << QString::number(g, 'f', 1) << " ms at "
                      << QString::number(at / 1000, 'f', 2) << " s\n";
            }
        }
        out() << "  gaps over 50 ms: " << over << "\n";
        out() << "  events ingested: " << ingested << " in " << seconds << " s; open trace now has "
              << window.traceView()->trace().events.size() << " events (" << shipment << ")\n";
        QApplication::quit();
    });
    const int rc = QApplication::exec();
    delete feeder;
    return rc;
}
