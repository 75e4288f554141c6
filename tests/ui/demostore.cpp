// Builds a store from a JSON Lines file of CloudEvents whose extension attribute "demoreceived"
// (RFC 3339) says when each event arrived, so that a demo store shows realistic arrival lag.
// Usage: sightline-demo-store STORE FILE.jsonl
#include "models/domain/timestamp.h"
#include "models/ingest/cloudevents.h"
#include "models/store/store.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>

using namespace sightline;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QTextStream err(stderr);
    const QStringList args = QCoreApplication::arguments();
    if (args.size() != 3) {
        err << "usage: sightline-demo-store STORE FILE.jsonl\n";
        return 2;
    }
    auto store = Store::open(args[1]);
    if (!store) {
        err << store.error() << '\n';
        return 1;
    }
    QFile file(args[2]);
    if (!file.open(QIODevice::ReadOnly)) {
        err << "cannot read " << args[2] << ": " << file.errorString() << '\n';
        return 1;
    }
    const CloudEventReader reader(args[2]);
    IngestBatch batch;
    IngestReport total;
    int line = 0;
    while (!file.atEnd()) {
        const QByteArray text = file.readLine().trimmed();
        ++line;
        if (text.isEmpty())
            continue;
        const QString received =
            QJsonDocument::fromJson(text).object().value(QStringLiteral("demoreceived")).toString();
        const qint64 receivedMs = parseRfc3339(received.toStdString()).value_or(nowMs());
        ParsedInput parsed;
        reader.readEvent(text, QStringLiteral("line %1").arg(line), receivedMs, parsed);
        batch.events += parsed.events;
        batch.quarantined += parsed.quarantined;
        if (batch.events.size() >= 2000) {
            auto report = store.value()->ingestAndWait(std::exchange(batch, IngestBatch{}));
            if (!report) {
                err << report.error() << '\n';
                return 1;
            }
            total += report.value();
        }
    }
    auto report = store.value()->ingestAndWait(std::move(batch));
    if (!report) {
        err << report.error() << '\n';
        return 1;
    }
    total += report.value();
    QTextStream(stdout) << total.accepted << " events, " << total.duplicates << " duplicates, "
                        << total.quarantined << " quarantined\n";
    return 0;
}
