#include "ui/consolesettings.h"

#include <QSettings>

namespace sightline {

QStringList ConsoleSettings::recentSearches()
{
    return QSettings().value(QStringLiteral("search/recent")).toStringList();
}

void ConsoleSettings::addRecentSearch(const QString &query)
{
    const QString q = query.trimmed();
    if (q.isEmpty())
        return;
    QStringList recent = recentSearches();
    recent.removeAll(q);
    recent.prepend(q);
    while (recent.size() > maxRecent)
        recent.removeLast();
    QSettings().setValue(QStringLiteral("search/recent"), recent);
}

QList<SearchHit> ConsoleSettings::pinnedTraces()
{
    QSettings settings;
    QList<SearchHit> pinned;
    const int n = settings.beginReadArray(QStringLiteral("pinned"));
    for (int i = 0; i < n; ++i) {
        settings.setArrayIndex(i);
        SearchHit hit;
        hit.traceId = settings.value(QStringLiteral("trace")).toLongLong();
        hit.documentKey = settings.value(QStringLiteral("label")).toString();
        hit.matched = hit.documentKey;
        hit.scheme = QStringLiteral("key");
        hit.kind = documentKindFromName(settings.value(QStringLiteral("kind")).toString())
                       .value_or(DocumentKind::SalesOrder);
        if (hit.traceId > 0)
            pinned.append(hit);
    }
    settings.endArray();
    return pinned;
}

bool ConsoleSettings::isPinned(qint64 traceId)
{
    for (const SearchHit &hit : pinnedTraces()) {
        if (hit.traceId == traceId)
            return true;
    }
    return false;
}

void ConsoleSettings::setPinned(qint64 traceId, const QString &label, bool pinned)
{
    QList<SearchHit> all = pinnedTraces();
    all.removeIf([traceId](const SearchHit &h) { return h.traceId == traceId; });
    if (pinned) {
        SearchHit hit;
        hit.traceId = traceId;
        hit.documentKey = label;
        all.prepend(hit);
    }
    QSettings settings;
    settings.remove(QStringLiteral("pinned"));
    settings.beginWriteArray(QStringLiteral("pinned"), static_cast<int>(all.size()));
    for (int i = 0; i < all.size(); ++i) {
        settings.setArrayIndex(i);
        settings.setValue(QStringLiteral("trace"), all[i].traceId);
        settings.setValue(QStringLiteral("label"), all[i].documentKey);
        settings.setValue(QStringLiteral("kind"), documentKindName(all[i].kind));
    }
    settings.endArray();
}

} // namespace sightline
