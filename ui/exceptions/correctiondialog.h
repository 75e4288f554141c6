#pragma once

#include "models/actions/actionservice.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QDateEdit;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;

namespace sightline {

// A business correction (SPEC.md §4), non-modal: pick what to correct among the corrections that fit
// the exception and its trace (the ones the role may not make are not offered; the action service
// refuses them anyway), the line, the quantity or promised date, and the reason; the write call it
// makes is shown before it goes, and a dry run shows it without sending. One press sends it once:
// the call carries an idempotency key derived from the exception and the call.
class CorrectionDialog : public QDialog
{
    Q_OBJECT
public:
    // item carries its detail (the trace's documents), as the exception panel loads it.
    CorrectionDialog(ActionService *actions, const ExceptionItem &item, QWidget *parent = nullptr);

    QComboBox *choiceBox() const { return m_choice; }
    QSpinBox *lineBox() const { return m_line; }
    QCheckBox *quantityCheck() const { return m_useQuantity; }
    QDoubleSpinBox *quantityBox() const { return m_quantity; }
    QCheckBox *dateCheck() const { return m_useDate; }
    QDateEdit *dateBox() const { return m_date; }
    QLineEdit *reasonEdit() const { return m_reason; }
    QPlainTextEdit *preview() const { return m_preview; }
    QPushButton *dryRunButton() const { return m_dryRun; }
    QPushButton *correctButton() const { return m_correct; }
    QLabel *statusLabel() const { return m_status; }

    // The correction the fields describe now; nullopt when no correction may be made.
    std::optional<Correction> correction() const;

Q_SIGNALS:
    void problem(const QString &message);
    void actionDone(const sightline::ActionOutcome &outcome); // a dry run or a correction came back

private:
    QWidget *buildFields();
    void offerChoices();
    void onChoiceChanged();
    void updatePreview();
    void run(bool dryRun);
    void showOutcome(const Result<ActionOutcome> &r, bool dryRun);

    ActionService *m_actions;
    ExceptionItem m_item;
    QList<CorrectionChoice> m_choices;
    bool m_busy = false;
    QComboBox *m_choice = nullptr;
    QSpinBox *m_line = nullptr;
    QCheckBox *m_useQuantity = nullptr;
    QDoubleSpinBox *m_quantity = nullptr;
    QCheckBox *m_useDate = nullptr;
    QDateEdit *m_date = nullptr;
    QLineEdit *m_reason = nullptr;
    QPlainTextEdit *m_preview = nullptr;
    QLabel *m_status = nullptr;
    QPushButton *m_dryRun = nullptr;
    QPushButton *m_correct = nullptr;
};

} // namespace sightline
