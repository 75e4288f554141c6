// sightline-sla-shots: the README's SLA screenshots. Brings a store's SLA tables up to date as of
// --now, shows the dashboard offscreen (30 days), saves it, a drill-down from the partner with the
// most breaches, the dark theme, and the PDF report. Not a test; tests/screenshots/take_sla.sh runs it.
#include "models/domain/timestamp.h"
#include "models/sla/slareader.h"
#include "models/sla/slaupdater.h"
#include "models/store/store.h"
#include "ui/sla/sladashboard.h"
#include "ui/sla/slapolicyeditor.h"
#include "ui/sla/slapolicyform.h"
#include "ui/theme.h"

#include <QApplication>
#include <QBarCategoryAxis>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QCommandLineParser>
#include <QDoubleSpinBox>
#include <QEventLoop>
#include <QHorizontalStackedBarSeries>
#include <QLineEdit>
#include <QTabWidget>
#include <QTimer>
#include <cstdio>

using namespace sightline;

namespace {

bool waitFor(QObject *sender, const char *signal, int ms = 20000)
{
    QEventLoop loop;
    QTimer timeout;
    timeout.setSingleShot(true);
    QObject::connect(&timeout, &QTimer::timeout, &loop, [&loop] { loop.exit(1); });
    QObject::connect(sender, signal, &loop, SLOT(quit()));
    timeout.start(ms);
    return loop.exec() == 0;
}

void settle()
{
    QEventLoop loop;
    QTimer::singleShot(300, &loop, &QEventLoop::quit);
    loop.exec();
}

bool save(QWidget &w, const QString &path)
{
    settle();
    const bool ok = w.grab().save(path);
    std::printf("%s %s\n", ok ? "saved" : "FAILED", qPrintable(path));
    return ok;
}

// The managers' policy editor with an edit in progress: Delivery's lanes, a changed target.
bool savePolicyEditor(const SlaConfig &config, const QString &path)
{
    SlaPolicyEditor editor(config, Identity{QStringLiteral("maria"), Role::Manager});
    editor.resize(1280, 760);
    editor.show();
    editor.selectPolicy(0);
    editor.policyForm()->targetBox()->setValue(20);
    editor.selectPolicy(5);
    editor.reasonEdit()->setText(QStringLiteral("Supplier agreement 2027: acknowledgments within 20 h"));
    bool ok = save(editor, path);
    editor.tabs()->setCurrentIndex(1);
    editor.selectCalendar(6); // WH-EU: Amsterdam, its own holidays
    QString calendars = path;
    calendars.replace(QStringLiteral(".png"), QStringLiteral("-calendars.png"));
    return save(editor, calendars) && ok;
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("sightline"));
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption dbOption(QStringLiteral("db"), QStringLiteral("The store."),
                                      QStringLiteral("PATH"));
    const QCommandLineOption nowOption(QStringLiteral("now"), QStringLiteral("Now (RFC 3339)."),
                                       QStringLiteral("TIME"));
    const QCommandLineOption outOption(QStringLiteral("out"), QStringLiteral("Output folder."),
                                       QStringLiteral("DIR"));
    parser.addOptions({dbOption, nowOption, outOption});
    parser.process(app);
    const auto parsed = parseRfc3339(parser.value(nowOption).toStdString());
    if (!parsed || !parser.isSet(dbOption) || !parser.isSet(outOption)) {
        std::fprintf(stderr, "usage: sightline-sla-shots --db PATH --now TIME --out DIR\n");
        return 1;
    }
    const qint64 now = *parsed;
    const QString out = parser.value(outOption);
    {
        auto store = Store::open(parser.value(dbOption));
        auto reader = store ? SlaReader::open(parser.value(dbOption)) : Error{store.error()};
        if (!reader) {
            std::fprintf(stderr, "%s\n", qPrintable(reader.error()));
            return 1;
        }
        SlaUpdater updater(*store.value(), *reader.value(), SlaConfig::defaults());
        if (Status s = updater.sync(now); !s) {
            std::fprintf(stderr, "%s\n", qPrintable(s.error()));
            return 1;
        }
    }
    Theme::apply(ThemeChoice::Light);
    SlaDashboard dash(parser.value(dbOption), nullptr);
    dash.setClock([now] { return now; });
    dash.resize(1560, 860);
    dash.show();
    dash.start();
    dash.setRange(SlaDashboard::Last30Days);
    bool ok = waitFor(&dash, SIGNAL(dashboardShown()));
    dash.tabs()->setCurrentIndex(1); // the at-risk list
    ok = save(dash, out + QStringLiteral("/sla-dashboard.png")) && ok;

    // Drill down: the partner with the most breaches, as a click on its bar does.
    QChart *partners = dash.chartView(QStringLiteral("partners"))->chart();
    auto *bars = qobject_cast<QHorizontalStackedBarSeries *>(partners->series().value(0));
    auto *axis = qobject_cast<QBarCategoryAxis *>(partners->axes(Qt::Vertical).value(0));
    if (bars && axis && axis->count() > 0) {
        Q_EMIT bars->clicked(axis->count() - 1, bars->barSets().first());
        ok = waitFor(&dash, SIGNAL(itemsShown())) && ok;
        ok = save(dash, out + QStringLiteral("/sla-drilldown.png")) && ok;
    }

    Theme::apply(ThemeChoice::Dark);
    dash.refresh();
    ok = waitFor(&dash, SIGNAL(dashboardShown())) && ok;
    dash.tabs()->setCurrentIndex(3); // supplier scorecards
    ok = save(dash, out + QStringLiteral("/sla-dashboard-dark.png")) && ok;

    Theme::apply(ThemeChoice::Light);
    dash.refresh();
    ok = waitFor(&dash, SIGNAL(dashboardShown())) && ok;
    dash.writeReport(out + QStringLiteral("/sla-report.pdf"));
    ok = waitFor(&dash, SIGNAL(reportWritten(QString, bool))) && ok;
    std::printf("%s %s/sla-report.pdf\n", ok ? "saved" : "FAILED", qPrintable(out));
    ok = savePolicyEditor(dash.config(), out + QStringLiteral("/sla-policy-editor.png")) && ok;
    return ok ? 0 : 1;
}
