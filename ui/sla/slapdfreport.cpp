#include "ui/sla/slapdfreport.h"

#include "models/export/traceexport.h"
#include "ui/sla/slacharts.h"

#include <QChart>
#include <QDateTime>
#include <QGraphicsScene>
#include <QPainter>
#include <QPdfWriter>
#include <memory>

namespace sightline {
namespace {

QString timeText(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(QStringLiteral("yyyy-MM-dd HH:mm 'UTC'"));
}

QString percentText(double p)
{
    return p < 0 ? QStringLiteral("–") : QString::number(p, 'f', 1) + u'%';
}

// Draws a chart into a rectangle of the page, rendered at a size that reads well in print.
void drawChart(QPainter &painter, QChart *owned, const QRectF &target)
{
    QGraphicsScene scene;
    scene.addItem(owned);                                                   // the scene owns and deletes it
    const QRectF source(0, 0, 560, 560 * target.height() / target.width()); // fonts read well in print
    owned->setGeometry(source);
    owned->setBackgroundVisible(false);
    scene.render(&painter, target, source);
}

// A table of rows with the first row as its header, columns from rightFrom on (numbers) aligned
// right; returns the y below it.
qreal drawTable(QPainter &painter, const QList<QStringList> &rows, const QList<qreal> &widths, int rightFrom,
                qreal x, qreal y, qreal lineHeight)
{
    QFont normal = painter.font();
    QFont bold = normal;
    bold.setBold(true);
    for (qsizetype r = 0; r < rows.size(); ++r) {
        painter.setFont(r == 0 ? bold : normal);
        qreal cx = x;
        for (qsizetype c = 0; c < rows[r].size() && c < widths.size(); ++c) {
            const QRectF cell(cx, y, widths[c] - 8, lineHeight);
            painter.drawText(
                cell, (c < rightFrom ? Qt::AlignLeft : Qt::AlignRight) | Qt::AlignVCenter,
                painter.fontMetrics().elidedText(rows[r][c], Qt::ElideRight, static_cast<int>(cell.width())));
            cx += widths[c];
        }
        y += lineHeight;
        if (r == 0)
            painter.drawLine(QPointF(x, y), QPointF(cx, y));
    }
    painter.setFont(normal);
    return y;
}

QList<QStringList> summaryRows(const SlaDashboardData &data)
{
    QList<QStringList> rows{{QObject::tr("Policy"), QObject::tr("Measured"), QObject::tr("Met"),
                             QObject::tr("Breached"), QObject::tr("At risk"), QObject::tr("On time"),
                             QStringLiteral("p50"), QStringLiteral("p90"), QStringLiteral("p95")}};
    for (const SlaSummary &s : data.summaries)
        rows.append({s.policy, QString::number(s.measured), QString::number(s.met),
                     QString::number(s.breached), QString::number(s.atRisk), percentText(s.onTimePercent()),
                     formatDuration(s.p50Ms), formatDuration(s.p90Ms), formatDuration(s.p95Ms)});
    return rows;
}

QList<QStringList> offenderRows(const QList<SlaItem> &worst, qint64 nowMs)
{
    QList<QStringList> rows{{QObject::tr("Document"), QObject::tr("Policy"), QObject::tr("Partner"),
                             QObject::tr("Warehouse"), QObject::tr("Due"), QObject::tr("Late by")}};
    for (const SlaItem &i : worst) {
        const SlaMeasurement &m = i.measurement;
        const qint64 lateBy = m.dueMs ? m.endMs.value_or(nowMs) - *m.dueMs : 0;
        rows.append(
            {i.documentKey, m.policy, m.partner, m.warehouse, m.dueMs ? timeText(*m.dueMs) : QString(),
             m.dueMs ? formatDuration(lateBy) + (m.endMs ? QString() : QObject::tr(" (open)")) : QString()});
    }
    return rows;
}

} // namespace

bool writeSlaPdf(const QString &path, const SlaDashboardData &data, const QList<SlaItem> &worst, qint64 nowMs)
{
    QPdfWriter pdf(path);
    pdf.setPageSize(QPageSize(QPageSize::A4));
    pdf.setPageOrientation(QPageLayout::Landscape);
    pdf.setPageMargins(QMarginsF(12, 12, 12, 12), QPageLayout::Millimeter);
    pdf.setResolution(150);
    pdf.setTitle(QObject::tr("Sightline SLA report"));
    pdf.setCreator(QStringLiteral("Sightline"));
    QPainter painter;
    if (!painter.begin(&pdf))
        return false;
    const QRectF page = painter.viewport();
    const qreal w = page.width();
    QFont body = painter.font();
    body.setPointSizeF(8.5);
    QFont heading = body;
    heading.setPointSizeF(16);
    heading.setBold(true);
    const qreal line = QFontMetricsF(body, &pdf).height() * 1.35;

    painter.setFont(heading);
    painter.drawText(QRectF(0, 0, w, line * 2), Qt::AlignLeft | Qt::AlignVCenter, QObject::tr("SLA report"));
    painter.setFont(body);
    QString scope =
        QObject::tr("Period %1 to %2").arg(timeText(data.filter.fromMs), timeText(data.filter.toMs));
    if (!data.filter.partner.isEmpty())
        scope += QObject::tr(" · partner %1").arg(data.filter.partner);
    if (!data.filter.warehouse.isEmpty())
        scope += QObject::tr(" · warehouse %1").arg(data.filter.warehouse);
    painter.drawText(QRectF(0, line * 2, w, line), Qt::AlignLeft, scope);
    painter.drawText(QRectF(0, line * 2, w, line), Qt::AlignRight,
                     QObject::tr("as of %1").arg(timeText(nowMs)));
    const qreal col = w / 9;
    qreal y = drawTable(painter, summaryRows(data),
                        {col * 2, col * 0.8, col * 0.8, col * 0.8, col * 0.8, col * 0.8, col, col, col}, 1, 0,
                        line * 3.5, line);
    const qreal chartTop = y + line;
    const qreal chartHeight = page.height() - chartTop;
    drawChart(painter, slacharts::onTime(data), QRectF(0, chartTop, w / 2 - 10, chartHeight));
    drawChart(painter, slacharts::percentiles(data.summaries),
              QRectF(w / 2 + 10, chartTop, w / 2 - 10, chartHeight));

    pdf.newPage();
    const qreal chartsHeight = page.height() * 0.45;
    drawChart(painter, slacharts::counts(data.byPartner, QObject::tr("Breaches and at risk by partner")),
              QRectF(0, 0, w / 2 - 10, chartsHeight));
    drawChart(painter, slacharts::counts(data.byWarehouse, QObject::tr("Breaches and at risk by warehouse")),
              QRectF(w / 2 + 10, 0, w / 2 - 10, chartsHeight));
    QFont sub = body;
    sub.setBold(true);
    sub.setPointSizeF(11);
    painter.setFont(sub);
    painter.drawText(QRectF(0, chartsHeight + line * 0.5, w, line * 1.5), Qt::AlignLeft | Qt::AlignVCenter,
                     QObject::tr("Worst offenders: the most overdue documents"));
    painter.setFont(body);
    const int fit = static_cast<int>((page.height() - chartsHeight - line * 3) / line) - 1;
    drawTable(painter, offenderRows(worst.mid(0, std::max(fit, 0)), nowMs),
              {w * 0.16, w * 0.18, w * 0.2, w * 0.12, w * 0.18, w * 0.16}, 5, 0, chartsHeight + line * 2.2,
              line);
    return painter.end();
}

} // namespace sightline
