#include "models/sandbox/recordstore.h"

#include <algorithm>

namespace sightline::sandbox {

void RecordStore::put(const QString &collection, const QString &id, qint64 updatedMs, QJsonObject body)
{
    body.insert(QStringLiteral("updated_at"),
                QDateTime::fromMSecsSinceEpoch(updatedMs, Qt::UTC).toString(Qt::ISODateWithMs));
    m_collections[collection].insert(id, Record{updatedMs, std::move(body)});
}

const QJsonObject *RecordStore::find(const QString &collection, const QString &id) const
{
    const auto c = m_collections.constFind(collection);
    if (c == m_collections.cend())
        return nullptr;
    const auto r = c->constFind(id);
    return r == c->cend() ? nullptr : &r->body;
}

qsizetype RecordStore::count(const QString &collection) const
{
    return m_collections.value(collection).size();
}

QStringList RecordStore::ids(const QString &collection) const
{
    QStringList out = m_collections.value(collection).keys();
    out.sort();
    return out;
}

QString RecordStore::encodeCursor(qint64 updatedMs, const QString &id)
{
    const QByteArray raw = QByteArray::number(updatedMs) + '|' + id.toUtf8();
    return QString::fromLatin1(raw.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

Result<RecordPage> RecordStore::page(const QString &collection, int limit, const QString &cursor,
                                     qint64 updatedSinceMs) const
{
    qint64 afterMs = std::numeric_limits<qint64>::min();
    QString afterId;
    if (!cursor.isEmpty()) {
        const QByteArray raw = QByteArray::fromBase64(cursor.toLatin1(), QByteArray::Base64UrlEncoding);
        const qsizetype bar = raw.indexOf('|');
        bool ok = false;
        if (bar > 0)
            afterMs = raw.left(bar).toLongLong(&ok);
        if (!ok)
            return Error{QStringLiteral("cursor '%1' is not one this server issued").arg(cursor)};
        afterId = QString::fromUtf8(raw.mid(bar + 1));
    }
    struct Key
    {
        qint64 ms;
        const QString *id;
        const QJsonObject *body;
    };
    QList<Key> keys;
    const auto &records = m_collections.value(collection);
    for (auto it = records.cbegin(); it != records.cend(); ++it) {
        const qint64 ms = it->updatedMs;
        if (ms < updatedSinceMs)
            continue;
        if (ms < afterMs || (ms == afterMs && it.key() <= afterId))
            continue;
        keys.append({ms, &it.key(), &it->body});
    }
    const auto before = [](const Key &a, const Key &b) {
        return a.ms != b.ms ? a.ms < b.ms : *a.id < *b.id;
    };
    const qsizetype take = qMin<qsizetype>(qMax(limit, 1), keys.size());
    std::partial_sort(keys.begin(), keys.begin() + take, keys.end(), before);
    RecordPage page;
    for (qsizetype i = 0; i < take; ++i)
        page.items.append(*keys.at(i).body);
    if (take < keys.size() && take > 0)
        page.nextCursor = encodeCursor(keys.at(take - 1).ms, *keys.at(take - 1).id);
    return page;
}

} // namespace sightline::sandbox
