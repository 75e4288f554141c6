#include "ui/exceptions/correctiondialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateEdit>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace sightline {

CorrectionDialog::CorrectionDialog(ActionService *actions, const ExceptionItem &item, QWidget *parent)
    : QDialog(parent), m_actions(actions), m_item(item)
{
    setObjectName(QStringLiteral("correctionDialog"));
    setModal(false);
    setWindowTitle(tr("Correct #%1 %2").arg(item.id).arg(item.documentKey));
    auto *v = new QVBoxLayout(this);
    auto *about = new QLabel(item.title.isEmpty() ? item.type : item.title, this);
    about->setWordWrap(true);
    QFont bold = about->font();
    bold.setBold(true);
    about->setFont(bold);
    v->addWidget(about);
    if (!item.detail.isEmpty()) {
        auto *detail = new QLabel(item.detail, this);
        detail->setWordWrap(true);
        v->addWidget(detail);
    }
    v->addWidget(buildFields());
    v->addWidget(new QLabel(tr("The call to the owning system:"), this));
    m_preview = new QPlainTextEdit(this);
    m_preview->setObjectName(QStringLiteral("correctionPreview"));
    m_preview->setReadOnly(true);
    m_preview->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    v->addWidget(m_preview, 1);
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("correctionStatus"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    v->addWidget(m_status);
    auto *box = new QDialogButtonBox(this);
    m_dryRun = box->addButton(tr("Dry run"), QDialogButtonBox::ActionRole);
    m_correct = box->addButton(tr("Correct"), QDialogButtonBox::AcceptRole);
    m_dryRun->setObjectName(QStringLiteral("correctionDryRun"));
    m_correct->setObjectName(QStringLiteral("correctionSend"));
    m_correct->setAutoDefault(false);
    box->addButton(QDialogButtonBox::Close);
    connect(m_dryRun, &QPushButton::clicked, this, [this] { run(true); });
    connect(m_correct, &QPushButton::clicked, this, [this] { run(false); });
    connect(box, &QDialogButtonBox::rejected, this, &QDialog::close);
    v->addWidget(box);
    offerChoices();
    resize(620, 520);
}

QWidget *CorrectionDialog::buildFields()
{
    auto *fields = new QWidget(this);
    auto *form = new QFormLayout(fields);
    form->setContentsMargins(0, 0, 0, 0);
    m_choice = new QComboBox(fields);
    m_choice->setObjectName(QStringLiteral("correctionChoice"));
    form->addRow(tr("Correction:"), m_choice);
    m_line = new QSpinBox(fields);
    m_line->setRange(1, 9999);
    form->addRow(tr("Line:"), m_line);
    auto *quantityRow = new QHBoxLayout;
    m_useQuantity = new QCheckBox(tr("Quantity"), fields);
    m_quantity = new QDoubleSpinBox(fields);
    m_quantity->setRange(0, 1e9);
    m_quantity->setDecimals(3);
    quantityRow->addWidget(m_useQuantity);
    quantityRow->addWidget(m_quantity, 1);
    form->addRow(tr("New quantity:"), quantityRow);
    auto *dateRow = new QHBoxLayout;
    m_useDate = new QCheckBox(tr("Date"), fields);
    m_date = new QDateEdit(QDate::currentDate().addDays(7), fields);
    m_date->setCalendarPopup(true);
    m_date->setDisplayFormat(QStringLiteral("yyyy-MM-dd"));
    dateRow->addWidget(m_useDate);
    dateRow->addWidget(m_date, 1);
    form->addRow(tr("New promised date:"), dateRow);
    m_reason = new QLineEdit(fields);
    m_reason->setObjectName(QStringLiteral("correctionReason"));
    m_reason->setPlaceholderText(tr("Why (required; kept in the audit log)"));
    form->addRow(tr("Reason:"), m_reason);
    connect(m_choice, &QComboBox::currentIndexChanged, this, &CorrectionDialog::onChoiceChanged);
    connect(m_line, &QSpinBox::valueChanged, this, &CorrectionDialog::updatePreview);
    connect(m_quantity, &QDoubleSpinBox::valueChanged, this, [this] {
        m_useQuantity->setChecked(true);
        updatePreview();
    });
    connect(m_date, &QDateEdit::dateChanged, this, [this] {
        m_useDate->setChecked(true);
        updatePreview();
    });
    for (QCheckBox *check : {m_useQuantity, m_useDate})
        connect(check, &QCheckBox::toggled, this, &CorrectionDialog::updatePreview);
    connect(m_reason, &QLineEdit::textChanged, this, &CorrectionDialog::updatePreview);
    return fields;
}

// Only the corrections this role may make are offered (the service checks again when it acts).
void CorrectionDialog::offerChoices()
{
    const Identity who = m_actions ? m_actions->identity() : Identity{};
    for (const CorrectionChoice &c : correctionChoices(m_item)) {
        ExceptionItem target = m_item;
        target.documentKind = c.documentKind;
        if (m_actions && ActionService::permits(who, ActionKind::Correct, target, nullptr))
            m_choices.append(c);
    }
    for (const CorrectionChoice &c : std::as_const(m_choices))
        m_choice->addItem(c.label);
    if (m_choices.isEmpty())
        m_status->setText(tr("There is nothing here that you may correct as %1.").arg(roleName(who.role)));
    onChoiceChanged();
}

void CorrectionDialog::onChoiceChanged()
{
    const int i = m_choice->currentIndex();
    const bool any = i >= 0 && i < m_choices.size();
    const bool quantity = any && m_choices.at(i).needsQuantity;
    const bool date = any && m_choices.at(i).needsDate;
    m_useQuantity->setEnabled(quantity);
    m_quantity->setEnabled(quantity);
    m_useDate->setEnabled(date);
    m_date->setEnabled(date);
    // A correction that needs only one of them needs it: checked and not to be unchecked.
    const bool onlyQuantity = quantity && !date;
    const bool onlyDate = date && !quantity;
    m_useQuantity->setChecked(onlyQuantity || (quantity && m_useQuantity->isChecked()));
    m_useDate->setChecked(onlyDate || (date && m_useDate->isChecked()));
    m_useQuantity->setEnabled(quantity && !onlyQuantity);
    m_useDate->setEnabled(date && !onlyDate);
    updatePreview();
}

std::optional<Correction> CorrectionDialog::correction() const
{
    const int i = m_choice->currentIndex();
    if (i < 0 || i >= m_choices.size())
        return std::nullopt;
    const CorrectionChoice &c = m_choices.at(i);
    Correction out{c.kind, c.documentKind, c.documentKey, m_line->value(), std::nullopt, QDate()};
    if (c.needsQuantity && m_useQuantity->isChecked())
        out.quantity = m_quantity->value();
    if (c.needsDate && m_useDate->isChecked())
        out.promisedDate = m_date->date();
    return out;
}

void CorrectionDialog::updatePreview()
{
    const auto c = correction();
    const auto call = c ? correctionActionFor(m_item, *c) : Result<ReplayAction>(Error{QString()});
    if (call)
        m_preview->setPlainText(QStringLiteral("%1 %2:%3\nIdempotency-Key: %4\n\n%5")
                                    .arg(QString::fromLatin1(call->method), call->connection, call->path,
                                         call->idempotencyKey, QString::fromUtf8(call->body)));
    else
        m_preview->setPlainText(call.error().isEmpty() ? QString() : tr("Not yet: %1").arg(call.error()));
    const bool mayAct = m_actions && !m_choices.isEmpty() && !m_busy;
    m_dryRun->setEnabled(mayAct && call.ok());
    m_correct->setEnabled(mayAct && call.ok() && !m_reason->text().trimmed().isEmpty());
    m_dryRun->setVisible(!m_choices.isEmpty()); // nothing to offer this role: no buttons
    m_correct->setVisible(!m_choices.isEmpty());
}

void CorrectionDialog::run(bool dryRun)
{
    const auto c = correction();
    if (!m_actions || !c)
        return;
    ActionRequest request{ActionKind::Correct, m_item.id};
    request.expectedVersion = m_item.version;
    request.correction = *c;
    request.reason = m_reason->text().trimmed();
    if (dryRun && request.reason.isEmpty())
        request.reason = tr("dry run");
    request.dryRun = dryRun;
    m_busy = true;
    updatePreview();
    m_status->setText(dryRun ? tr("Checking…") : tr("Correcting…"));
    m_actions->perform(request, [this, dryRun](Result<ActionOutcome> r) { showOutcome(r, dryRun); });
}

void CorrectionDialog::showOutcome(const Result<ActionOutcome> &r, bool dryRun)
{
    m_busy = false;
    updatePreview();
    if (!r) {
        m_status->setText(r.error());
        Q_EMIT problem(r.error());
        return;
    }
    QString text = r->done ? r->message : tr("Refused: %1").arg(r->message);
    if (!r->warning.isEmpty())
        text += u'\n' + r->warning;
    m_status->setText(text);
    if (!r->done && !dryRun)
        Q_EMIT problem(tr("correction refused: %1").arg(r->message));
    // The next press is decided on the exception as this correction left it.
    if (r->done && !dryRun && r->item.version > 0)
        m_item.version = r->item.version;
    Q_EMIT actionDone(r.value());
}

} // namespace sightline
