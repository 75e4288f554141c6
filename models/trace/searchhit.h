#pragma once

#include "models/domain/document.h"

#include <QList>
#include <QMetaType>
#include <QString>

namespace sightline {

// One thing a search found: a document known by the matched value, or a partner (customer or
// supplier) named on an event of the trace.
struct SearchHit
{
    qint64 traceId = 0;
    DocumentKind kind = DocumentKind::SalesOrder;
    QString documentKey;
    QString matched; // the identifier or partner name as stored
    QString scheme;  // "key", "customer_po", "tracking", ... or "partner"
    bool isPartner() const { return scheme == QLatin1String("partner"); }
};

// What a search for one query returned, in the order the store ranked it.
struct SearchResults
{
    QString query;
    QList<SearchHit> hits;
};

// The range of folded identifiers that start with a prefix: [lower, upper).
struct PrefixRange
{
    QString lower;
    QString upper;
};
PrefixRange prefixRange(const QString &foldedPrefix);

} // namespace sightline

Q_DECLARE_METATYPE(sightline::SearchResults)
