#pragma once

#include "models/actions/roles.h"
#include "models/sla/policychange.h"

#include <QDialog>
#include <functional>

class QAbstractItemModel;
class QLabel;
class QLineEdit;
class QPushButton;
class QTabWidget;
class QTableView;

namespace sightline {

class SlaCalendarForm;
class SlaCalendarModel;
class SlaPolicyForm;
class SlaPolicyModel;

// The managers' editor of SLA policies and business calendars (SPEC.md §6). It edits a copy and
// asks for a save with saveRequested; the SLA engine checks the role, saves, audits and
// recomputes, and the answer comes back through showSaved or showFailed. Roles that may not edit
// rules see the policies read-only.
class SlaPolicyEditor : public QDialog
{
    Q_OBJECT
public:
    SlaPolicyEditor(const SlaConfig &config, const Identity &identity, QWidget *parent = nullptr);

    SlaConfig editedConfig() const;
    QStringList pendingChanges() const;
    void showSaved(const QStringList &changes);
    void showFailed(const QString &message);

    void selectPolicy(int row);
    void selectCalendar(int row);
    void addPolicy();
    void addCalendar();
    void save();

    SlaPolicyModel *policyModel() const { return m_policyModel; }
    SlaCalendarModel *calendarModel() const { return m_calendarModel; }
    SlaPolicyForm *policyForm() const { return m_policyForm; }
    SlaCalendarForm *calendarForm() const { return m_calendarForm; }
    QLineEdit *reasonEdit() const { return m_reason; }
    QPushButton *saveButton() const { return m_save; }
    QLabel *statusLabel() const { return m_status; }
    QTabWidget *tabs() const { return m_tabs; }

Q_SIGNALS:
    void saveRequested(const sightline::SlaPolicyChange &change);

private:
    bool mayEdit() const;
    QWidget *makePoliciesTab();
    QWidget *makeCalendarsTab();
    QWidget *makeFooter();
    QWidget *makeListButtons(QTableView *table, const std::function<void()> &add,
                             const std::function<void()> &remove);
    QTableView *makeTable(QAbstractItemModel *model);
    void policyEdited();
    void calendarEdited();
    void removeSelected(QTableView *table, const std::function<void(int)> &remove);
    void showProblem(const QString &message);
    void updateState();

    SlaConfig m_original;
    Identity m_identity;
    SlaPolicyModel *m_policyModel = nullptr;
    SlaCalendarModel *m_calendarModel = nullptr;
    QTableView *m_policyTable = nullptr;
    QTableView *m_calendarTable = nullptr;
    SlaPolicyForm *m_policyForm = nullptr;
    SlaCalendarForm *m_calendarForm = nullptr;
    QTabWidget *m_tabs = nullptr;
    QLineEdit *m_reason = nullptr;
    QPushButton *m_save = nullptr;
    QLabel *m_status = nullptr;
    QLabel *m_summary = nullptr;
    int m_policyRow = -1;
    int m_calendarRow = -1;
    QString m_formProblem;
    bool m_saving = false;
};

} // namespace sightline
