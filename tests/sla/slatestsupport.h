#pragma once

// Helpers for the SLA suites: canonical events for the Store API, and bucket/row consistency.

#include "models/domain/event.h"
#include "models/sla/slareader.h"

#include <QCryptographicHash>
#include <QDateTime>

namespace sightline::test {

constexpr qint64 kHourMs = 3600 * 1000;

inline qint64 utc(int y, int mo, int d, int h, int mi = 0)
{
    return QDateTime(QDate(y, mo, d), QTime(h, mi), Qt::UTC).toMSecsSinceEpoch();
}

// An event on a document, optionally linking another; received a minute after it happened.
inline CanonicalEvent slaEvent(const QString &id, const QString &milestone, DocumentKind kind,
                               const QString &key, qint64 occurredMs,
                               std::optional<DocumentRef> link = std::nullopt,
                               const QString &partner = QStringLiteral("Contoso Supply"),
                               const QString &warehouse = QStringLiteral("WH-EAST"))
{
    CanonicalEvent e;
    e.source = QStringLiteral("test/sla");
    e.id = id;
    e.type = milestone;
    e.milestone = milestone;
    e.document = DocumentRef{kind, key};
    if (link)
        e.links.append(LinkRef{*link, QStringLiteral("references")});
    e.system = QStringLiteral("erp");
    e.partner = partner;
    e.warehouse = warehouse;
    e.occurredMs = occurredMs;
    e.receivedMs = occurredMs + 60'000;
    e.raw = id.toUtf8();
    e.rawHash = QCryptographicHash::hash(e.raw, QCryptographicHash::Sha1);
    return e;
}

// The buckets' counts must equal the rows': the dashboards read one, the CLI the other.
inline QString bucketsDisagree(SlaReader &reader)
{
    auto rows = reader.measurements({});
    auto buckets =
        reader.buckets(std::numeric_limits<qint64>::min() / 2, std::numeric_limits<qint64>::max() / 2);
    if (!rows || !buckets)
        return QStringLiteral("cannot read");
    QHash<QString, std::array<qint64, 5>> fromRows, fromBuckets;
    for (const SlaMeasurement &m : rows.value()) {
        auto &c = fromRows[m.policy];
        ++c[static_cast<size_t>(m.state)];
        if (m.endMs)
            ++c[4];
    }
    for (const SlaBucket &b : buckets.value()) {
        auto &c = fromBuckets[b.policy];
        c[0] += b.open;
        c[1] += b.atRisk;
        c[2] += b.met;
        c[3] += b.breached;
        c[4] += b.latencies.total();
    }
    for (auto it = fromBuckets.begin(); it != fromBuckets.end();) {
        it = *it == std::array<qint64, 5>{} ? fromBuckets.erase(it) : std::next(it);
    }
    if (fromRows == fromBuckets)
        return {};
    QString why;
    for (auto it = fromRows.cbegin(); it != fromRows.cend(); ++it) {
        const auto b = fromBuckets.value(it.key());
        why += QStringLiteral("%1 rows %2/%3/%4/%5 buckets %6/%7/%8/%9; ")
                   .arg(it.key())
                   .arg((*it)[0])
                   .arg((*it)[1])
                   .arg((*it)[2])
                   .arg((*it)[3])
                   .arg(b[0])
                   .arg(b[1])
                   .arg(b[2])
                   .arg(b[3]);
    }
    return why.isEmpty() ? QStringLiteral("buckets without rows") : why;
}

} // namespace sightline::test
