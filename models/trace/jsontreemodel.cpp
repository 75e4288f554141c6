#include "models/trace/jsontreemodel.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace sightline {

JsonTreeModel::JsonTreeModel(QObject *parent) : QAbstractItemModel(parent), m_root(std::make_unique<Node>())
{}

JsonTreeModel::~JsonTreeModel() = default;

void JsonTreeModel::clear()
{
    beginResetModel();
    m_root = std::make_unique<Node>();
    m_error.clear();
    endResetModel();
}

void JsonTreeModel::setJson(const QByteArray &bytes)
{
    beginResetModel();
    m_root = std::make_unique<Node>();
    m_error.clear();
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(bytes, &error);
    if (error.error != QJsonParseError::NoError)
        m_error = tr("Not JSON: %1 at byte %2").arg(error.errorString()).arg(error.offset);
    else if (doc.isObject())
        fill(*m_root, doc.object());
    else
        fill(*m_root, doc.array());
    endResetModel();
}

void JsonTreeModel::fill(Node &node, const QJsonValue &value)
{
    auto addChild = [&node](const QString &key, const QString &path, const QJsonValue &child) {
        auto c = std::make_unique<Node>();
        c->key = key;
        c->path = path;
        c->parent = &node;
        c->row = static_cast<int>(node.children.size());
        fill(*c, child);
        node.children.push_back(std::move(c));
    };
    switch (value.type()) {
    case QJsonValue::Object: {
        const QJsonObject o = value.toObject();
        node.type = QStringLiteral("object");
        node.value = tr("{%n field(s)}", nullptr, static_cast<int>(o.size()));
        for (auto it = o.begin(); it != o.end(); ++it)
            addChild(it.key(), node.path + u'/' + it.key(), it.value());
        break;
    }
    case QJsonValue::Array: {
        const QJsonArray a = value.toArray();
        node.type = QStringLiteral("array");
        node.value = tr("[%n item(s)]", nullptr, static_cast<int>(a.size()));
        for (int i = 0; i < a.size(); ++i)
            addChild(QStringLiteral("[%1]").arg(i), node.path + u'/' + QString::number(i), a.at(i));
        break;
    }
    case QJsonValue::String:
        node.type = QStringLiteral("string");
        node.value = value.toString();
        break;
    case QJsonValue::Double:
        node.type = QStringLiteral("number");
        node.value = QString::number(value.toDouble(), 'g', 17);
        break;
    case QJsonValue::Bool:
        node.type = QStringLiteral("boolean");
        node.value = value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
        break;
    case QJsonValue::Null:
        node.type = QStringLiteral("null");
        node.value = QStringLiteral("null");
        break;
    case QJsonValue::Undefined:
        break;
    }
}

const JsonTreeModel::Node *JsonTreeModel::node(const QModelIndex &index) const
{
    return index.isValid() ? static_cast<const Node *>(index.internalPointer()) : m_root.get();
}

QModelIndex JsonTreeModel::index(int row, int column, const QModelIndex &parent) const
{
    if (!hasIndex(row, column, parent))
        return {};
    const Node *p = node(parent);
    return createIndex(row, column, p->children[static_cast<size_t>(row)].get());
}

QModelIndex JsonTreeModel::parent(const QModelIndex &child) const
{
    if (!child.isValid())
        return {};
    const Node *p = node(child)->parent;
    if (!p || p == m_root.get())
        return {};
    return createIndex(p->row, 0, const_cast<Node *>(p));
}

int JsonTreeModel::rowCount(const QModelIndex &parent) const
{
    if (parent.isValid() && parent.column() != 0)
        return 0;
    return static_cast<int>(node(parent)->children.size());
}

int JsonTreeModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

QVariant JsonTreeModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const Node *n = node(index);
    if (role == PathRole)
        return n->path;
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    switch (index.column()) {
    case KeyColumn:
        return role == Qt::ToolTipRole ? n->path : n->key;
    case ValueColumn:
        return n->value;
    case TypeColumn:
        return n->type;
    default:
        return {};
    }
}

QVariant JsonTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case KeyColumn:
        return tr("Key");
    case ValueColumn:
        return tr("Value");
    case TypeColumn:
        return tr("Type");
    default:
        return {};
    }
}

QModelIndexList JsonTreeModel::find(const QString &text) const
{
    QModelIndexList out;
    if (!text.isEmpty())
        collect({}, text, out);
    return out;
}

void JsonTreeModel::collect(const QModelIndex &parent, const QString &text, QModelIndexList &out) const
{
    for (int r = 0; r < rowCount(parent); ++r) {
        const QModelIndex i = index(r, 0, parent);
        const Node *n = node(i);
        if (n->key.contains(text, Qt::CaseInsensitive) ||
            (n->children.empty() && n->value.contains(text, Qt::CaseInsensitive)))
            out.append(i);
        collect(i, text, out);
    }
}

} // namespace sightline
