#pragma once

#include "models/actions/bulkjob.h"

#include <QDialog>

class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTableView;

namespace sightline {

// A bulk replay (SPEC.md §4, bulk), non-modal: the selection's preview (what each item will do,
// or why the service will refuse it), a dry run, a rate-limited run with a progress bar and
// cancel, the per-item results, and their export as CSV. The role check is the service's: a role
// without bulk actions gets a refusal, never a job. Jobs are kept in the store and resume.
class BulkJobDialog : public QDialog
{
    Q_OBJECT
public:
    BulkJobDialog(Store *store, ActionService *actions, const QList<qint64> &exceptionIds,
                  const QString &selection, QWidget *parent = nullptr);

    BulkResultModel *results() const { return m_results; }
    QProgressBar *progressBar() const { return m_progress; }
    QPushButton *dryRunButton() const { return m_dryRun; }
    QPushButton *runButton() const { return m_run; }
    QPushButton *cancelButton() const { return m_cancel; }
    QSpinBox *rateBox() const { return m_rate; }

Q_SIGNALS:
    void problem(const QString &message);
    void previewShown(int items);
    void jobFinished(const QString &state);

private:
    void makeJob(bool dryRun, bool start);
    void onProgress(qint64 jobId, int finished, int total);
    void onFinished(qint64 jobId, const QString &state);
    void exportCsv();
    void setRunning(bool running);

    Store *m_store;
    ActionService *m_actions;
    QList<qint64> m_ids;
    QString m_selection;
    BulkJobRunner *m_runner = nullptr;
    BulkResultModel *m_results = nullptr;
    BulkJob m_job;
    QLabel *m_summary = nullptr;
    QTableView *m_table = nullptr;
    QProgressBar *m_progress = nullptr;
    QSpinBox *m_rate = nullptr;
    QLineEdit *m_reason = nullptr;
    QPushButton *m_dryRun = nullptr;
    QPushButton *m_run = nullptr;
    QPushButton *m_cancel = nullptr;
    QPushButton *m_export = nullptr;
};

} // namespace sightline
