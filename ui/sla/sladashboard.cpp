#include "ui/sla/sladashboard.h"

#include "models/sla/slaengine.h"
#include "models/sla/slamodels.h"
#include "models/sla/slaquery.h"
#include "ui/sla/slacharts.h"
#include "ui/sla/slapdfreport.h"
#include "ui/sla/slapolicyeditor.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QDateTime>
#include <QDateTimeEdit>
#include <QFile>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QHorizontalStackedBarSeries>
#include <QLabel>
#include <QLineSeries>
#include <QMenu>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

namespace sightline {
namespace {

constexpr qint64 kDayMs = 24LL * 3600 * 1000;

const QStringList kCharts{QStringLiteral("ontime"), QStringLiteral("partners"), QStringLiteral("warehouses"),
                          QStringLiteral("percentiles")};

QString chartTitle(const QString &name)
{
    if (name == QLatin1String("ontime"))
        return QObject::tr("On time % over time");
    if (name == QLatin1String("partners"))
        return QObject::tr("Breaches and at risk by partner");
    if (name == QLatin1String("warehouses"))
        return QObject::tr("Breaches and at risk by warehouse");
    return QObject::tr("Latency percentiles per leg");
}

Identity signedInIdentity(QString *problem)
{
    auto who = RoleDirectory::currentIdentity();
    if (who)
        return who.value();
    *problem = who.error();
    return Identity{RoleDirectory::currentUser(), Role::CustomerService};
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(bytes) == bytes.size();
}

} // namespace

SlaDashboard::SlaDashboard(const QString &storePath, Store *store, QWidget *parent)
    : QWidget(parent), m_storePath(storePath), m_store(store),
      m_clock([] { return QDateTime::currentMSecsSinceEpoch(); })
{
    setObjectName(QStringLiteral("slaDashboard"));
    auto config = SlaConfig::load();
    m_config = config ? config.value() : SlaConfig::defaults();
    if (!config)
        QTimer::singleShot(0, this, [this, why = config.error()] {
            Q_EMIT problem(tr("SLA policies: %1; using the defaults").arg(why));
        });
    QString roleProblem;
    m_identity = signedInIdentity(&roleProblem);
    if (!roleProblem.isEmpty())
        QTimer::singleShot(0, this, [this, roleProblem] {
            Q_EMIT problem(tr("Roles: %1; SLA policies are read-only").arg(roleProblem));
        });
    m_policyFile = SlaConfig::userConfigPath();
    m_query = new SlaQuery(storePath, this);
    m_summaryModel = new SlaSummaryModel(this);
    m_atRiskModel = new SlaItemModel(this);
    m_itemsModel = new SlaItemModel(this);
    m_supplierModel = new SupplierScoreModel(this);
    m_refreshTimer = new QTimer(this);
    m_refreshTimer->setSingleShot(true);
    m_refreshTimer->setInterval(500);
    connect(m_refreshTimer, &QTimer::timeout, this, &SlaDashboard::refresh);
    connect(m_query, &SlaQuery::dashboardReady, this, &SlaDashboard::showDashboard);
    connect(m_query, &SlaQuery::itemsReady, this, &SlaDashboard::showItems);
    connect(m_query, &SlaQuery::worstReady, this, &SlaDashboard::printReport);
    connect(m_query, &SlaQuery::queryFailed, this, &SlaDashboard::problem);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(makeToolbar());
    auto *split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(makeCharts());
    split->addWidget(makeTables());
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    layout->addWidget(split, 1);
}

SlaDashboard::~SlaDashboard()
{
    delete m_engine;
}

void SlaDashboard::setClock(Clock clock)
{
    m_clock = std::move(clock);
}

void SlaDashboard::start()
{
    if (m_store && !m_engine) {
        m_engine = new SlaEngine(*m_store, m_config, m_clock);
        connect(m_engine, &SlaEngine::updated, m_refreshTimer, qOverload<>(&QTimer::start));
        connect(m_engine, &SlaEngine::updated, this, &SlaDashboard::measurementsChanged);
        connect(m_engine, &SlaEngine::slaFailed, this, &SlaDashboard::problem);
        connect(m_engine, &SlaEngine::policyChangeSaved, this, &SlaDashboard::policiesSaved);
        connect(m_engine, &SlaEngine::policyChangeFailed, this, &SlaDashboard::policiesRefused);
        m_engine->setOverridePath(m_policyFile);
        m_engine->start();
    }
    refresh();
}

void SlaDashboard::setPolicyFile(const QString &path)
{
    m_policyFile = path;
}

SlaPolicyEditor *SlaDashboard::openPolicyEditor()
{
    if (!m_policyEditor) {
        // Without an engine (a read-only console) nothing could save: show the policies read-only.
        const Identity who = m_engine ? m_identity : Identity{m_identity.user, Role::CustomerService};
        m_policyEditor = new SlaPolicyEditor(m_config, who, this);
        m_policyEditor->setAttribute(Qt::WA_DeleteOnClose);
        m_policyEditor->setWindowFlag(Qt::Window);
        connect(m_policyEditor, &SlaPolicyEditor::saveRequested, this, [this](const SlaPolicyChange &change) {
            if (m_engine)
                m_engine->applyPolicyChange(change, ++m_policyJob);
        });
    }
    m_policyEditor->show();
    m_policyEditor->raise();
    return m_policyEditor;
}

void SlaDashboard::policiesSaved(quint64 jobId, const SlaConfig &config, const QStringList &changes)
{
    m_config = config;
    QStringList policies;
    for (const SlaPolicy &p : std::as_const(m_config.policies))
        policies.append(p.name);
    fillFilter(m_policyBox, policies, tr("All policies"));
    if (m_policyEditor && jobId == m_policyJob)
        m_policyEditor->showSaved(changes);
}

void SlaDashboard::policiesRefused(quint64 jobId, const QString &message)
{
    if (m_policyEditor && jobId == m_policyJob)
        m_policyEditor->showFailed(message);
    else
        Q_EMIT problem(message);
}

QWidget *SlaDashboard::makeToolbar()
{
    auto *bar = new QWidget(this);
    auto *row = new QHBoxLayout(bar);
    row->setContentsMargins(0, 0, 0, 0);
    m_rangeBox = new QComboBox(bar);
    m_rangeBox->addItems({tr("Last 24 hours"), tr("Last 7 days"), tr("Last 30 days"), tr("Custom…")});
    m_rangeBox->setCurrentIndex(m_range);
    m_fromEdit = new QDateTimeEdit(bar);
    m_toEdit = new QDateTimeEdit(bar);
    for (QDateTimeEdit *e : {m_fromEdit, m_toEdit}) {
        e->setTimeSpec(Qt::UTC);
        e->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm"));
        e->setCalendarPopup(true);
        e->setVisible(false);
        connect(e, &QDateTimeEdit::dateTimeChanged, m_refreshTimer, qOverload<>(&QTimer::start));
    }
    connect(m_rangeBox, &QComboBox::currentIndexChanged, this, [this](int index) {
        m_range = static_cast<Range>(index);
        m_fromEdit->setVisible(m_range == Custom);
        m_toEdit->setVisible(m_range == Custom);
        refresh();
    });
    m_policyBox = new QComboBox(bar);
    m_partnerBox = new QComboBox(bar);
    m_warehouseBox = new QComboBox(bar);
    QStringList policies;
    for (const SlaPolicy &p : std::as_const(m_config.policies))
        policies.append(p.name);
    fillFilter(m_policyBox, policies, tr("All policies"));
    fillFilter(m_partnerBox, {}, tr("All partners"));
    fillFilter(m_warehouseBox, {}, tr("All warehouses"));
    for (QComboBox *box : {m_policyBox, m_partnerBox, m_warehouseBox}) {
        box->setSizeAdjustPolicy(QComboBox::AdjustToContents);
        connect(box, &QComboBox::currentIndexChanged, this, [this] {
            if (!m_updatingFilters)
                refresh();
        });
    }
    auto *policiesButton = new QToolButton(bar);
    policiesButton->setText(roleMay(m_identity.role, Permission::EditRules) ? tr("Edit policies…")
                                                                            : tr("Policies…"));
    policiesButton->setObjectName(QStringLiteral("slaPoliciesButton"));
    connect(policiesButton, &QToolButton::clicked, this, [this] { openPolicyEditor(); });
    auto *exportButton = new QToolButton(bar);
    exportButton->setText(tr("Export"));
    exportButton->setPopupMode(QToolButton::InstantPopup);
    auto *menu = new QMenu(exportButton);
    for (const QString &chart : kCharts) {
        menu->addAction(tr("%1 as PNG…").arg(chartTitle(chart)), this, [this, chart] {
            const QString path = QFileDialog::getSaveFileName(
                this, tr("Export chart"), chart + QStringLiteral(".png"), tr("PNG images (*.png)"));
            if (!path.isEmpty() && !exportChartPng(chart, path))
                Q_EMIT problem(tr("Cannot write %1").arg(path));
        });
        menu->addAction(tr("%1 data as CSV…").arg(chartTitle(chart)), this, [this, chart] {
            const QString path = QFileDialog::getSaveFileName(
                this, tr("Export data"), chart + QStringLiteral(".csv"), tr("CSV files (*.csv)"));
            if (!path.isEmpty() && !exportChartCsv(chart, path))
                Q_EMIT problem(tr("Cannot write %1").arg(path));
        });
    }
    menu->addSeparator();
    menu->addAction(tr("SLA report as PDF…"), this, [this] {
        const QString path = QFileDialog::getSaveFileName(
            this, tr("SLA report"), QStringLiteral("sla-report.pdf"), tr("PDF documents (*.pdf)"));
        if (!path.isEmpty())
            writeReport(path);
    });
    exportButton->setMenu(menu);
    row->addWidget(m_rangeBox);
    row->addWidget(m_fromEdit);
    row->addWidget(m_toEdit);
    row->addWidget(m_policyBox);
    row->addWidget(m_partnerBox);
    row->addWidget(m_warehouseBox);
    row->addStretch();
    row->addWidget(policiesButton);
    row->addWidget(exportButton);
    return bar;
}

QWidget *SlaDashboard::makeCharts()
{
    auto *grid = new QWidget(this);
    auto *layout = new QGridLayout(grid);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);
    for (int i = 0; i < kCharts.size(); ++i) {
        auto *view = new QChartView(grid);
        view->setObjectName(kCharts[i] + QStringLiteral("Chart"));
        view->setRenderHint(QPainter::Antialiasing);
        view->setMinimumSize(220, 160);
        view->setToolTip(tr("Click a point or bar to list the documents behind it"));
        m_charts.insert(kCharts[i], view);
        layout->addWidget(view, i / 2, i % 2);
    }
    return grid;
}

QTableView *SlaDashboard::makeTable(QAbstractItemModel *model)
{
    auto *proxy = new QSortFilterProxyModel(this);
    proxy->setSourceModel(model);
    proxy->setSortRole(SlaItemModel::SortRole);
    auto *view = new QTableView(this);
    view->setModel(proxy);
    view->setSortingEnabled(model != m_atRiskModel && model != m_summaryModel);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    view->verticalHeader()->hide();
    view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    view->horizontalHeader()->setStretchLastSection(true);
    view->setWordWrap(false);
    return view;
}

QWidget *SlaDashboard::makeTables()
{
    m_tabs = new QTabWidget(this);
    QTableView *summary = makeTable(m_summaryModel);
    summary->setObjectName(QStringLiteral("slaSummaryTable"));
    connect(summary, &QTableView::activated, this, [this, summary](const QModelIndex &index) {
        SlaFilter f = currentFilter();
        f.policy = summary->model()->data(index, SlaSummaryModel::PolicyRole).toString();
        drillDown(f, std::nullopt, f.policy);
    });
    QTableView *atRisk = makeTable(m_atRiskModel);
    atRisk->setObjectName(QStringLiteral("slaAtRiskTable"));
    QTableView *items = makeTable(m_itemsModel);
    items->setObjectName(QStringLiteral("slaItemsTable"));
    for (QTableView *v : {atRisk, items})
        connect(v, &QTableView::activated, this, &SlaDashboard::openItem);
    QTableView *suppliers = makeTable(m_supplierModel);
    suppliers->setObjectName(QStringLiteral("slaSupplierTable"));
    auto *documents = new QWidget(this);
    auto *docLayout = new QVBoxLayout(documents);
    docLayout->setContentsMargins(0, 0, 0, 0);
    m_itemsTitle = new QLabel(
        tr("Click a point, bar or policy to list its documents; Enter opens the trace."), documents);
    m_itemsTitle->setWordWrap(true);
    docLayout->addWidget(m_itemsTitle);
    docLayout->addWidget(items, 1);
    m_tabs->addTab(summary, tr("Policies"));
    m_tabs->addTab(atRisk, tr("At risk"));
    m_tabs->addTab(documents, tr("Documents"));
    m_tabs->addTab(suppliers, tr("Suppliers"));
    return m_tabs;
}

void SlaDashboard::fillFilter(QComboBox *box, const QStringList &values, const QString &all)
{
    const QString current = box->currentIndex() > 0 ? box->currentText() : QString();
    m_updatingFilters = true;
    box->clear();
    box->addItem(all);
    box->addItems(values);
    if (!current.isEmpty()) {
        if (box->findText(current) < 0)
            box->addItem(current);
        box->setCurrentText(current);
    }
    m_updatingFilters = false;
}

void SlaDashboard::setRange(Range range, qint64 customFromMs, qint64 customToMs)
{
    if (range == Custom) {
        m_fromEdit->setDateTime(QDateTime::fromMSecsSinceEpoch(customFromMs, Qt::UTC));
        m_toEdit->setDateTime(QDateTime::fromMSecsSinceEpoch(customToMs, Qt::UTC));
    }
    if (m_rangeBox->currentIndex() == range)
        refresh();
    m_rangeBox->setCurrentIndex(range);
}

void SlaDashboard::setPolicyFilter(const QString &policy)
{
    m_policyBox->setCurrentIndex(std::max(m_policyBox->findText(policy), 0));
}

SlaFilter SlaDashboard::currentFilter() const
{
    SlaFilter f;
    const qint64 now = m_clock();
    switch (m_range) {
    case Last24Hours:
        f.fromMs = now - kDayMs;
        break;
    case Last7Days:
        f.fromMs = now - 7 * kDayMs;
        break;
    case Last30Days:
        f.fromMs = now - 30 * kDayMs;
        break;
    case Custom:
        f.fromMs = m_fromEdit->dateTime().toMSecsSinceEpoch();
        break;
    }
    f.toMs = m_range == Custom ? m_toEdit->dateTime().toMSecsSinceEpoch() : now + 1;
    f.policy = m_policyBox->currentIndex() > 0 ? m_policyBox->currentText() : QString();
    f.partner = m_partnerBox->currentIndex() > 0 ? m_partnerBox->currentText() : QString();
    f.warehouse = m_warehouseBox->currentIndex() > 0 ? m_warehouseBox->currentText() : QString();
    return f;
}

void SlaDashboard::refresh()
{
    QStringList order;
    for (const SlaPolicy &p : std::as_const(m_config.policies))
        order.append(p.name);
    m_query->refresh(currentFilter(), order);
}

void SlaDashboard::showDashboard(const SlaDashboardData &data)
{
    m_data = data;
    m_summaryModel->setSummaries(data.summaries);
    m_atRiskModel->setItems(data.atRisk, m_clock());
    m_supplierModel->setScores(data.suppliers);
    fillFilter(m_partnerBox, data.partners, tr("All partners"));
    fillFilter(m_warehouseBox, data.warehouses, tr("All warehouses"));
    setChart(QStringLiteral("ontime"), slacharts::onTime(data));
    setChart(QStringLiteral("partners"),
             slacharts::counts(data.byPartner, chartTitle(QStringLiteral("partners"))));
    setChart(QStringLiteral("warehouses"),
             slacharts::counts(data.byWarehouse, chartTitle(QStringLiteral("warehouses"))));
    setChart(QStringLiteral("percentiles"), slacharts::percentiles(data.summaries));
    connectClicks();
    m_tabs->setTabText(1, data.atRisk.isEmpty() ? tr("At risk") : tr("At risk (%1)").arg(data.atRisk.size()));
    Q_EMIT dashboardShown();
}

void SlaDashboard::setChart(const QString &name, QChart *chart)
{
    QChartView *view = m_charts.value(name);
    QChart *old = view->chart();
    view->setChart(chart);
    delete old;
}

void SlaDashboard::connectClicks()
{
    const SlaFilter base = currentFilter();
    for (QAbstractSeries *s : m_charts.value(QStringLiteral("ontime"))->chart()->series()) {
        auto *line = qobject_cast<QLineSeries *>(s);
        connect(line, &QLineSeries::clicked, this, [this, base, policy = line->name()](const QPointF &p) {
            SlaFilter f = base;
            f.policy = policy;
            f.fromMs = static_cast<qint64>(p.x()) / kDayMs * kDayMs;
            f.toMs = f.fromMs + kDayMs;
            drillDown(
                f, std::nullopt,
                tr("%1 started on %2")
                    .arg(policy,
                         QDateTime::fromMSecsSinceEpoch(f.fromMs, Qt::UTC).date().toString(Qt::ISODate)));
        });
    }
    for (const QString &name : {QStringLiteral("partners"), QStringLiteral("warehouses")}) {
        QChart *chart = m_charts.value(name)->chart();
        auto *bars = qobject_cast<QHorizontalStackedBarSeries *>(chart->series().value(0));
        auto *axis = qobject_cast<QBarCategoryAxis *>(chart->axes(Qt::Vertical).value(0));
        if (!bars || !axis)
            continue;
        const bool partner = name == QLatin1String("partners");
        connect(bars, &QHorizontalStackedBarSeries::clicked, this,
                [this, base, axis, partner](int index, QBarSet *set) {
                    SlaFilter f = base;
                    const QString who = axis->at(index);
                    (partner ? f.partner : f.warehouse) = who;
                    const bool breached = set->label() == tr("breached");
                    drillDown(f, breached ? SlaState::Breached : SlaState::AtRisk,
                              tr("%1: %2").arg(who, breached ? tr("breached") : tr("at risk")));
                });
    }
    QChart *pct = m_charts.value(QStringLiteral("percentiles"))->chart();
    auto *bars = qobject_cast<QBarSeries *>(pct->series().value(0));
    auto *legs = qobject_cast<QBarCategoryAxis *>(pct->axes(Qt::Horizontal).value(0));
    if (bars && legs) {
        connect(bars, &QBarSeries::clicked, this, [this, base, legs](int index, QBarSet *) {
            SlaFilter f = base;
            f.policy = legs->at(index);
            drillDown(f, std::nullopt, f.policy);
        });
    }
}

void SlaDashboard::drillDown(const SlaFilter &filter, std::optional<SlaState> state, const QString &title)
{
    m_itemsTitle->setText(tr("%1 — loading…").arg(title));
    m_itemsTitle->setProperty("title", title);
    m_tabs->setCurrentIndex(2);
    m_query->drillDown(filter, state);
}

void SlaDashboard::showItems(const QList<SlaItem> &items)
{
    m_itemsModel->setItems(items, m_clock());
    const QString title = m_itemsTitle->property("title").toString();
    m_itemsTitle->setText(
        items.size() >= SlaQuery::maxItems
            ? tr("%1 — the newest %2 documents; Enter opens the trace").arg(title).arg(items.size())
            : tr("%1 — %2 documents; Enter opens the trace").arg(title).arg(items.size()));
    Q_EMIT itemsShown();
}

void SlaDashboard::openItem(const QModelIndex &index)
{
    const qint64 trace = index.data(SlaItemModel::TraceIdRole).toLongLong();
    if (trace != 0)
        Q_EMIT traceRequested(trace);
}

QChartView *SlaDashboard::chartView(const QString &chart) const
{
    return m_charts.value(chart);
}

bool SlaDashboard::exportChartPng(const QString &chart, const QString &path)
{
    QChartView *view = m_charts.value(chart);
    return view && view->grab().save(path, "PNG");
}

bool SlaDashboard::exportChartCsv(const QString &chart, const QString &path)
{
    if (chart == QLatin1String("ontime"))
        return writeFile(path, onTimeCsv(m_data));
    if (chart == QLatin1String("partners"))
        return writeFile(path, countsCsv(m_data.byPartner, QStringLiteral("partner")));
    if (chart == QLatin1String("warehouses"))
        return writeFile(path, countsCsv(m_data.byWarehouse, QStringLiteral("warehouse")));
    if (chart == QLatin1String("percentiles"))
        return writeFile(path, modelToCsv(*m_summaryModel));
    return false;
}

void SlaDashboard::writeReport(const QString &path)
{
    m_pendingReport = path;
    m_query->loadWorst(m_data.filter.toMs > m_data.filter.fromMs ? m_data.filter : currentFilter());
}

void SlaDashboard::printReport(const QList<SlaItem> &worst)
{
    const QString path = std::exchange(m_pendingReport, {});
    if (path.isEmpty())
        return;
    const bool ok = writeSlaPdf(path, m_data, worst, m_clock());
    if (!ok)
        Q_EMIT problem(tr("Cannot write the SLA report to %1").arg(path));
    Q_EMIT reportWritten(path, ok);
}

} // namespace sightline
