#pragma once

#include "models/domain/trace.h"
#include "models/trace/traceassessment.h"

#include <QAbstractScrollArea>
#include <QImage>
#include <QSet>
#include <QStringList>

namespace sightline {

// The swimlane timeline: one lane per system, each event a marker at its occurrence time
// (milestones as diamonds), the time between consecutive milestones labelled, expected
// milestones that are missing or overdue drawn where they are due (amber at risk, red
// breached), and events in a conflict ringed in red. Zoom with Ctrl+wheel or +/-; scroll with
// the wheel. Only the visible time range is painted, so traces of thousands of events stay smooth.
class TimelineWidget : public QAbstractScrollArea
{
    Q_OBJECT
public:
    explicit TimelineWidget(QWidget *parent = nullptr);

    // A different trace fits itself to the width; the same trace again keeps zoom and scroll.
    void setTrace(const Trace &trace, const TraceAssessment &assessment, qint64 nowMs);
    void setSelectedEvent(qint64 eventRowId);

    void zoomIn();
    void zoomOut();
    void fitToWidth();

    // The whole trace drawn at a width that shows it all (at most maxWidth pixels wide).
    QImage renderImage(int maxWidth = 2400) const;

    const QStringList &lanes() const { return m_lanes; }
    double msPerPixel() const { return m_msPerPixel; }

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

Q_SIGNALS:
    void eventClicked(qint64 eventRowId);

protected:
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    bool viewportEvent(QEvent *event) override;

private:
    struct Geometry
    {
        int width = 0;
        int height = 0;
        double scrollPx = 0;
        double msPerPixel = 1;
    };

    void paintContent(QPainter &p, const Geometry &g) const;
    void paintAxis(QPainter &p, const Geometry &g, qint64 fromMs, qint64 toMs) const;
    void paintLanes(QPainter &p, const Geometry &g) const;
    void paintDurations(QPainter &p, const Geometry &g, int first, int last) const;
    void paintEvents(QPainter &p, const Geometry &g, int first, int last) const;
    void paintGaps(QPainter &p, const Geometry &g) const;
    void paintSlaTargets(QPainter &p, const Geometry &g) const;
    void paintNow(QPainter &p, const Geometry &g) const;

    Geometry currentGeometry() const;
    double xFor(const Geometry &g, qint64 ms) const;
    qint64 msAt(const Geometry &g, double x) const;
    int laneY(int lane) const;
    int laneOf(const QString &system) const;
    int eventAt(const QPoint &pos) const;
    void visibleRange(const Geometry &g, int &first, int &last) const;
    void zoomAround(double factor, double x);
    void updateScrollBar();
    double contentWidth(double msPerPixel) const;

    Trace m_trace;
    TraceAssessment m_assessment;
    QSet<qint64> m_conflictEvents;
    QStringList m_lanes;
    QList<qint64> m_times; // occurrence time of each event, ascending (binary search)
    qint64 m_nowMs = 0;
    qint64 m_startMs = 0;
    qint64 m_endMs = 1;
    double m_msPerPixel = 1000;
    qint64 m_selected = 0;
    int m_hovered = -1;
};

} // namespace sightline
