#pragma once

#include "models/domain/trace.h"

#include <QAbstractItemModel>
#include <QHash>
#include <QList>

namespace sightline {

// The documents of a trace as a tree that follows the flow: order -> lines -> release ->
// shipments -> invoice; PO -> acknowledgment -> ASN -> receipt -> supplier invoice. A link makes
// the document earlier in its flow the parent of the other.
class TraceDocumentModel : public QAbstractItemModel
{
    Q_OBJECT
public:
    enum Column { DocumentColumn, IdentifiersColumn, EventsColumn, LatestColumn, ColumnCount };
    enum Role { DocumentIdRole = Qt::UserRole + 1 };

    explicit TraceDocumentModel(QObject *parent = nullptr);

    void setTrace(const Trace &trace);
    QModelIndex indexOfDocument(qint64 documentId) const;

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct Node
    {
        int document = -1; // index into m_trace.documents
        int parent = -1;   // index into m_nodes, -1 for a root
        int row = 0;       // row under its parent
        QList<int> children;
        int events = 0;
        QString latestMilestone;
    };

    void build();
    const Node *node(const QModelIndex &index) const;

    Trace m_trace;
    QList<Node> m_nodes; // one per document, same order
    QList<int> m_roots;
};

// Where a document kind sits in its flow; a link's parent is the side with the lower rank.
int documentFlowRank(DocumentKind kind);

} // namespace sightline
