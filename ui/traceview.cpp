#include "ui/traceview.h"

#include "models/domain/timestamp.h"
#include "models/export/traceexport.h"
#include "models/trace/tracecsv.h"
#include "models/trace/tracedocumentmodel.h"
#include "models/trace/traceeventmodel.h"
#include "models/trace/traceissuemodel.h"
#include "models/trace/tracereader.h"
#include "ui/payloadinspector.h"
#include "ui/theme.h"
#include "ui/timelinewidget.h"

#include <QDataStream>
#include <QHeaderView>
#include <QIODevice>
#include <QLabel>
#include <QSaveFile>
#include <QScrollBar>
#include <QSplitter>
#include <QStyledItemDelegate>
#include <QTableView>
#include <QTreeView>
#include <QVBoxLayout>

namespace sightline {
namespace {

// Rows of the event table in a conflict, and the state cell of the issues table, in their colour.
class SeverityDelegate : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override
    {
        QStyledItemDelegate::initStyleOption(option, index);
        const QVariant conflict = index.data(TraceEventModel::ConflictRole);
        if (conflict.isValid() && conflict.toBool())
            option->palette.setColor(QPalette::Text, Theme::breached());
        const QVariant severity = index.data(TraceIssueModel::SeverityRole);
        if (severity.isValid() && index.column() == TraceIssueModel::SeverityColumn) {
            switch (static_cast<GapSeverity>(severity.toInt())) {
            case GapSeverity::Breached:
                option->palette.setColor(QPalette::Text, Theme::breached());
                break;
            case GapSeverity::AtRisk:
                option->palette.setColor(QPalette::Text, Theme::atRisk());
                break;
            case GapSeverity::Pending:
                option->palette.setColor(QPalette::Text, Theme::pending());
                break;
            }
            option->font.setBold(true);
        }
    }
};

QString writeFile(const QString &path, const QByteArray &bytes)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return QObject::tr("Cannot write %1: %2").arg(path, file.errorString());
    file.write(bytes);
    if (!file.commit())
        return QObject::tr("Cannot write %1: %2").arg(path, file.errorString());
    return {};
}

// Rows measured when sizing columns to their contents.
constexpr int contentsPrecision = 200;

QTableView *makeTable(QAbstractItemModel *model, QWidget *parent)
{
    auto *table = new QTableView(parent);
    table->setModel(model);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setSelectionMode(QAbstractItemView::SingleSelection);
    table->setAlternatingRowColors(true);
    table->verticalHeader()->hide();
    table->verticalHeader()->setDefaultSectionSize(table->fontMetrics().height() + 8);
    table->horizontalHeader()->setHighlightSections(false);
    table->setWordWrap(false);
    table->setItemDelegate(new SeverityDelegate(table));
    return table;
}

} // namespace

TraceView::TraceView(TraceReader *reader, QWidget *parent)
    : QWidget(parent), m_reader(reader), m_documentModel(new TraceDocumentModel(this)),
      m_eventModel(new TraceEventModel(this)), m_issueModel(new TraceIssueModel(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    m_header = new QLabel(this);
    QFont big = m_header->font();
    big.setPointSizeF(big.pointSizeF() * 1.3);
    big.setBold(true);
    m_header->setFont(big);
    m_summary = new QLabel(this);
    m_summary->setTextFormat(Qt::RichText);
    layout->addWidget(m_header);
    layout->addWidget(m_summary);

    m_timeline = new TimelineWidget(this);
    m_documents = new QTreeView(this);
    m_documents->setModel(m_documentModel);
    m_documents->setUniformRowHeights(true);
    m_documents->setAlternatingRowColors(true);
    m_documents->setAccessibleName(tr("Documents"));
    m_documents->header()->setResizeContentsPrecision(contentsPrecision);
    m_events = makeTable(m_eventModel, this);
    m_events->setAccessibleName(tr("Events"));
    // Columns are sized when a trace opens, not on every live reload: sizing to contents measures
    // rows, and a live trace reloads several times a second.
    m_events->horizontalHeader()->setResizeContentsPrecision(contentsPrecision);
    m_events->horizontalHeader()->setStretchLastSection(true);
    m_issues = makeTable(m_issueModel, this);
    m_issues->setAccessibleName(tr("Needs attention"));
    m_issues->horizontalHeader()->setSectionResizeMode(TraceIssueModel::WhatColumn, QHeaderView::Stretch);
    m_issues->horizontalHeader()->setSectionResizeMode(TraceIssueModel::SeverityColumn,
                                                       QHeaderView::ResizeToContents);
    m_inspector = new PayloadInspector(this);

    auto *left = new QSplitter(Qt::Vertical, this);
    left->addWidget(m_documents);
    left->addWidget(attentionPane());
    auto *bottom = new QSplitter(Qt::Horizontal, this);
    bottom->addWidget(left);
    bottom->addWidget(m_events);
    bottom->addWidget(m_inspector);
    bottom->setStretchFactor(0, 3);
    bottom->setStretchFactor(1, 5);
    bottom->setStretchFactor(2, 3);
    auto *main = new QSplitter(Qt::Vertical, this);
    main->addWidget(m_timeline);
    main->addWidget(bottom);
    main->setStretchFactor(0, 2);
    main->setStretchFactor(1, 3);
    layout->addWidget(main, 1);
    m_splitters = {main, bottom, left};

    connect(m_reader, &TraceReader::traceReady, this, &TraceView::showTrace);
    connect(m_reader, &TraceReader::readFailed, this, [this] { m_loading = false; });
    connect(m_reader, &TraceReader::payloadReady, this, [this](qint64 rowId, const QByteArray &payload) {
        if (rowId != selectedEvent())
            return;
        m_inspector->showPayload(rowId, payload);
        Q_EMIT payloadShown(rowId);
    });
    connect(m_events->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &TraceView::onEventSelected);
    connect(m_documents->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &TraceView::onDocumentSelected);
    connect(m_issues, &QTableView::activated, this, &TraceView::onIssueActivated);
    connect(m_issues, &QTableView::clicked, this, &TraceView::onIssueActivated);
    connect(m_timeline, &TimelineWidget::eventClicked, this, &TraceView::selectEvent);
}

// What needs attention: gaps and conflicts found in the trace, and its open exceptions as links
// to the exception queue.
QWidget *TraceView::attentionPane()
{
    m_exceptionLinks = new QLabel(this);
    m_exceptionLinks->setObjectName(QStringLiteral("traceExceptions"));
    m_exceptionLinks->setWordWrap(true);
    m_exceptionLinks->setTextFormat(Qt::RichText);
    m_exceptionLinks->setTextInteractionFlags(Qt::LinksAccessibleByMouse | Qt::LinksAccessibleByKeyboard);
    m_exceptionLinks->setAccessibleName(tr("Exceptions of this trace"));
    connect(m_exceptionLinks, &QLabel::linkActivated, this, [this](const QString &link) {
        if (link.startsWith(QLatin1String("exception:")))
            Q_EMIT exceptionChosen(QStringView(link).mid(10).toLongLong());
    });
    auto *pane = new QWidget(this);
    auto *layout = new QVBoxLayout(pane);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_issues, 1);
    layout->addWidget(m_exceptionLinks);
    return pane;
}

void TraceView::showExceptions(const Trace &trace)
{
    if (trace.exceptions.isEmpty()) {
        m_exceptionLinks->setText(tr("No open exceptions in this trace."));
        return;
    }
    QStringList links;
    for (const TraceException &e : trace.exceptions)
        links << QStringLiteral("<a href=\"exception:%1\">%2</a> (%3, %4)")
                     .arg(e.id)
                     .arg(e.title.toHtmlEscaped(), e.severity, e.status);
    m_exceptionLinks->setText(tr("Exceptions: %1").arg(links.join(QStringLiteral(" · "))));
}

qint64 TraceView::now() const
{
    return m_fixedNowMs > 0 ? m_fixedNowMs : nowMs();
}

void TraceView::openTrace(qint64 traceId)
{
    m_pendingTraceId = traceId;
    m_loading = true;
    m_reloadQueued = false;
    m_reader->openTrace(traceId);
}

void TraceView::reload()
{
    if (m_trace.id == 0)
        return;
    // One load at a time: a newer request would make the reader drop the one in flight, and
    // under a steady stream of events every load would be dropped. Reload once it is back.
    if (m_loading && m_pendingTraceId == m_trace.id) {
        m_reloadQueued = true;
        return;
    }
    openTrace(m_trace.id);
}

QString TraceView::title() const
{
    if (m_trace.isEmpty())
        return {};
    // The flow's root names the trace: the first document of the lowest flow rank.
    const TraceDocument *root = &m_trace.documents.front();
    for (const TraceDocument &d : m_trace.documents) {
        if (documentFlowRank(d.ref.kind) < documentFlowRank(root->ref.kind))
            root = &d;
    }
    return QStringLiteral("%1 %2").arg(documentKindLabel(root->ref.kind), root->ref.key);
}

void TraceView::showTrace(const Trace &trace)
{
    if (trace.id != m_pendingTraceId)
        return;
    m_loading = false;
    if (m_reloadQueued)
        QMetaObject::invokeMethod(this, &TraceView::reload, Qt::QueuedConnection);
    if (trace.isEmpty() && trace.id == m_trace.id && !m_trace.isEmpty()) {
        // Merged into another trace while open: keep what is shown until that one is found.
        Q_EMIT traceMerged(m_trace.documents.front().ref.key);
        return;
    }
    const bool sameTrace = trace.id == m_trace.id;
    const qint64 selected = sameTrace ? selectedEvent() : 0;
    const int eventScroll = m_events->verticalScrollBar()->value();
    const qint64 selectedDocument =
        m_documents->currentIndex().data(TraceDocumentModel::DocumentIdRole).toLongLong();

    m_trace = trace;
    m_assessment = assessTrace(trace, now());
    QSet<qint64> conflictEvents;
    for (const StatusConflict &c : std::as_const(m_assessment.conflicts)) {
        conflictEvents.insert(c.aheadEventRowId);
        conflictEvents.insert(c.behindEventRowId);
    }
    {
        const QSignalBlocker blockEvents(m_events->selectionModel());
        const QSignalBlocker blockDocuments(m_documents->selectionModel());
        m_eventModel->setTrace(trace, conflictEvents);
        m_documentModel->setTrace(trace);
        m_issueModel->setAssessment(trace, m_assessment);
        m_documents->expandAll();
        if (sameTrace && selectedDocument != 0)
            m_documents->setCurrentIndex(m_documentModel->indexOfDocument(selectedDocument));
        if (selected != 0) {
            const int row = m_eventModel->rowOfEvent(selected);
            if (row >= 0)
                m_events->setCurrentIndex(m_eventModel->index(row, 0));
        }
    }
    if (sameTrace) {
        m_events->verticalScrollBar()->setValue(eventScroll);
    } else {
        m_inspector->clear();
        m_events->resizeColumnsToContents();
        m_documents->resizeColumnToContents(TraceDocumentModel::DocumentColumn);
    }
    showExceptions(trace);
    m_timeline->setTrace(trace, m_assessment, now());
    // Room for every lane: take it from the tables below when the timeline is shorter.
    QList<int> sizes = m_splitters.front()->sizes();
    const int needed = std::min(m_timeline->sizeHint().height(), (sizes[0] + sizes[1]) / 2);
    if (sizes[0] < needed) {
        sizes[1] -= needed - sizes[0];
        sizes[0] = needed;
        m_splitters.front()->setSizes(sizes);
    }
    m_timeline->setSelectedEvent(selected);

    m_header->setText(tr("%1  ·  trace %2").arg(title()).arg(trace.id));
    int breached = 0;
    int atRisk = 0;
    for (const MilestoneGap &g : std::as_const(m_assessment.gaps)) {
        breached += g.severity == GapSeverity::Breached ? 1 : 0;
        atRisk += g.severity == GapSeverity::AtRisk ? 1 : 0;
    }
    QString summary = tr("%n document(s)", nullptr, static_cast<int>(trace.documents.size())) +
                      QStringLiteral(" · ") +
                      tr("%n event(s)", nullptr, static_cast<int>(trace.events.size()));
    if (breached)
        summary += QStringLiteral(" · <b style='color:%1'>%2</b>")
                       .arg(Theme::breached().name(), tr("%n overdue", nullptr, breached));
    if (atRisk)
        summary += QStringLiteral(" · <b style='color:%1'>%2</b>")
                       .arg(Theme::atRisk().name(), tr("%n at risk or missing", nullptr, atRisk));
    if (!m_assessment.conflicts.isEmpty())
        summary += QStringLiteral(" · <b style='color:%1'>%2</b>")
                       .arg(Theme::breached().name(),
                            tr("%n conflict(s)", nullptr, static_cast<int>(m_assessment.conflicts.size())));
    m_summary->setText(summary);
    Q_EMIT traceShown(trace.id);
}

qint64 TraceView::selectedEvent() const
{
    const QModelIndex current = m_events->currentIndex();
    return current.isValid() ? current.data(TraceEventModel::EventRowIdRole).toLongLong() : 0;
}

void TraceView::selectEvent(qint64 eventRowId)
{
    const int row = m_eventModel->rowOfEvent(eventRowId);
    if (row < 0)
        return;
    const QModelIndex index = m_eventModel->index(row, 0);
    m_events->setCurrentIndex(index);
    m_events->scrollTo(index);
}

void TraceView::onEventSelected()
{
    const qint64 rowId = selectedEvent();
    m_timeline->setSelectedEvent(rowId);
    if (rowId == 0)
        return;
    m_inspector->showLoading(rowId);
    m_reader->openPayload(rowId);
}

void TraceView::onDocumentSelected()
{
    const qint64 documentId =
        m_documents->currentIndex().data(TraceDocumentModel::DocumentIdRole).toLongLong();
    for (int row = 0; row < m_eventModel->rowCount(); ++row) {
        const QModelIndex index = m_eventModel->index(row, 0);
        if (index.data(TraceEventModel::DocumentIdRole).toLongLong() == documentId) {
            m_events->scrollTo(index, QAbstractItemView::PositionAtTop);
            return;
        }
    }
}

void TraceView::onIssueActivated(const QModelIndex &index)
{
    const qint64 eventRowId = index.data(TraceIssueModel::EventRowIdRole).toLongLong();
    if (eventRowId != 0) {
        selectEvent(eventRowId);
        return;
    }
    const qint64 documentId = index.data(TraceIssueModel::DocumentIdRole).toLongLong();
    m_documents->setCurrentIndex(m_documentModel->indexOfDocument(documentId));
}

QString TraceView::exportJson(const QString &path) const
{
    return writeFile(path, traceToJson(m_trace));
}

QString TraceView::exportCsv(const QString &path) const
{
    return writeFile(path, traceToCsv(m_trace));
}

QString TraceView::exportTimelinePng(const QString &path) const
{
    const QImage image = m_timeline->renderImage();
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || !image.save(&file, "PNG") || !file.commit())
        return tr("Cannot write %1: %2").arg(path, file.errorString());
    return {};
}

QByteArray TraceView::saveSplitters() const
{
    QByteArray out;
    QDataStream s(&out, QIODevice::WriteOnly);
    for (QSplitter *splitter : m_splitters)
        s << splitter->saveState();
    return out;
}

void TraceView::restoreSplitters(const QByteArray &state)
{
    QDataStream s(state);
    for (QSplitter *splitter : std::as_const(m_splitters)) {
        QByteArray one;
        s >> one;
        if (s.status() != QDataStream::Ok)
            return;
        splitter->restoreState(one);
    }
}

} // namespace sightline
