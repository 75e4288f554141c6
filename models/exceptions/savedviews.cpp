#include "models/exceptions/savedviews.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QSaveFile>
#include <QStandardPaths>

namespace sightline {
namespace {

const char *const kSortNames[] = {"severity", "type",  "document", "partner",     "system",
                                  "status",   "owner", "age",      "occurrences", "detail"};

QStringList openStatuses()
{
    return {exceptionStatusName(ExceptionStatus::New), exceptionStatusName(ExceptionStatus::InProgress)};
}

QJsonArray array(const QStringList &list)
{
    return QJsonArray::fromStringList(list);
}

QStringList strings(const QJsonValue &v)
{
    QStringList out;
    for (const QJsonValue &s : v.toArray())
        out.append(s.toString());
    return out;
}

QJsonObject filterJson(const ExceptionFilter &f)
{
    QJsonObject o;
    auto put = [&o](const char *key, const QString &v) {
        if (!v.isEmpty())
            o.insert(QLatin1String(key), v);
    };
    auto putList = [&o](const char *key, const QStringList &v) {
        if (!v.isEmpty())
            o.insert(QLatin1String(key), array(v));
    };
    putList("statuses", f.statuses);
    putList("severities", f.severities);
    putList("document_kinds", f.documentKinds);
    put("type", f.type);
    put("system", f.system);
    put("partner", f.partner);
    put("warehouse", f.warehouse);
    put("owner", f.owner);
    put("family", f.family);
    put("signature", f.signature);
    if (f.minAgeMs > 0)
        o.insert(QStringLiteral("min_age_ms"), double(f.minAgeMs));
    return o;
}

ExceptionFilter filterFrom(const QJsonObject &o)
{
    ExceptionFilter f;
    f.statuses = strings(o.value(QLatin1String("statuses")));
    f.severities = strings(o.value(QLatin1String("severities")));
    f.documentKinds = strings(o.value(QLatin1String("document_kinds")));
    f.type = o.value(QLatin1String("type")).toString();
    f.system = o.value(QLatin1String("system")).toString();
    f.partner = o.value(QLatin1String("partner")).toString();
    f.warehouse = o.value(QLatin1String("warehouse")).toString();
    f.owner = o.value(QLatin1String("owner")).toString();
    f.family = o.value(QLatin1String("family")).toString();
    f.signature = o.value(QLatin1String("signature")).toString();
    f.minAgeMs = qint64(o.value(QLatin1String("min_age_ms")).toDouble());
    return f;
}

SavedView view(const QString &name, QStringList kinds, const QString &owner = {})
{
    SavedView v;
    v.name = name;
    v.filter.statuses = openStatuses();
    v.filter.documentKinds = std::move(kinds);
    v.filter.owner = owner;
    return v;
}

} // namespace

ExceptionFilter SavedView::resolvedFor(const QString &user) const
{
    ExceptionFilter f = filter;
    if (f.owner == kOwnerMe)
        f.owner = user;
    return f;
}

namespace savedviews {

QList<SavedView> defaultsFor(Role role)
{
    const QString mine = QObject::tr("My items");
    switch (role) {
    case Role::Buyer:
        return {view(QObject::tr("Purchasing"), defaultDocumentKinds(role)),
                view(mine, {}, QString::fromUtf16(kOwnerMe)), view(QObject::tr("All open"), {})};
    case Role::WarehouseSupervisor:
        return {view(QObject::tr("Warehouse"), defaultDocumentKinds(role)),
                view(mine, {}, QString::fromUtf16(kOwnerMe)), view(QObject::tr("All open"), {})};
    case Role::Manager:
    case Role::Admin: {
        SavedView urgent = view(QObject::tr("High and critical"), {});
        urgent.filter.severities = {exceptionSeverityName(ExceptionSeverity::High),
                                    exceptionSeverityName(ExceptionSeverity::Critical)};
        return {view(QObject::tr("All open"), {}), urgent};
    }
    case Role::CustomerService:
        break;
    }
    return {view(QObject::tr("All open"), {})};
}

QByteArray toJson(const QList<SavedView> &views)
{
    QJsonArray list;
    for (const SavedView &v : views) {
        list.append(
            QJsonObject{{QStringLiteral("name"), v.name},
                        {QStringLiteral("filter"), filterJson(v.filter)},
                        {QStringLiteral("sort"),
                         QJsonObject{{QStringLiteral("column"), QLatin1String(kSortNames[int(v.sort.key)])},
                                     {QStringLiteral("order"), v.sort.order == Qt::AscendingOrder
                                                                   ? QStringLiteral("ascending")
                                                                   : QStringLiteral("descending")}}},
                        {QStringLiteral("grouped"), v.grouped}});
    }
    return QJsonDocument(QJsonObject{{QStringLiteral("version"), 1}, {QStringLiteral("views"), list}})
        .toJson(QJsonDocument::Indented);
}

Result<QList<SavedView>> fromJson(const QByteArray &json)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
    if (!doc.isObject())
        return Error{QStringLiteral("saved views: not a JSON object (%1)").arg(error.errorString())};
    QList<SavedView> out;
    for (const QJsonValue &value : doc.object().value(QLatin1String("views")).toArray()) {
        const QJsonObject o = value.toObject();
        SavedView v;
        v.name = o.value(QLatin1String("name")).toString().trimmed();
        if (v.name.isEmpty())
            return Error{QStringLiteral("saved views: view %1 has no name").arg(out.size() + 1)};
        v.filter = filterFrom(o.value(QLatin1String("filter")).toObject());
        const QJsonObject sort = o.value(QLatin1String("sort")).toObject();
        const QString column = sort.value(QLatin1String("column")).toString(QStringLiteral("age"));
        for (int k = 0; k < int(std::size(kSortNames)); ++k) {
            if (column == QLatin1String(kSortNames[k]))
                v.sort.key = ExceptionSortKey(k);
        }
        v.sort.order = sort.value(QLatin1String("order")).toString() == u"ascending" ? Qt::AscendingOrder
                                                                                     : Qt::DescendingOrder;
        v.grouped = o.value(QLatin1String("grouped")).toBool(true);
        out.append(v);
    }
    return out;
}

QString defaultFile()
{
    const QString overridden = qEnvironmentVariable("SIGHTLINE_SAVED_VIEWS_FILE");
    if (!overridden.isEmpty())
        return overridden;
    return QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation) +
           QStringLiteral("/saved-views.json");
}

Result<QList<SavedView>> load(const QString &path, Role role)
{
    QFile f(path);
    if (!f.exists())
        return defaultsFor(role);
    if (!f.open(QIODevice::ReadOnly))
        return Error{QStringLiteral("cannot read the saved views %1: %2").arg(path, f.errorString())};
    auto views = fromJson(f.readAll());
    if (!views)
        return Error{QStringLiteral("%1 (in %2)").arg(views.error(), path)};
    return views;
}

Status save(const QString &path, const QList<SavedView> &views)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QSaveFile f(path); // a temporary file renamed over the old one: all or nothing
    if (!f.open(QIODevice::WriteOnly))
        return Error{QStringLiteral("cannot write the saved views %1: %2").arg(path, f.errorString())};
    f.write(toJson(views));
    if (!f.commit())
        return Error{QStringLiteral("cannot write the saved views %1: %2").arg(path, f.errorString())};
    return {};
}

} // namespace savedviews

SavedViewModel::SavedViewModel(QObject *parent) : QAbstractListModel(parent) {}

void SavedViewModel::setViews(QList<SavedView> views)
{
    beginResetModel();
    m_views = std::move(views);
    m_counts = QList<int>(m_views.size(), -1);
    endResetModel();
}

void SavedViewModel::setCounts(const QList<int> &counts)
{
    if (counts.size() != m_views.size() || counts == m_counts)
        return;
    m_counts = counts;
    if (!m_views.isEmpty())
        Q_EMIT dataChanged(index(0), index(int(m_views.size()) - 1), {Qt::DisplayRole, CountRole});
}

const SavedView *SavedViewModel::view(int row) const
{
    return row >= 0 && row < m_views.size() ? &m_views.at(row) : nullptr;
}

int SavedViewModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_views.size());
}

QVariant SavedViewModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_views.size() || index.column() != 0)
        return {};
    const SavedView &v = m_views.at(index.row());
    const int count = m_counts.value(index.row(), -1);
    switch (role) {
    case Qt::DisplayRole:
        return count < 0 ? v.name : QStringLiteral("%1  (%2)").arg(v.name, QLocale().toString(count));
    case Qt::ToolTipRole:
        return tr("%1: %n open", nullptr, std::max(count, 0)).arg(v.name);
    case NameRole:
        return v.name;
    case CountRole:
        return count;
    default:
        return {};
    }
}

} // namespace sightline
