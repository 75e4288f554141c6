#pragma once

#include <QAbstractItemModel>
#include <QByteArray>
#include <QJsonValue>
#include <QList>
#include <QString>
#include <memory>
#include <vector>

namespace sightline {

// A JSON document as a tree of key, value and type, for the payload inspector. Input that is not
// JSON leaves the tree empty and says why (parseError).
class JsonTreeModel : public QAbstractItemModel
{
    Q_OBJECT
public:
    enum Column { KeyColumn, ValueColumn, TypeColumn, ColumnCount };
    enum Role { PathRole = Qt::UserRole + 1 };

    explicit JsonTreeModel(QObject *parent = nullptr);
    ~JsonTreeModel() override;

    void setJson(const QByteArray &bytes);
    void clear();
    QString parseError() const { return m_error; }

    // Every index (column 0) whose key or value contains text, case-insensitively, depth first.
    QModelIndexList find(const QString &text) const;

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct Node
    {
        QString key;
        QString value;
        QString type;
        QString path;
        Node *parent = nullptr;
        int row = 0;
        std::vector<std::unique_ptr<Node>> children;
    };

    static void fill(Node &node, const QJsonValue &value);
    void collect(const QModelIndex &parent, const QString &text, QModelIndexList &out) const;
    const Node *node(const QModelIndex &index) const;

    std::unique_ptr<Node> m_root;
    QString m_error;
};

} // namespace sightline
