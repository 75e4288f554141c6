#include "ui/exceptions/bulkjobdialog.h"

#include <QDialogButtonBox>
#include <QFile>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QTableView>
#include <QVBoxLayout>

namespace sightline {

BulkJobDialog::BulkJobDialog(Store *store, ActionService *actions, const QList<qint64> &exceptionIds,
                             const QString &selection, QWidget *parent)
    : QDialog(parent), m_store(store), m_actions(actions), m_ids(exceptionIds), m_selection(selection)
{
    setObjectName(QStringLiteral("bulkJobDialog"));
    setModal(false);
    setWindowTitle(tr("Bulk replay: %n exception(s)", nullptr, int(exceptionIds.size())));
    m_runner = new BulkJobRunner(store, actions);
    m_runner->setParent(this);
    m_results = new BulkResultModel(this);
    connect(m_runner, &BulkJobRunner::progress, this, &BulkJobDialog::onProgress);
    connect(m_runner, &BulkJobRunner::itemFinished, m_results, [this](qint64 job, const BulkItem &item) {
        if (job == m_job.id)
            m_results->updateItem(item);
    });
    connect(m_runner, &BulkJobRunner::jobFinished, this, &BulkJobDialog::onFinished);
    connect(m_runner, &BulkJobRunner::jobFailed, this, [this](qint64, const QString &m) {
        setRunning(false);
        m_summary->setText(m);
        Q_EMIT problem(m);
    });

    auto *v = new QVBoxLayout(this);
    m_summary = new QLabel(tr("%n exception(s) selected (%1). Dry run first: it shows what each would send.",
                              nullptr, int(exceptionIds.size()))
                               .arg(selection),
                           this);
    m_summary->setObjectName(QStringLiteral("bulkSummary"));
    m_summary->setWordWrap(true);
    v->addWidget(m_summary);
    auto *form = new QFormLayout;
    m_reason = new QLineEdit(this);
    m_reason->setPlaceholderText(tr("Why, kept in the audit log for every item"));
    form->addRow(tr("Reason"), m_reason);
    m_rate = new QSpinBox(this);
    m_rate->setRange(0, 1000);
    m_rate->setValue(5);
    m_rate->setSuffix(tr(" items/s"));
    m_rate->setSpecialValueText(tr("no limit"));
    form->addRow(tr("Rate"), m_rate);
    v->addLayout(form);
    m_progress = new QProgressBar(this);
    m_progress->setObjectName(QStringLiteral("bulkProgress"));
    m_progress->setRange(0, qMax(1, int(exceptionIds.size())));
    m_progress->setValue(0);
    m_progress->setFormat(tr("%v of %m"));
    v->addWidget(m_progress);
    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("bulkResults"));
    m_table->setModel(m_results);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setWordWrap(false);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    v->addWidget(m_table, 1);
    auto *box = new QDialogButtonBox(this);
    m_dryRun = box->addButton(tr("Dry run"), QDialogButtonBox::ActionRole);
    m_run = box->addButton(tr("Run"), QDialogButtonBox::ActionRole);
    m_cancel = box->addButton(tr("Cancel job"), QDialogButtonBox::ActionRole);
    m_export = box->addButton(tr("Export CSV…"), QDialogButtonBox::ActionRole);
    box->addButton(QDialogButtonBox::Close);
    connect(box, &QDialogButtonBox::rejected, this, &QDialog::close);
    connect(m_dryRun, &QPushButton::clicked, this, [this] { makeJob(true, true); });
    connect(m_run, &QPushButton::clicked, this, [this] { makeJob(false, true); });
    connect(m_cancel, &QPushButton::clicked, m_runner, &BulkJobRunner::cancel);
    connect(m_export, &QPushButton::clicked, this, &BulkJobDialog::exportCsv);
    v->addWidget(box);
    // The role check is the service's; the buttons are offered only to roles that may.
    const bool may = actions && roleMay(actions->identity().role, Permission::Bulk);
    m_dryRun->setVisible(may);
    m_run->setVisible(may);
    m_cancel->setVisible(may);
    setRunning(false);
    resize(980, 560);
}

void BulkJobDialog::makeJob(bool dryRun, bool start)
{
    BulkJob job;
    job.dryRun = dryRun;
    job.ratePerSecond = m_rate->value();
    job.reason = m_reason->text().trimmed();
    job.selection = m_selection;
    setRunning(true);
    m_summary->setText(tr("Preparing the job…"));
    m_runner->create(job, m_ids, [this, start](Result<std::pair<BulkJob, QList<BulkItem>>> r) {
        if (!r) {
            setRunning(false);
            m_summary->setText(r.error());
            Q_EMIT problem(r.error());
            return;
        }
        m_job = r->first;
        m_results->setItems(r->second);
        m_table->resizeColumnsToContents();
        int refused = 0;
        for (const BulkItem &i : r->second)
            refused += i.preview.startsWith(QStringLiteral("refused")) ? 1 : 0;
        m_summary->setText(tr("Job %1 (%2): %3 item(s), %4 will be refused.")
                               .arg(m_job.id)
                               .arg(m_job.dryRun ? tr("dry run, nothing is sent") : tr("sending"))
                               .arg(r->second.size())
                               .arg(refused));
        Q_EMIT previewShown(int(r->second.size()));
        if (start)
            m_runner->run(m_job.id);
        else
            setRunning(false);
    });
}

void BulkJobDialog::onProgress(qint64 jobId, int finished, int total)
{
    if (jobId != m_job.id)
        return;
    m_progress->setRange(0, qMax(1, total));
    m_progress->setValue(finished);
}

void BulkJobDialog::onFinished(qint64 jobId, const QString &state)
{
    if (jobId != m_job.id)
        return;
    setRunning(false);
    m_table->resizeColumnsToContents();
    QHash<QString, int> counts;
    for (const BulkItem &i : m_results->items())
        ++counts[i.state];
    QStringList parts;
    for (auto it = counts.cbegin(); it != counts.cend(); ++it)
        parts.append(QStringLiteral("%1 %2").arg(it.value()).arg(it.key()));
    parts.sort();
    m_summary->setText(tr("Job %1 %2: %3.").arg(jobId).arg(state, parts.join(QStringLiteral(", "))));
    Q_EMIT jobFinished(state);
}

void BulkJobDialog::exportCsv()
{
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export the results"), QStringLiteral("bulk-job-%1.csv").arg(m_job.id), tr("CSV (*.csv)"));
    if (path.isEmpty())
        return;
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) ||
        f.write(bulkResultsCsv(m_job, m_results->items())) < 0)
        Q_EMIT problem(tr("Cannot write %1: %2").arg(path, f.errorString()));
}

void BulkJobDialog::setRunning(bool running)
{
    m_dryRun->setEnabled(!running && !m_ids.isEmpty());
    m_run->setEnabled(!running && !m_ids.isEmpty());
    m_cancel->setEnabled(running);
    m_export->setEnabled(!running && m_job.id != 0);
    m_rate->setEnabled(!running);
}

} // namespace sightline
