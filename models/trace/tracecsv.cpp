#include "models/trace/tracecsv.h"

#include "models/domain/timestamp.h"

#include <QStringList>

namespace sightline {
namespace {

QString csvField(const QString &value)
{
    if (!value.contains(u',') && !value.contains(u'"') && !value.contains(u'\n') && !value.contains(u'\r'))
        return value;
    QString quoted = value;
    quoted.replace(QStringLiteral("\""), QStringLiteral("\"\""));
    return u'"' + quoted + u'"';
}

} // namespace

QByteArray traceToCsv(const Trace &trace)
{
    QString out = QStringLiteral(
        "time,received,lag_ms,system,milestone,type,status,document_kind,document_key,source,id\r\n");
    for (const TraceEvent &e : trace.events) {
        const TraceDocument *d = trace.document(e.documentId);
        const QStringList fields{formatRfc3339(e.occurredMs),
                                 formatRfc3339(e.receivedMs),
                                 QString::number(e.lagMs()),
                                 e.system,
                                 e.milestone,
                                 e.type,
                                 e.status,
                                 d ? documentKindName(d->ref.kind) : QString(),
                                 d ? d->ref.key : QString(),
                                 e.source,
                                 e.eventId};
        QStringList escaped;
        for (const QString &f : fields)
            escaped.append(csvField(f));
        out += escaped.join(u',') + QStringLiteral("\r\n");
    }
    return out.toUtf8();
}

} // namespace sightline
