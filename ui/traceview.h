#pragma once

#include "models/domain/trace.h"
#include "models/trace/traceassessment.h"

#include <QWidget>

class QLabel;
class QSplitter;
class QTableView;
class QTreeView;

namespace sightline {

class PayloadInspector;
class TimelineWidget;
class TraceDocumentModel;
class TraceEventModel;
class TraceIssueModel;
class TraceReader;

// One trace end to end: the swimlane timeline on top; below it the document tree and what needs
// attention, the event table, and the payload inspector of the selected event. Reads go through
// the TraceReader (its own thread); showing the same trace again keeps selection and scroll.
class TraceView : public QWidget
{
    Q_OBJECT
public:
    explicit TraceView(TraceReader *reader, QWidget *parent = nullptr);

    void openTrace(qint64 traceId);
    void reload();
    qint64 traceId() const { return m_trace.id; }
    const Trace &trace() const { return m_trace; }
    QString title() const;

    void selectEvent(qint64 eventRowId);
    qint64 selectedEvent() const;

    // The clock the gap marking measures against; the wall clock unless set (tests, screenshots).
    void setNow(qint64 nowMs) { m_fixedNowMs = nowMs; }

    TimelineWidget *timeline() const { return m_timeline; }
    QTableView *eventTable() const { return m_events; }
    QTreeView *documentTree() const { return m_documents; }
    QTableView *issueTable() const { return m_issues; }
    PayloadInspector *inspector() const { return m_inspector; }
    TraceEventModel *eventModel() const { return m_eventModel; }
    TraceIssueModel *issueModel() const { return m_issueModel; }

    QString exportJson(const QString &path) const;
    QString exportCsv(const QString &path) const;
    QString exportTimelinePng(const QString &path) const;

    QByteArray saveSplitters() const;
    void restoreSplitters(const QByteArray &state);

Q_SIGNALS:
    void traceShown(qint64 traceId);
    void payloadShown(qint64 eventRowId);
    // The open trace no longer exists: a link merged it into another, which holds this document.
    void traceMerged(const QString &documentKey);
    // One of the trace's exceptions was chosen (its link): show it in the exception queue.
    void exceptionChosen(qint64 exceptionId);

private:
    void showTrace(const Trace &trace);
    QWidget *attentionPane();
    void showExceptions(const Trace &trace);
    void onEventSelected();
    void onDocumentSelected();
    void onIssueActivated(const QModelIndex &index);
    qint64 now() const;

    TraceReader *m_reader;
    Trace m_trace;
    TraceAssessment m_assessment;
    qint64 m_pendingTraceId = 0;
    bool m_loading = false;      // a load of m_pendingTraceId is with the reader
    bool m_reloadQueued = false; // events arrived for it meanwhile
    qint64 m_fixedNowMs = 0;
    QLabel *m_header = nullptr;
    QLabel *m_summary = nullptr;
    QLabel *m_exceptionLinks = nullptr;
    TimelineWidget *m_timeline = nullptr;
    QTreeView *m_documents = nullptr;
    QTableView *m_events = nullptr;
    QTableView *m_issues = nullptr;
    PayloadInspector *m_inspector = nullptr;
    TraceDocumentModel *m_documentModel = nullptr;
    TraceEventModel *m_eventModel = nullptr;
    TraceIssueModel *m_issueModel = nullptr;
    QList<QSplitter *> m_splitters;
};

} // namespace sightline
