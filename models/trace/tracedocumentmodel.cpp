#include "models/trace/tracedocumentmodel.h"

#include <QStringList>

namespace sightline {

int documentFlowRank(DocumentKind kind)
{
    switch (kind) {
    case DocumentKind::Quote:
        return 0;
    case DocumentKind::SalesOrder:
    case DocumentKind::PurchaseOrder:
        return 1;
    case DocumentKind::SalesOrderLine:
    case DocumentKind::PurchaseOrderLine:
        return 2;
    case DocumentKind::Release:
    case DocumentKind::PoAcknowledgment:
        return 3;
    case DocumentKind::Shipment:
    case DocumentKind::Asn:
        return 4;
    case DocumentKind::Receipt:
        return 5;
    case DocumentKind::Invoice:
    case DocumentKind::SupplierInvoice:
        return 6;
    case DocumentKind::Return:
        return 7;
    }
    return 8;
}

TraceDocumentModel::TraceDocumentModel(QObject *parent) : QAbstractItemModel(parent) {}

void TraceDocumentModel::setTrace(const Trace &trace)
{
    beginResetModel();
    m_trace = trace;
    build();
    endResetModel();
}

void TraceDocumentModel::build()
{
    m_nodes.clear();
    m_roots.clear();
    QHash<qint64, int> byId;
    for (int i = 0; i < m_trace.documents.size(); ++i) {
        Node n;
        n.document = i;
        m_nodes.append(n);
        byId.insert(m_trace.documents[i].id, i);
    }
    for (const TraceEvent &e : std::as_const(m_trace.events)) {
        const int i = byId.value(e.documentId, -1);
        if (i < 0)
            continue;
        ++m_nodes[i].events;
        if (!e.milestone.isEmpty())
            m_nodes[i].latestMilestone = e.milestone;
    }
    // Each document takes the first linked document earlier in the flow as its parent. Ties of
    // rank go to the older document, so the parent chain always climbs and never loops.
    auto before = [this](int a, int b) {
        const int ra = documentFlowRank(m_trace.documents[a].ref.kind);
        const int rb = documentFlowRank(m_trace.documents[b].ref.kind);
        return ra != rb ? ra < rb : m_trace.documents[a].id < m_trace.documents[b].id;
    };
    for (const TraceLink &l : std::as_const(m_trace.links)) {
        const int a = byId.value(l.fromId, -1);
        const int b = byId.value(l.toId, -1);
        if (a < 0 || b < 0 || a == b)
            continue;
        const int parent = before(a, b) ? a : b;
        const int child = parent == a ? b : a;
        if (m_nodes[child].parent < 0)
            m_nodes[child].parent = parent;
    }
    for (int i = 0; i < m_nodes.size(); ++i) {
        Node &n = m_nodes[i];
        QList<int> &siblings = n.parent < 0 ? m_roots : m_nodes[n.parent].children;
        n.row = static_cast<int>(siblings.size());
        siblings.append(i);
    }
}

const TraceDocumentModel::Node *TraceDocumentModel::node(const QModelIndex &index) const
{
    if (!index.isValid())
        return nullptr;
    return &m_nodes[static_cast<int>(index.internalId())];
}

QModelIndex TraceDocumentModel::indexOfDocument(qint64 documentId) const
{
    for (const Node &n : m_nodes) {
        if (m_trace.documents[n.document].id == documentId)
            return createIndex(n.row, 0, static_cast<quintptr>(n.document));
    }
    return {};
}

QModelIndex TraceDocumentModel::index(int row, int column, const QModelIndex &parent) const
{
    if (!hasIndex(row, column, parent))
        return {};
    const QList<int> &siblings = parent.isValid() ? node(parent)->children : m_roots;
    return createIndex(row, column, static_cast<quintptr>(siblings[row]));
}

QModelIndex TraceDocumentModel::parent(const QModelIndex &child) const
{
    const Node *n = node(child);
    if (!n || n->parent < 0)
        return {};
    return createIndex(m_nodes[n->parent].row, 0, static_cast<quintptr>(n->parent));
}

int TraceDocumentModel::rowCount(const QModelIndex &parent) const
{
    if (!parent.isValid())
        return static_cast<int>(m_roots.size());
    if (parent.column() != 0)
        return 0;
    return static_cast<int>(node(parent)->children.size());
}

int TraceDocumentModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

QVariant TraceDocumentModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const Node *n = node(index);
    const TraceDocument &d = m_trace.documents[n->document];
    if (role == DocumentIdRole)
        return d.id;
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    switch (index.column()) {
    case DocumentColumn:
        return QStringLiteral("%1 %2").arg(documentKindLabel(d.ref.kind), d.ref.key);
    case IdentifiersColumn: {
        QStringList ids;
        for (const Identifier &i : d.identifiers)
            ids.append(QStringLiteral("%1 %2").arg(i.scheme, i.value));
        return ids.join(QStringLiteral(", "));
    }
    case EventsColumn:
        return n->events;
    case LatestColumn:
        return n->latestMilestone;
    default:
        return {};
    }
}

QVariant TraceDocumentModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case DocumentColumn:
        return tr("Document");
    case IdentifiersColumn:
        return tr("Also known as");
    case EventsColumn:
        return tr("Events");
    case LatestColumn:
        return tr("Latest milestone");
    default:
        return {};
    }
}

} // namespace sightline
