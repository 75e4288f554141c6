#include "models/export/traceexport.h"

#include "models/domain/timestamp.h"

#include <QTextStream>

#include <nlohmann/json.hpp>

namespace sightline {
namespace {

using json = nlohmann::ordered_json;

std::string std8(const QString &s)
{
    return s.toStdString();
}

json documentJson(const TraceDocument &d)
{
    json ids = json::object();
    for (const Identifier &i : d.identifiers)
        ids[std8(i.scheme)] = std8(i.value);
    return {{"kind", std8(documentKindName(d.ref.kind))}, {"key", std8(d.ref.key)}, {"identifiers", ids}};
}

QString documentName(const Trace &trace, qint64 documentId)
{
    const TraceDocument *d = trace.document(documentId);
    return d ? documentKindName(d->ref.kind) % u'/' % d->ref.key : QStringLiteral("?");
}

} // namespace

QByteArray traceToJson(const Trace &trace, int indent)
{
    json documents = json::array();
    for (const TraceDocument &d : trace.documents)
        documents.push_back(documentJson(d));
    json links = json::array();
    for (const TraceLink &l : trace.links) {
        const TraceDocument *from = trace.document(l.fromId);
        const TraceDocument *to = trace.document(l.toId);
        if (!from || !to)
            continue;
        links.push_back({{"from", {{"kind", std8(documentKindName(from->ref.kind))}, {"key", std8(from->ref.key)}}},
                         {"to", {{"kind", std8(documentKindName(to->ref.kind))}, {"key", std8(to->ref.key)}}},
                         {"relation", std8(l.relation)}});
    }
    json events = json::array();
    for (const TraceEvent &e : trace.events) {
        const TraceDocument *d = trace.document(e.documentId);
        json ev = {{"id", std8(e.eventId)},
                   {"source", std8(e.source)},
                   {"type", std8(e.type)},
                   {"milestone", e.milestone.isEmpty() ? json() : json(std8(e.milestone))},
                   {"time", std8(formatRfc3339(e.occurredMs))},
                   {"timeEstimated", e.occurredEstimated},
                   {"received", std8(formatRfc3339(e.receivedMs))},
                   {"lagMs", e.lagMs()},
                   {"system", std8(e.system)},
                   {"status", std8(e.status)},
                   {"duplicates", e.duplicates}};
        if (d)
            ev["document"] = {{"kind", std8(documentKindName(d->ref.kind))}, {"key", std8(d->ref.key)}};
        events.push_back(std::move(ev));
    }
    const json out = {{"trace", trace.id}, {"documents", documents}, {"links", links}, {"events", events}};
    return QByteArray::fromStdString(out.dump(indent));
}

QString formatDuration(qint64 ms)
{
    const bool negative = ms < 0;
    qint64 s = std::abs(ms) / 1000;
    QString text;
    if (s < 60)
        text = QStringLiteral("%1 s").arg(s);
    else if (s < 3600)
        text = QStringLiteral("%1 min").arg(s / 60);
    else if (s < 86400)
        text = QStringLiteral("%1 h %2 min").arg(s / 3600).arg((s % 3600) / 60);
    else
        text = QStringLiteral("%1 d %2 h").arg(s / 86400).arg((s % 86400) / 3600);
    return negative ? u'-' + text : text;
}

QString traceToText(const Trace &trace)
{
    QString out;
    QTextStream ts(&out);
    ts << "Trace " << trace.id << ": " << trace.documents.size() << " documents, " << trace.events.size()
       << " events\n";
    for (const TraceDocument &d : trace.documents) {
        ts << "  " << documentKindLabel(d.ref.kind) << ' ' << d.ref.key;
        for (const Identifier &i : d.identifiers)
            ts << "  [" << i.scheme << ' ' << i.value << ']';
        ts << '\n';
    }
    for (const TraceLink &l : trace.links)
        ts << "  " << documentName(trace, l.fromId) << " -" << l.relation << "-> " << documentName(trace, l.toId)
           << '\n';
    ts << '\n';
    qint64 previous = 0;
    for (const TraceEvent &e : trace.events) {
        const QString step = previous ? QStringLiteral("+%1").arg(formatDuration(e.occurredMs - previous)) : QString();
        previous = e.occurredMs;
        ts << formatRfc3339(e.occurredMs) << (e.occurredEstimated ? "~" : " ") << ' '
           << QStringLiteral("%1").arg(step, -12) << ' ' << QStringLiteral("%1").arg(e.system, -7) << ' '
           << QStringLiteral("%1").arg(e.milestone.isEmpty() ? e.type : e.milestone, -22) << ' '
           << documentName(trace, e.documentId);
        if (!e.status.isEmpty())
            ts << "  status " << e.status;
        ts << "  (received " << formatDuration(e.lagMs()) << " later";
        if (e.duplicates > 0)
            ts << ", " << e.duplicates << " duplicate(s)";
        ts << ")\n";
    }
    return out;
}

} // namespace sightline
