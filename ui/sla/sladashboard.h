#pragma once

#include "models/actions/roles.h"
#include "models/sla/policy.h"
#include "models/sla/slareport.h"

#include <QPointer>
#include <QWidget>
#include <functional>
#include <optional>

class QAbstractItemModel;
class QChart;
class QChartView;
class QComboBox;
class QDateTimeEdit;
class QLabel;
class QModelIndex;
class QTabWidget;
class QTableView;
class QTimer;

namespace sightline {

class SlaEngine;
class SlaItemModel;
class SlaPolicyEditor;
class SlaQuery;
class SlaSummaryModel;
class Store;
class SupplierScoreModel;

// The SLA area: on-time % over time, breaches and at-risk by partner and warehouse, latency
// percentiles per leg, the at-risk list (least time left first) and supplier scorecards, for a
// time range (24 h, 7 d, 30 d, custom) and filters. Clicking a point, bar or row lists the
// documents behind it; opening one asks for its trace (traceRequested). Charts export as PNG,
// their data as CSV, and the whole as a PDF report. Queries run on SlaQuery's thread; with a
// store, an SlaEngine keeps the measurements current.
class SlaDashboard : public QWidget
{
    Q_OBJECT
public:
    using Clock = std::function<qint64()>;
    enum Range { Last24Hours, Last7Days, Last30Days, Custom };

    // store may be null (read-only console): the dashboard then shows what is measured.
    SlaDashboard(const QString &storePath, Store *store, QWidget *parent = nullptr);
    ~SlaDashboard() override;

    // For screenshots and tests: the time "now" is (defaults to the system clock). Call before start().
    void setClock(Clock clock);
    // Where the managers' policy edits are saved (default SlaConfig::userConfigPath()). Before start().
    void setPolicyFile(const QString &path);
    // Starts the engine (with a store) and the first refresh.
    void start();
    // The policy editor (one at a time, non-modal): editable for managers and administrators,
    // read-only for everyone else; without a store it cannot save.
    SlaPolicyEditor *openPolicyEditor();
    const SlaConfig &config() const { return m_config; }
    const Identity &identity() const { return m_identity; }

    void setRange(Range range, qint64 customFromMs = 0, qint64 customToMs = 0);
    void setPolicyFilter(const QString &policy);
    void refresh();
    SlaFilter currentFilter() const;

    // Exports: the chart as PNG (chart: "ontime", "partners", "warehouses", "percentiles"),
    // its data as CSV, the report as PDF (after the worst offenders arrive: reportWritten).
    bool exportChartPng(const QString &chart, const QString &path);
    bool exportChartCsv(const QString &chart, const QString &path);
    void writeReport(const QString &path);

    // What a click on a point, bar or row asks for (tests drive these as a click would).
    void drillDown(const SlaFilter &filter, std::optional<SlaState> state, const QString &title);
    void openItem(const QModelIndex &index);

    const SlaDashboardData &data() const { return m_data; }
    SlaSummaryModel *summaryModel() const { return m_summaryModel; }
    SlaItemModel *atRiskModel() const { return m_atRiskModel; }
    SlaItemModel *itemsModel() const { return m_itemsModel; }
    SupplierScoreModel *supplierModel() const { return m_supplierModel; }
    QChartView *chartView(const QString &chart) const;
    QTabWidget *tabs() const { return m_tabs; }
    SlaEngine *engine() const { return m_engine; }

Q_SIGNALS:
    void traceRequested(qint64 traceId);
    void dashboardShown();
    void itemsShown();
    void reportWritten(const QString &path, bool ok);
    void problem(const QString &message);
    // The engine committed new measurements (an open trace may show new SLA targets).
    void measurementsChanged();

private:
    QWidget *makeToolbar();
    QWidget *makeCharts();
    QWidget *makeTables();
    QTableView *makeTable(QAbstractItemModel *model);
    void showDashboard(const SlaDashboardData &data);
    void showItems(const QList<SlaItem> &items);
    void setChart(const QString &name, QChart *chart);
    void connectClicks();
    void exportMenu();
    void fillFilter(QComboBox *box, const QStringList &values, const QString &all);
    void printReport(const QList<SlaItem> &worst);
    void policiesSaved(quint64 jobId, const SlaConfig &config, const QStringList &changes);
    void policiesRefused(quint64 jobId, const QString &message);

    QString m_storePath;
    Store *m_store = nullptr;
    SlaConfig m_config;
    Identity m_identity;
    QString m_policyFile;
    QPointer<SlaPolicyEditor> m_policyEditor;
    quint64 m_policyJob = 0;
    Clock m_clock;
    SlaEngine *m_engine = nullptr;
    SlaQuery *m_query = nullptr;
    SlaDashboardData m_data;
    Range m_range = Last7Days;
    QComboBox *m_rangeBox = nullptr;
    QDateTimeEdit *m_fromEdit = nullptr;
    QDateTimeEdit *m_toEdit = nullptr;
    QComboBox *m_policyBox = nullptr;
    QComboBox *m_partnerBox = nullptr;
    QComboBox *m_warehouseBox = nullptr;
    QLabel *m_itemsTitle = nullptr;
    QTabWidget *m_tabs = nullptr;
    QMap<QString, QChartView *> m_charts;
    SlaSummaryModel *m_summaryModel = nullptr;
    SlaItemModel *m_atRiskModel = nullptr;
    SlaItemModel *m_itemsModel = nullptr;
    SupplierScoreModel *m_supplierModel = nullptr;
    QTimer *m_refreshTimer = nullptr;
    QString m_pendingReport;
    bool m_updatingFilters = false;
};

} // namespace sightline
