#pragma once

#include "models/result.h"

#include <QDateTime>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QString>

namespace sightline::sandbox {

// One page of a collection, ordered by (updated_at, id).
struct RecordPage
{
    QList<QJsonObject> items;
    QString nextCursor; // empty on the last page
};

// The systems' records (orders, POs, receipts...) by collection and id, each stamped with the
// simulated instant it last changed. Pages are cut by an opaque cursor naming the last
// (updated_at, id) seen, so records inserted while a client pages never shift what it gets.
class RecordStore
{
public:
    void put(const QString &collection, const QString &id, qint64 updatedMs, QJsonObject body);
    const QJsonObject *find(const QString &collection, const QString &id) const;
    qsizetype count(const QString &collection) const;
    QStringList ids(const QString &collection) const;
    QStringList collections() const { return m_collections.keys(); }

    Result<RecordPage> page(const QString &collection, int limit, const QString &cursor,
                            qint64 updatedSinceMs) const;

    static QString encodeCursor(qint64 updatedMs, const QString &id);

private:
    struct Record
    {
        qint64 updatedMs = 0;
        QJsonObject body;
    };
    QMap<QString, QHash<QString, Record>> m_collections;
};

} // namespace sightline::sandbox
