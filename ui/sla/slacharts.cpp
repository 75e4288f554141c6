#include "ui/sla/slacharts.h"

#include "ui/theme.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QHorizontalStackedBarSeries>
#include <QLineSeries>
#include <QScatterSeries>
#include <QValueAxis>

namespace sightline::slacharts {
namespace {

QChart *newChart(const QString &title)
{
    auto *chart = new QChart;
    chart->setTitle(title);
    chart->setAnimationOptions(QChart::NoAnimation);
    chart->legend()->setAlignment(Qt::AlignBottom);
    chart->setMargins(QMargins(4, 4, 4, 4));
    applyTheme(chart);
    return chart;
}

} // namespace

void applyTheme(QChart *chart)
{
    chart->setTheme(Theme::isDark() ? QChart::ChartThemeDark : QChart::ChartThemeLight);
    chart->setBackgroundRoundness(0);
}

QChart *onTime(const SlaDashboardData &data)
{
    QChart *chart = newChart(QObject::tr("On time % per day"));
    auto *x = new QDateTimeAxis;
    x->setFormat(QStringLiteral("MMM d"));
    auto *y = new QValueAxis;
    y->setRange(0, 100);
    y->setLabelFormat(QStringLiteral("%d%%"));
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    qint64 first = data.filter.fromMs, last = data.filter.toMs;
    for (auto it = data.onTime.cbegin(); it != data.onTime.cend(); ++it) {
        if (it->isEmpty())
            continue;
        auto *line = new QLineSeries;
        line->setName(it.key());
        line->setPointsVisible(true);
        for (const SlaPoint &p : *it) {
            line->append(static_cast<qreal>(p.dayMs + 12 * 3600 * 1000), p.onTimePercent);
            first = std::min(first, p.dayMs);
            last = std::max(last, p.dayMs + 24 * 3600 * 1000);
        }
        chart->addSeries(line);
        line->attachAxis(x);
        line->attachAxis(y);
    }
    x->setRange(QDateTime::fromMSecsSinceEpoch(first, Qt::UTC),
                QDateTime::fromMSecsSinceEpoch(last, Qt::UTC));
    x->setTickCount(std::clamp<int>(static_cast<int>((last - first) / (24 * 3600 * 1000)) + 1, 2, 8));
    return chart;
}

QChart *counts(const QList<SlaCount> &counts, const QString &title, int maxBars)
{
    QChart *chart = newChart(title);
    auto *breached = new QBarSet(QObject::tr("breached"));
    breached->setColor(Theme::breached());
    auto *atRisk = new QBarSet(QObject::tr("at risk"));
    atRisk->setColor(Theme::atRisk());
    QStringList names;
    qreal top = 1;
    // Most first, drawn from the top: horizontal bars list their categories bottom-up.
    for (const SlaCount &c : counts) {
        if (names.size() >= maxBars || c.breached + c.atRisk == 0)
            continue;
        names.prepend(c.name.isEmpty() ? QObject::tr("(none)") : c.name);
        breached->insert(0, static_cast<qreal>(c.breached));
        atRisk->insert(0, static_cast<qreal>(c.atRisk));
        top = std::max(top, static_cast<qreal>(c.breached + c.atRisk));
    }
    auto *series = new QHorizontalStackedBarSeries;
    series->append(breached);
    series->append(atRisk);
    chart->addSeries(series);
    auto *y = new QBarCategoryAxis;
    y->append(names);
    auto *x = new QValueAxis;
    x->setLabelFormat(QStringLiteral("%d"));
    chart->addAxis(y, Qt::AlignLeft);
    chart->addAxis(x, Qt::AlignBottom);
    series->attachAxis(y);
    series->attachAxis(x);
    x->setRange(0, top);
    x->applyNiceNumbers();
    return chart;
}

QChart *percentiles(const QList<SlaSummary> &summaries)
{
    QChart *chart = newChart(QObject::tr("Latency per leg (hours)"));
    auto *p50 = new QBarSet(QStringLiteral("p50"));
    auto *p90 = new QBarSet(QStringLiteral("p90"));
    auto *p95 = new QBarSet(QStringLiteral("p95"));
    QStringList legs;
    qreal top = 0;
    for (const SlaSummary &s : summaries) {
        if (s.met + s.breached == 0)
            continue;
        legs.append(s.policy);
        const auto hours = [](qint64 ms) {
            return static_cast<qreal>(ms) / 3'600'000.0;
        };
        p50->append(hours(s.p50Ms));
        p90->append(hours(s.p90Ms));
        p95->append(hours(s.p95Ms));
        top = std::max(top, hours(s.p95Ms));
    }
    auto *series = new QBarSeries;
    series->append({p50, p90, p95});
    chart->addSeries(series);
    auto *x = new QBarCategoryAxis;
    x->append(legs);
    auto *y = new QValueAxis;
    y->setRange(0, std::max<qreal>(top * 1.1, 1));
    y->applyNiceNumbers();
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    series->attachAxis(x);
    series->attachAxis(y);
    return chart;
}

} // namespace sightline::slacharts
