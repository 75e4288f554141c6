#include "ui/timelinewidget.h"

#include "models/export/traceexport.h"
#include "ui/theme.h"

#include <QDateTime>
#include <QKeyEvent>
#include <QPainter>
#include <QPainterPath>
#include <QScrollBar>
#include <QTimeZone>
#include <QToolTip>
#include <algorithm>
#include <cmath>

namespace sightline {
namespace {

constexpr int gutter = 84; // lane names
constexpr int rightMargin = 40;
constexpr int axisHeight = 26; // time ticks
constexpr int durationStrip = 20;
constexpr int laneHeight = 46;
constexpr int markerRadius = 6;
constexpr double minMsPerPixel = 50;                            // 20 px per second at most
constexpr double maxMsPerPixel = 30.0 * 24 * 3600 * 1000 / 200; // a month in 200 px

const QStringList &preferredLaneOrder()
{
    static const QStringList order{QStringLiteral("erp"), QStringLiteral("wms"), QStringLiteral("portal"),
                                   QStringLiteral("carrier"), QStringLiteral("broker")};
    return order;
}

qint64 niceTickStep(double msPerPixel)
{
    static const qint64 steps[] = {1000,           5000,           15000,           60000,
                                   5 * 60000,      15 * 60000,     30 * 60000,      3600000,
                                   2 * 3600000,    6 * 3600000,    12 * 3600000,    24 * 3600000LL,
                                   2 * 86400000LL, 7 * 86400000LL, 14 * 86400000LL, 30 * 86400000LL};
    for (qint64 s : steps) {
        if (s / msPerPixel >= 90)
            return s;
    }
    return 30 * 86400000LL;
}

QString tickLabel(qint64 ms, qint64 step)
{
    const QDateTime t = QDateTime::fromMSecsSinceEpoch(ms, QTimeZone::utc());
    if (step >= 86400000LL)
        return t.toString(QStringLiteral("ddd d MMM"));
    if (t.time().hour() == 0 && t.time().minute() == 0 && t.time().second() == 0)
        return t.toString(QStringLiteral("d MMM"));
    if (step < 60000)
        return t.toString(QStringLiteral("HH:mm:ss"));
    return t.toString(QStringLiteral("HH:mm"));
}

QColor severityColor(GapSeverity s)
{
    switch (s) {
    case GapSeverity::Breached:
        return Theme::breached();
    case GapSeverity::AtRisk:
        return Theme::atRisk();
    case GapSeverity::Pending:
        break;
    }
    return Theme::pending();
}

void drawDiamond(QPainter &p, QPointF c, double r)
{
    const QPointF pts[] = {{c.x(), c.y() - r}, {c.x() + r, c.y()}, {c.x(), c.y() + r}, {c.x() - r, c.y()}};
    p.drawPolygon(pts, 4);
}

} // namespace

TimelineWidget::TimelineWidget(QWidget *parent) : QAbstractScrollArea(parent)
{
    setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOn);
    setFocusPolicy(Qt::StrongFocus);
    viewport()->setMouseTracking(true);
    setAccessibleName(tr("Timeline"));
    connect(horizontalScrollBar(), &QScrollBar::valueChanged, viewport(), [this] { viewport()->update(); });
}

QSize TimelineWidget::sizeHint() const
{
    const int lanes = std::max<int>(3, static_cast<int>(m_lanes.size()));
    return {900, axisHeight + durationStrip + lanes * laneHeight + 24};
}

QSize TimelineWidget::minimumSizeHint() const
{
    return {300, axisHeight + durationStrip + 2 * laneHeight};
}

void TimelineWidget::setTrace(const Trace &trace, const TraceAssessment &assessment, qint64 nowMs)
{
    const bool sameTrace = trace.id == m_trace.id && !m_trace.isEmpty();
    m_trace = trace;
    m_assessment = assessment;
    m_nowMs = nowMs;
    m_conflictEvents.clear();
    for (const StatusConflict &c : assessment.conflicts) {
        m_conflictEvents.insert(c.aheadEventRowId);
        m_conflictEvents.insert(c.behindEventRowId);
    }
    QStringList systems;
    m_times.clear();
    for (const TraceEvent &e : std::as_const(m_trace.events)) {
        m_times.append(e.occurredMs);
        const QString s = e.system.isEmpty() ? tr("other") : e.system;
        if (!systems.contains(s))
            systems.append(s);
    }
    for (const MilestoneGap &gap : assessment.gaps) {
        if (!systems.contains(gap.system))
            systems.append(gap.system);
    }
    std::stable_sort(systems.begin(), systems.end(), [](const QString &a, const QString &b) {
        auto rank = [](const QString &s) {
            const auto i = preferredLaneOrder().indexOf(s);
            return i < 0 ? 100 : static_cast<int>(i);
        };
        return rank(a) < rank(b);
    });
    m_lanes = systems;
    m_startMs = m_times.isEmpty() ? nowMs : m_times.front();
    m_endMs = m_times.isEmpty() ? nowMs : m_times.back();
    for (const MilestoneGap &gap : assessment.gaps) {
        // An open gap shows how late it is: its due time and now are both in range.
        if (!gap.skipped)
            m_endMs = std::max({m_endMs, std::min(gap.dueMs, std::max(nowMs, m_endMs) + 7 * 86400000LL),
                                std::min(nowMs, m_endMs + 30 * 86400000LL)});
    }
    for (const TraceSlaTarget &t : m_trace.slaTargets) {
        // An SLA target shows where it falls, as long as it is within a week of the trace.
        if (t.dueMs && *t.dueMs > m_endMs && *t.dueMs < m_endMs + 7 * 86400000LL)
            m_endMs = *t.dueMs;
    }
    if (m_endMs <= m_startMs)
        m_endMs = m_startMs + 60000;
    const qint64 pad = std::max<qint64>((m_endMs - m_startMs) / 20, 60000);
    m_startMs -= pad;
    m_endMs += pad;
    updateGeometry();
    if (!sameTrace) {
        m_selected = 0;
        fitToWidth();
    } else {
        updateScrollBar();
        viewport()->update();
    }
}

void TimelineWidget::setSelectedEvent(qint64 eventRowId)
{
    m_selected = eventRowId;
    // Bring the selected event into view.
    for (const TraceEvent &e : std::as_const(m_trace.events)) {
        if (e.rowId != eventRowId)
            continue;
        const Geometry g = currentGeometry();
        const double x = xFor(g, e.occurredMs);
        if (x < gutter || x > g.width - rightMargin) {
            horizontalScrollBar()->setValue(
                static_cast<int>(g.scrollPx + x - gutter - (g.width - gutter - rightMargin) / 2.0));
        }
        break;
    }
    viewport()->update();
}

double TimelineWidget::contentWidth(double msPerPixel) const
{
    return static_cast<double>(m_endMs - m_startMs) / msPerPixel;
}

void TimelineWidget::fitToWidth()
{
    const int usable = std::max(100, viewport()->width() - gutter - rightMargin);
    m_msPerPixel =
        std::clamp(static_cast<double>(m_endMs - m_startMs) / usable, minMsPerPixel, maxMsPerPixel * 50);
    updateScrollBar();
    horizontalScrollBar()->setValue(0);
    viewport()->update();
}

void TimelineWidget::zoomIn()
{
    zoomAround(1 / 1.5, viewport()->width() / 2.0);
}

void TimelineWidget::zoomOut()
{
    zoomAround(1.5, viewport()->width() / 2.0);
}

void TimelineWidget::zoomAround(double factor, double x)
{
    const Geometry before = currentGeometry();
    const qint64 anchor = msAt(before, x);
    m_msPerPixel = std::clamp(m_msPerPixel * factor, minMsPerPixel, maxMsPerPixel * 50);
    updateScrollBar();
    const double anchorContentX = static_cast<double>(anchor - m_startMs) / m_msPerPixel;
    horizontalScrollBar()->setValue(static_cast<int>(anchorContentX - (x - gutter)));
    viewport()->update();
}

void TimelineWidget::updateScrollBar()
{
    const int usable = std::max(0, viewport()->width() - gutter - rightMargin);
    const int range = std::max(0, static_cast<int>(contentWidth(m_msPerPixel)) - usable);
    horizontalScrollBar()->setRange(0, range);
    horizontalScrollBar()->setPageStep(std::max(1, usable));
    horizontalScrollBar()->setSingleStep(40);
}

TimelineWidget::Geometry TimelineWidget::currentGeometry() const
{
    return {viewport()->width(), viewport()->height(), static_cast<double>(horizontalScrollBar()->value()),
            m_msPerPixel};
}

double TimelineWidget::xFor(const Geometry &g, qint64 ms) const
{
    return gutter + static_cast<double>(ms - m_startMs) / g.msPerPixel - g.scrollPx;
}

qint64 TimelineWidget::msAt(const Geometry &g, double x) const
{
    return m_startMs + static_cast<qint64>((x - gutter + g.scrollPx) * g.msPerPixel);
}

int TimelineWidget::laneY(int lane) const
{
    return axisHeight + durationStrip + lane * laneHeight + laneHeight / 2;
}

int TimelineWidget::laneOf(const QString &system) const
{
    const auto i = m_lanes.indexOf(system.isEmpty() ? tr("other") : system);
    return static_cast<int>(std::max<qsizetype>(i, 0));
}

void TimelineWidget::visibleRange(const Geometry &g, int &first, int &last) const
{
    const qint64 from = msAt(g, gutter - 2.0 * markerRadius);
    const qint64 to = msAt(g, g.width + 2.0 * markerRadius);
    first = static_cast<int>(std::lower_bound(m_times.begin(), m_times.end(), from) - m_times.begin());
    last = static_cast<int>(std::upper_bound(m_times.begin(), m_times.end(), to) - m_times.begin());
}

void TimelineWidget::paintEvent(QPaintEvent *)
{
    QPainter p(viewport());
    paintContent(p, currentGeometry());
}

void TimelineWidget::paintContent(QPainter &p, const Geometry &g) const
{
    p.setRenderHint(QPainter::Antialiasing);
    p.fillRect(QRect(0, 0, g.width, g.height), palette().color(QPalette::Base));
    if (m_trace.isEmpty()) {
        p.setPen(Theme::mutedText());
        p.drawText(QRect(0, 0, g.width, g.height), Qt::AlignCenter, tr("No trace open"));
        return;
    }
    int first = 0;
    int last = 0;
    visibleRange(g, first, last);
    paintLanes(p, g);
    p.save();
    p.setClipRect(QRect(gutter, 0, g.width - gutter, g.height));
    paintAxis(p, g, msAt(g, gutter), msAt(g, g.width));
    paintNow(p, g);
    paintDurations(p, g, std::max(0, first - 1), std::min(static_cast<int>(m_times.size()), last + 1));
    paintGaps(p, g);
    paintSlaTargets(p, g);
    paintEvents(p, g, first, last);
    p.restore();
}

void TimelineWidget::paintLanes(QPainter &p, const Geometry &g) const
{
    const QColor base = palette().color(QPalette::Base);
    const QColor alt = palette().color(QPalette::AlternateBase);
    QFont bold = font();
    bold.setBold(true);
    for (int i = 0; i < m_lanes.size(); ++i) {
        const int top = laneY(i) - laneHeight / 2;
        p.fillRect(QRect(0, top, g.width, laneHeight), i % 2 ? alt : base);
        p.setPen(QPen(Theme::laneColor(i), 2));
        p.drawLine(QPointF(gutter, laneY(i)), QPointF(g.width, laneY(i)));
        p.fillRect(QRect(0, top, gutter - 6, laneHeight), i % 2 ? alt : base);
        p.fillRect(QRect(0, top + 8, 4, laneHeight - 16), Theme::laneColor(i));
        p.setFont(bold);
        p.setPen(palette().color(QPalette::Text));
        p.drawText(QRect(12, top, gutter - 16, laneHeight), Qt::AlignVCenter | Qt::AlignLeft,
                   m_lanes[i].toUpper());
    }
    p.setFont(font());
}

void TimelineWidget::paintAxis(QPainter &p, const Geometry &g, qint64 fromMs, qint64 toMs) const
{
    const qint64 step = niceTickStep(g.msPerPixel);
    const qint64 firstTick = (fromMs / step) * step;
    const QColor grid = palette().color(QPalette::Mid);
    const int bottom = axisHeight + durationStrip + static_cast<int>(m_lanes.size()) * laneHeight;
    QFont small = font();
    small.setPointSizeF(font().pointSizeF() * 0.85);
    p.setFont(small);
    for (qint64 t = firstTick; t <= toMs + step; t += step) {
        const double x = xFor(g, t);
        p.setPen(QPen(grid, 1, Qt::DotLine));
        p.drawLine(QPointF(x, axisHeight - 4), QPointF(x, bottom));
        if (x < gutter)
            continue; // a label cut by the lane names reads as noise
        p.setPen(Theme::mutedText());
        p.drawText(QRectF(x + 3, 2, 140, axisHeight - 6), Qt::AlignLeft | Qt::AlignVCenter,
                   tickLabel(t, step));
    }
    p.setFont(font());
}

void TimelineWidget::paintNow(QPainter &p, const Geometry &g) const
{
    const double x = xFor(g, m_nowMs);
    if (x < gutter || x > g.width)
        return;
    const int bottom = axisHeight + durationStrip + static_cast<int>(m_lanes.size()) * laneHeight;
    p.setPen(QPen(Theme::accent(), 1.5, Qt::DashLine));
    p.drawLine(QPointF(x, axisHeight), QPointF(x, bottom));
    p.setPen(Theme::accent());
    p.drawText(QRectF(x + 3, axisHeight, 60, durationStrip), Qt::AlignLeft | Qt::AlignVCenter, tr("now"));
}

// Where an SLA policy measures a document of the trace: its target (due) as a dotted line across
// the lanes, labelled with the policy, coloured by the measurement's state.
void TimelineWidget::paintSlaTargets(QPainter &p, const Geometry &g) const
{
    const int bottom = axisHeight + durationStrip + static_cast<int>(m_lanes.size()) * laneHeight;
    int row = 0;
    for (const TraceSlaTarget &t : m_trace.slaTargets) {
        if (!t.dueMs)
            continue;
        const double x = xFor(g, *t.dueMs);
        if (x < gutter || x > g.width)
            continue;
        QColor colour = Theme::pending();
        if (t.state == QLatin1String("breached"))
            colour = Theme::breached();
        else if (t.state == QLatin1String("at_risk"))
            colour = Theme::atRisk();
        else if (t.state == QLatin1String("met"))
            colour = Theme::accent();
        p.setPen(QPen(colour, 1.2, Qt::DotLine));
        p.drawLine(QPointF(x, axisHeight + durationStrip), QPointF(x, bottom));
        p.setPen(colour);
        // at the top of the lanes (milestone labels sit below their markers), staggered so that near
        // targets stay readable
        const int y = axisHeight + durationStrip + 1 + (row++ % 3) * 14;
        p.drawText(QRectF(x + 3, y, 220, 14), Qt::AlignLeft | Qt::AlignVCenter,
                   tr("SLA %1 target").arg(t.policy));
    }
}

void TimelineWidget::paintDurations(QPainter &p, const Geometry &g, int first, int last) const
{
    // Between consecutive milestone events: a bracket in the strip above the lanes, labelled with
    // the time between them when the label fits.
    QFont small = font();
    small.setPointSizeF(font().pointSizeF() * 0.85);
    p.setFont(small);
    const QFontMetrics fm(small);
    const QColor muted = Theme::mutedText();
    const int y = axisHeight + durationStrip / 2;
    const TraceEvent *previous = nullptr;
    // Start from the last milestone before the visible range so the first bracket is complete.
    int start = first;
    while (start > 0 && m_trace.events[start].milestone.isEmpty())
        --start;
    for (int i = start; i < last; ++i) {
        const TraceEvent &e = m_trace.events[i];
        if (e.milestone.isEmpty())
            continue;
        if (previous && e.occurredMs > previous->occurredMs) {
            const double x1 = xFor(g, previous->occurredMs);
            const double x2 = xFor(g, e.occurredMs);
            const QString label = formatDuration(e.occurredMs - previous->occurredMs);
            const int w = fm.horizontalAdvance(label) + 8;
            p.setPen(QPen(muted, 1));
            p.drawLine(QPointF(x1, y), QPointF(x2, y));
            p.drawLine(QPointF(x1, y - 3), QPointF(x1, y + 3));
            p.drawLine(QPointF(x2, y - 3), QPointF(x2, y + 3));
            if (x2 - x1 > w) {
                const QRectF box((x1 + x2 - w) / 2, y - fm.height() / 2.0, w, fm.height());
                p.fillRect(box, palette().color(QPalette::Base));
                p.drawText(box, Qt::AlignCenter, label);
            }
        }
        previous = &e;
    }
    p.setFont(font());
}

void TimelineWidget::paintEvents(QPainter &p, const Geometry &g, int first, int last) const
{
    QList<double> lastX(m_lanes.size(), -1e9);
    const QFontMetrics fm(font());
    QList<double> lastLabelEnd(m_lanes.size(), -1e9);
    for (int i = first; i < last; ++i) {
        const TraceEvent &e = m_trace.events[i];
        const int lane = laneOf(e.system);
        const double x = xFor(g, e.occurredMs);
        const bool special = e.rowId == m_selected || m_conflictEvents.contains(e.rowId) || i == m_hovered;
        // Thousands of events on a few pixels: one marker per pixel column and lane is enough.
        if (!special && std::abs(x - lastX[lane]) < 1.0)
            continue;
        lastX[lane] = x;
        const QPointF c(x, laneY(lane));
        const QColor color = Theme::laneColor(lane);
        p.setPen(QPen(palette().color(QPalette::Base), 1.5));
        p.setBrush(color);
        if (e.milestone.isEmpty())
            p.drawEllipse(c, markerRadius - 2, markerRadius - 2);
        else
            drawDiamond(p, c, markerRadius + 1);
        if (m_conflictEvents.contains(e.rowId)) {
            p.setBrush(Qt::NoBrush);
            p.setPen(QPen(Theme::breached(), 2));
            p.drawEllipse(c, markerRadius + 5, markerRadius + 5);
        }
        if (e.rowId == m_selected || i == m_hovered) {
            p.setBrush(Qt::NoBrush);
            p.setPen(QPen(palette().color(QPalette::Text), e.rowId == m_selected ? 2 : 1));
            p.drawEllipse(c, markerRadius + 3, markerRadius + 3);
        }
        // The milestone's name under its marker, when there is room.
        const QString label = e.milestone.isEmpty() ? QString() : e.milestone;
        if (!label.isEmpty() && x - 2 > lastLabelEnd[lane]) {
            const int w = fm.horizontalAdvance(label);
            p.setPen(palette().color(QPalette::Text));
            p.drawText(QPointF(x - 4, laneY(lane) + markerRadius + fm.ascent() + 3), label);
            lastLabelEnd[lane] = x - 4 + w + 6;
        }
    }
    p.setBrush(Qt::NoBrush);
}

void TimelineWidget::paintGaps(QPainter &p, const Geometry &g) const
{
    const QFontMetrics fm(font());
    for (const MilestoneGap &gap : m_assessment.gaps) {
        const int lane = laneOf(gap.system);
        const QColor color = severityColor(gap.severity);
        const double y = laneY(lane);
        if (gap.skipped) {
            const double x = xFor(g, gap.sinceMs) + 18;
            p.setPen(QPen(color, 2, Qt::DotLine));
            p.setBrush(Qt::NoBrush);
            drawDiamond(p, QPointF(x, y), markerRadius + 2);
            p.setPen(color);
            p.drawText(QPointF(x - 4, y - markerRadius - 6), tr("missing %1").arg(gap.expected));
            continue;
        }
        const double x1 = xFor(g, gap.sinceMs);
        const double x2 = xFor(g, gap.dueMs);
        p.setPen(QPen(color, 1.5, Qt::DashLine));
        p.drawLine(QPointF(x1, y - 10), QPointF(x2, y - 10));
        p.drawLine(QPointF(x2, y - 16), QPointF(x2, y + 10));
        p.setBrush(Qt::NoBrush);
        p.setPen(QPen(color, 2));
        drawDiamond(p, QPointF(x2, y), markerRadius + 2);
        const QString text = gap.severity == GapSeverity::Pending
                                 ? tr("%1 due").arg(gap.expected)
                                 : tr("%1 %2").arg(gap.expected, gapSeverityName(gap.severity));
        p.setPen(color);
        const int w = fm.horizontalAdvance(text);
        const double tx =
            x2 + markerRadius + 6 + w > g.width ? x2 - markerRadius - 6 - w : x2 + markerRadius + 6;
        p.drawText(QPointF(tx, y - 4), text);
    }
}

void TimelineWidget::resizeEvent(QResizeEvent *event)
{
    QAbstractScrollArea::resizeEvent(event);
    updateScrollBar();
}

void TimelineWidget::wheelEvent(QWheelEvent *event)
{
    const int delta = event->angleDelta().y() != 0 ? event->angleDelta().y() : event->angleDelta().x();
    if (event->modifiers() & Qt::ControlModifier) {
        zoomAround(delta > 0 ? 1 / 1.25 : 1.25, event->position().x());
    } else {
        horizontalScrollBar()->setValue(horizontalScrollBar()->value() - delta);
    }
    event->accept();
}

int TimelineWidget::eventAt(const QPoint &pos) const
{
    const Geometry g = currentGeometry();
    if (pos.x() < gutter)
        return -1;
    const int lane = (pos.y() - axisHeight - durationStrip) / laneHeight;
    if (lane < 0 || lane >= m_lanes.size())
        return -1;
    int first = 0;
    int last = 0;
    const qint64 from = msAt(g, pos.x() - 8.0);
    const qint64 to = msAt(g, pos.x() + 8.0);
    first = static_cast<int>(std::lower_bound(m_times.begin(), m_times.end(), from) - m_times.begin());
    last = static_cast<int>(std::upper_bound(m_times.begin(), m_times.end(), to) - m_times.begin());
    int best = -1;
    double bestDistance = 9;
    for (int i = first; i < last; ++i) {
        if (laneOf(m_trace.events[i].system) != lane)
            continue;
        const double d = std::abs(xFor(g, m_times[i]) - pos.x());
        if (d < bestDistance) {
            bestDistance = d;
            best = i;
        }
    }
    return best;
}

void TimelineWidget::mousePressEvent(QMouseEvent *event)
{
    const int i = eventAt(event->pos());
    if (i >= 0) {
        m_selected = m_trace.events[i].rowId;
        viewport()->update();
        Q_EMIT eventClicked(m_selected);
    }
}

void TimelineWidget::mouseMoveEvent(QMouseEvent *event)
{
    const int i = eventAt(event->pos());
    if (i != m_hovered) {
        m_hovered = i;
        viewport()->update();
    }
}

bool TimelineWidget::viewportEvent(QEvent *event)
{
    if (event->type() == QEvent::ToolTip) {
        auto *help = static_cast<QHelpEvent *>(event);
        const int i = eventAt(help->pos());
        if (i >= 0) {
            const TraceEvent &e = m_trace.events[i];
            const TraceDocument *d = m_trace.document(e.documentId);
            QToolTip::showText(
                help->globalPos(),
                tr("%1\n%2 · %3\n%4 UTC · lag %5")
                        .arg(e.milestone.isEmpty() ? e.type : e.milestone, e.system, e.status,
                             QDateTime::fromMSecsSinceEpoch(e.occurredMs, QTimeZone::utc())
                                 .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")),
                             formatDuration(e.lagMs())) +
                    (d ? QStringLiteral("\n%1 %2").arg(documentKindLabel(d->ref.kind), d->ref.key)
                       : QString()),
                viewport());
        } else {
            QToolTip::hideText();
        }
        return true;
    }
    return QAbstractScrollArea::viewportEvent(event);
}

void TimelineWidget::keyPressEvent(QKeyEvent *event)
{
    switch (event->key()) {
    case Qt::Key_Plus:
    case Qt::Key_Equal:
        zoomIn();
        return;
    case Qt::Key_Minus:
        zoomOut();
        return;
    case Qt::Key_0:
        fitToWidth();
        return;
    case Qt::Key_Left:
        horizontalScrollBar()->triggerAction(QAbstractSlider::SliderSingleStepSub);
        return;
    case Qt::Key_Right:
        horizontalScrollBar()->triggerAction(QAbstractSlider::SliderSingleStepAdd);
        return;
    default:
        QAbstractScrollArea::keyPressEvent(event);
    }
}

QImage TimelineWidget::renderImage(int maxWidth) const
{
    const int height = axisHeight + durationStrip + static_cast<int>(m_lanes.size()) * laneHeight + 8;
    const int width = std::min(maxWidth, std::max(800, viewport()->width()));
    Geometry g{width, height, 0,
               static_cast<double>(m_endMs - m_startMs) / std::max(100, width - gutter - rightMargin)};
    QImage image(width, height, QImage::Format_ARGB32_Premultiplied);
    image.fill(palette().color(QPalette::Base));
    QPainter p(&image);
    p.setFont(font());
    paintContent(p, g);
    return image;
}

} // namespace sightline
