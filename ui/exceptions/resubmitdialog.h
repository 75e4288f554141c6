#pragma once

#include "models/actions/actionservice.h"
#include "models/actions/resubmitdrafts.h"

#include <QDialog>
#include <QThread>
#include <QTimer>

class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QTableWidget;

namespace sightline {

class DraftReader;

// Edit and resubmit (SPEC.md §4), non-modal: a JSON editor over the kept message that is checked
// as you type (by the models: parse errors with line and column, the original's shape and types,
// the editable fields), the field-level diff, the draft versions, and dry-run and send buttons
// that the role hides (the action service refuses anyway). The original is never changed.
class ResubmitDialog : public QDialog
{
    Q_OBJECT
public:
    ResubmitDialog(ActionService *actions, const QString &storePath, const ExceptionItem &item,
                   const QByteArray &original, QWidget *parent = nullptr);
    ~ResubmitDialog() override;

    QPlainTextEdit *editor() const { return m_editor; }
    QLineEdit *reasonEdit() const { return m_reason; }
    QPushButton *dryRunButton() const { return m_dryRun; }
    QPushButton *sendButton() const { return m_send; }
    QTableWidget *diffTable() const { return m_diff; }
    // Checks the editor's text now rather than after the typing pause.
    void validateNow();

Q_SIGNALS:
    void problem(const QString &message);
    void actionDone(const sightline::ActionOutcome &outcome); // a dry run or a send came back
    void draftsShown(int count);

private:
    QWidget *buildEditor();
    QWidget *buildSide();
    void showCheck(const EditCheck &check);
    void run(bool dryRun);
    void saveDraft();
    void reloadDrafts();
    void onDrafts(quint64 job, qint64 exceptionId, const QList<ResubmitDraft> &drafts);
    void updateButtons();

    ActionService *m_actions;
    ExceptionItem m_item;
    QByteArray m_original;
    bool m_mayAct = false;
    bool m_busy = false;
    EditCheck m_check;
    QThread m_readerThread;
    DraftReader *m_reader = nullptr;
    quint64 m_draftJob = 0;
    QList<ResubmitDraft> m_drafts;
    QTimer m_validateTimer;
    QPlainTextEdit *m_editor = nullptr;
    QLabel *m_problems = nullptr;
    QTableWidget *m_diff = nullptr;
    QComboBox *m_versions = nullptr;
    QLineEdit *m_reason = nullptr;
    QPlainTextEdit *m_preview = nullptr;
    QLabel *m_status = nullptr;
    QPushButton *m_saveDraft = nullptr;
    QPushButton *m_dryRun = nullptr;
    QPushButton *m_send = nullptr;
};

} // namespace sightline
