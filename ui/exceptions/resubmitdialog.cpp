#include "ui/exceptions/resubmitdialog.h"

#include "models/actions/draftreader.h"
#include "models/exceptions/exceptionqueueloader.h"

#include <QComboBox>
#include <QDateTime>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>

namespace sightline {

ResubmitDialog::ResubmitDialog(ActionService *actions, const QString &storePath, const ExceptionItem &item,
                               const QByteArray &original, QWidget *parent)
    : QDialog(parent), m_actions(actions), m_item(item), m_original(original)
{
    setObjectName(QStringLiteral("resubmitDialog"));
    setModal(false);
    setWindowTitle(tr("Edit and resubmit #%1 %2").arg(item.id).arg(item.documentKey));
    m_mayAct = actions && actions->allowedActions(item).contains(ActionKind::Resubmit);
    auto *split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(buildEditor());
    split->addWidget(buildSide());
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    auto *v = new QVBoxLayout(this);
    v->addWidget(split, 1);
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("resubmitStatus"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    v->addWidget(m_status);
    auto *box = new QDialogButtonBox(this);
    m_saveDraft = box->addButton(tr("Save draft"), QDialogButtonBox::ActionRole);
    m_dryRun = box->addButton(tr("Dry run"), QDialogButtonBox::ActionRole);
    m_send = box->addButton(tr("Send"), QDialogButtonBox::AcceptRole);
    m_send->setObjectName(QStringLiteral("resubmitSend"));
    m_dryRun->setObjectName(QStringLiteral("resubmitDryRun"));
    box->addButton(QDialogButtonBox::Close);
    for (QPushButton *b : {m_saveDraft, m_dryRun, m_send})
        b->setVisible(m_mayAct); // hidden for the role; the service refuses anyway
    m_send->setDefault(false);
    m_send->setAutoDefault(false);
    connect(m_saveDraft, &QPushButton::clicked, this, &ResubmitDialog::saveDraft);
    connect(m_dryRun, &QPushButton::clicked, this, [this] { run(true); });
    connect(m_send, &QPushButton::clicked, this, [this] { run(false); });
    connect(box, &QDialogButtonBox::rejected, this, &QDialog::close);
    v->addWidget(box);
    resize(1100, 680);

    m_validateTimer.setSingleShot(true);
    m_validateTimer.setInterval(200);
    connect(&m_validateTimer, &QTimer::timeout, this, &ResubmitDialog::validateNow);
    connect(m_editor, &QPlainTextEdit::textChanged, &m_validateTimer, qOverload<>(&QTimer::start));
    connect(m_reason, &QLineEdit::textChanged, this, &ResubmitDialog::updateButtons);

    m_readerThread.setObjectName(QStringLiteral("sightline-drafts-reader"));
    m_reader = new DraftReader(storePath);
    m_reader->moveToThread(&m_readerThread);
    connect(&m_readerThread, &QThread::finished, m_reader, &QObject::deleteLater);
    connect(m_reader, &DraftReader::loaded, this, &ResubmitDialog::onDrafts);
    connect(m_reader, &DraftReader::loadFailed, this,
            [this](quint64, const QString &m) { Q_EMIT problem(tr("Drafts: %1").arg(m)); });
    m_readerThread.start();
    m_editor->setPlainText(ExceptionQueueLoader::readablePayload(original));
    validateNow();
    reloadDrafts();
}

ResubmitDialog::~ResubmitDialog()
{
    m_readerThread.quit();
    m_readerThread.wait();
}

QWidget *ResubmitDialog::buildEditor()
{
    auto *pane = new QWidget(this);
    auto *v = new QVBoxLayout(pane);
    v->setContentsMargins(0, 0, 0, 0);
    const QStringList editable =
        m_actions ? m_actions->editRules().editablePatterns(m_item.documentKind) : QStringList();
    auto *hint =
        new QLabel(editable.isEmpty() ? tr("No field of a %1 message may be edited.").arg(m_item.documentKind)
                                      : tr("Editable: %1").arg(editable.join(QStringLiteral(", "))),
                   pane);
    hint->setWordWrap(true);
    v->addWidget(hint);
    m_editor = new QPlainTextEdit(pane);
    m_editor->setObjectName(QStringLiteral("resubmitEditor"));
    m_editor->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_editor->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_editor->setReadOnly(!m_mayAct);
    v->addWidget(m_editor, 1);
    m_problems = new QLabel(pane);
    m_problems->setObjectName(QStringLiteral("resubmitProblems"));
    m_problems->setWordWrap(true);
    v->addWidget(m_problems);
    return pane;
}

QWidget *ResubmitDialog::buildSide()
{
    auto *pane = new QWidget(this);
    auto *v = new QVBoxLayout(pane);
    v->setContentsMargins(0, 0, 0, 0);
    v->addWidget(new QLabel(tr("Changes"), pane));
    m_diff = new QTableWidget(0, 3, pane);
    m_diff->setObjectName(QStringLiteral("resubmitDiff"));
    m_diff->setHorizontalHeaderLabels({tr("Field"), tr("Before"), tr("After")});
    m_diff->horizontalHeader()->setStretchLastSection(true);
    m_diff->verticalHeader()->hide();
    m_diff->setEditTriggers(QAbstractItemView::NoEditTriggers);
    v->addWidget(m_diff, 2);
    auto *form = new QFormLayout;
    m_versions = new QComboBox(pane);
    m_versions->setObjectName(QStringLiteral("resubmitVersions"));
    connect(m_versions, &QComboBox::activated, this, [this](int index) {
        const int i = m_versions->itemData(index).toInt();
        if (i >= 0 && i < m_drafts.size())
            m_editor->setPlainText(QString::fromUtf8(m_drafts.at(i).body));
        else
            m_editor->setPlainText(ExceptionQueueLoader::readablePayload(m_original));
    });
    form->addRow(tr("Version"), m_versions);
    m_reason = new QLineEdit(pane);
    m_reason->setObjectName(QStringLiteral("resubmitReason"));
    m_reason->setPlaceholderText(tr("Why (required, kept in the audit log)"));
    m_reason->setReadOnly(!m_mayAct);
    form->addRow(tr("Reason"), m_reason);
    v->addLayout(form);
    v->addWidget(new QLabel(tr("What would be sent"), pane));
    m_preview = new QPlainTextEdit(pane);
    m_preview->setObjectName(QStringLiteral("resubmitPreview"));
    m_preview->setReadOnly(true);
    m_preview->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_preview->setPlaceholderText(tr("Press Dry run: the call and body, exactly; nothing is sent."));
    v->addWidget(m_preview, 1);
    return pane;
}

void ResubmitDialog::validateNow()
{
    m_validateTimer.stop();
    const EditRules rules = m_actions ? m_actions->editRules() : EditRules::defaults();
    m_check = checkEdit(m_original, m_editor->toPlainText().toUtf8(), rules, m_item.documentKind);
    showCheck(m_check);
}

void ResubmitDialog::showCheck(const EditCheck &check)
{
    m_diff->setRowCount(int(check.changes.size()));
    for (int r = 0; r < check.changes.size(); ++r) {
        const FieldChange &c = check.changes.at(r);
        const QStringList cells{c.path, c.before, c.after};
        for (int col = 0; col < 3; ++col) {
            auto *cell = new QTableWidgetItem(cells.at(col));
            if (!c.editable)
                cell->setForeground(palette().color(QPalette::Disabled, QPalette::Text));
            if (!c.editable && col == 0)
                cell->setToolTip(tr("Locked: this field may not change"));
            m_diff->setItem(r, col, cell);
        }
    }
    m_diff->resizeColumnsToContents();
    QStringList lines;
    for (const EditProblem &p : check.problems)
        lines.append(QStringLiteral("• ") + p.message);
    if (lines.isEmpty())
        m_problems->setText(check.changes.isEmpty()
                                ? tr("Valid JSON; nothing changed yet.")
                                : tr("Valid: %n field(s) changed.", nullptr, int(check.changes.size())));
    else
        m_problems->setText(QStringLiteral("<span style='color:#c0392b'>%1</span>")
                                .arg(lines.join(QStringLiteral("<br>"))
                                         .toHtmlEscaped()
                                         .replace(QStringLiteral("&lt;br&gt;"), QStringLiteral("<br>"))));
    updateButtons();
}

void ResubmitDialog::updateButtons()
{
    const bool sendable = m_check.ok() && !m_check.changes.isEmpty() && !m_busy;
    m_dryRun->setEnabled(sendable);
    m_send->setEnabled(sendable && !m_reason->text().trimmed().isEmpty());
    m_saveDraft->setEnabled(m_check.parsed && !m_busy);
}

void ResubmitDialog::run(bool dryRun)
{
    validateNow();
    if (!m_actions)
        return;
    ActionRequest request{ActionKind::Resubmit, m_item.id};
    request.editedBody = m_editor->toPlainText().toUtf8();
    request.reason = m_reason->text().trimmed();
    if (dryRun && request.reason.isEmpty())
        request.reason = tr("dry run");
    request.dryRun = dryRun;
    m_busy = true;
    updateButtons();
    m_status->setText(dryRun ? tr("Checking…") : tr("Sending…"));
    m_actions->perform(request, [this, dryRun](Result<ActionOutcome> r) {
        m_busy = false;
        updateButtons();
        if (!r) {
            m_status->setText(r.error());
            Q_EMIT problem(r.error());
            return;
        }
        if (r->replay)
            m_preview->setPlainText(QStringLiteral("%1 %2:%3\nIdempotency-Key: %4\n\n%5")
                                        .arg(QString::fromLatin1(r->replay->method), r->replay->connection,
                                             r->replay->path, r->replay->idempotencyKey,
                                             QString::fromUtf8(r->replay->body)));
        QString text = r->done ? r->message : tr("Refused: %1").arg(r->message);
        if (!r->warning.isEmpty())
            text += QStringLiteral("\n") + r->warning;
        m_status->setText(text);
        if (!r->done && !dryRun)
            Q_EMIT problem(tr("resubmit refused: %1").arg(r->message));
        reloadDrafts();
        Q_EMIT actionDone(r.value());
    });
}

void ResubmitDialog::saveDraft()
{
    if (!m_actions)
        return;
    m_actions->saveDraft(m_item.id, m_editor->toPlainText().toUtf8(), m_reason->text().trimmed(),
                         [this](Result<int> r) {
                             if (!r) {
                                 m_status->setText(r.error());
                                 Q_EMIT problem(r.error());
                                 return;
                             }
                             m_status->setText(tr("Saved as version %1.").arg(r.value()));
                             reloadDrafts();
                         });
}

void ResubmitDialog::reloadDrafts()
{
    const quint64 job = ++m_draftJob;
    QMetaObject::invokeMethod(
        m_reader, [reader = m_reader, job, id = m_item.id] { reader->load(job, id); }, Qt::QueuedConnection);
}

void ResubmitDialog::onDrafts(quint64 job, qint64 exceptionId, const QList<ResubmitDraft> &drafts)
{
    if (job != m_draftJob || exceptionId != m_item.id)
        return;
    m_drafts = drafts;
    m_versions->clear();
    m_versions->addItem(tr("Original (kept, unchanged)"), -1);
    for (int i = int(drafts.size()) - 1; i >= 0; --i) {
        const ResubmitDraft &d = drafts.at(i);
        m_versions->addItem(
            tr("v%1 · %2 · %3 · %4")
                .arg(d.version)
                .arg(d.state, d.author,
                     QDateTime::fromMSecsSinceEpoch(d.atMs).toString(QStringLiteral("MMM d HH:mm"))),
            i);
    }
    Q_EMIT draftsShown(int(drafts.size()));
}

} // namespace sightline
