#pragma once

#include "models/audit/auditlog.h"

#include <QThread>
#include <QTimer>
#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QTableView;

namespace sightline {

class AuditLogModel;
class ExceptionQueueLoader;
class Store;

// The audit log: every action and every change of an exception, newest first, with the state of
// its hash chain (verified on each load; a broken entry is named and selected). Reads on a reader
// thread; follows the store's commits.
class AuditPanel : public QWidget
{
    Q_OBJECT
public:
    AuditPanel(const QString &storePath, Store *store, QWidget *parent = nullptr);
    ~AuditPanel() override;

    void reload();
    AuditLogModel *model() const { return m_model; }
    QString chainText() const;

Q_SIGNALS:
    void problem(const QString &message);
    void loadedForTest();

private:
    void onLoaded(quint64 job, const QList<AuditEntry> &entries, const AuditVerification &verification);
    void showEntry();

    QThread m_thread;
    ExceptionQueueLoader *m_loader = nullptr;
    AuditLogModel *m_model = nullptr;
    QTableView *m_table = nullptr;
    QLabel *m_chain = nullptr;
    QPlainTextEdit *m_entry = nullptr;
    QTimer m_reloadTimer;
    quint64 m_job = 0;
};

} // namespace sightline
