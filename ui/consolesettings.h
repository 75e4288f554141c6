#pragma once

#include "models/trace/searchhit.h"

#include <QStringList>

namespace sightline {

// What the console remembers between runs (QSettings, written atomically): recent searches and
// pinned traces ("watch this order").
class ConsoleSettings
{
public:
    static QStringList recentSearches();
    static void addRecentSearch(const QString &query);

    static QList<SearchHit> pinnedTraces();
    static bool isPinned(qint64 traceId);
    static void setPinned(qint64 traceId, const QString &label, bool pinned);

    static constexpr int maxRecent = 8;
};

} // namespace sightline
