#include "ui/sla/slapolicyeditor.h"

#include "models/sla/policymodel.h"
#include "ui/sla/slapolicyform.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

namespace sightline {
namespace {

QStringList calendarNames(const QList<BusinessCalendar> &calendars)
{
    QStringList names;
    for (const BusinessCalendar &c : calendars)
        names.append(c.name());
    return names;
}

QWidget *scrolled(QWidget *form)
{
    auto *page = new QWidget;
    auto *layout = new QVBoxLayout(page);
    layout->addWidget(form);
    layout->addStretch(1);
    auto *area = new QScrollArea;
    area->setWidget(page);
    area->setWidgetResizable(true);
    area->setFrameShape(QFrame::NoFrame);
    return area;
}

} // namespace

SlaPolicyEditor::SlaPolicyEditor(const SlaConfig &config, const Identity &identity, QWidget *parent)
    : QDialog(parent), m_original(config), m_identity(identity)
{
    setWindowTitle(tr("SLA policies and calendars"));
    setObjectName(QStringLiteral("slaPolicyEditor"));
    m_policyModel = new SlaPolicyModel(this);
    m_policyModel->setPolicies(config.policies);
    m_calendarModel = new SlaCalendarModel(this);
    m_calendarModel->setCalendars(config.calendars);
    auto *layout = new QVBoxLayout(this);
    m_tabs = new QTabWidget(this);
    m_tabs->addTab(makePoliciesTab(), tr("&Policies"));
    m_tabs->addTab(makeCalendarsTab(), tr("&Calendars"));
    layout->addWidget(m_tabs, 1);
    layout->addWidget(makeFooter());
    selectPolicy(0);
    selectCalendar(0);
    updateState();
    resize(1100, 720);
}

bool SlaPolicyEditor::mayEdit() const
{
    return roleMay(m_identity.role, Permission::EditRules);
}

QTableView *SlaPolicyEditor::makeTable(QAbstractItemModel *model)
{
    auto *table = new QTableView(this);
    table->setModel(model);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setSelectionMode(QAbstractItemView::SingleSelection);
    table->verticalHeader()->hide();
    table->setWordWrap(false);
    table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    table->horizontalHeader()->setStretchLastSection(true);
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    return table;
}

QWidget *SlaPolicyEditor::makeListButtons(QTableView *table, const std::function<void()> &add,
                                          const std::function<void()> &remove)
{
    auto *box = new QWidget(this);
    auto *layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(table, 1);
    auto *row = new QHBoxLayout;
    auto *addButton = new QPushButton(tr("Add"), box);
    auto *removeButton = new QPushButton(tr("Remove"), box);
    connect(addButton, &QPushButton::clicked, this, add);
    connect(removeButton, &QPushButton::clicked, this, remove);
    addButton->setVisible(mayEdit());
    removeButton->setVisible(mayEdit());
    row->addWidget(addButton);
    row->addWidget(removeButton);
    row->addStretch();
    layout->addLayout(row);
    return box;
}

QWidget *SlaPolicyEditor::makePoliciesTab()
{
    auto *split = new QSplitter(Qt::Horizontal, this);
    m_policyTable = makeTable(m_policyModel);
    m_policyForm = new SlaPolicyForm;
    m_policyForm->setReadOnly(!mayEdit());
    split->addWidget(makeListButtons(
        m_policyTable, [this] { addPolicy(); },
        [this] { removeSelected(m_policyTable, [this](int r) { m_policyModel->removePolicy(r); }); }));
    split->addWidget(scrolled(m_policyForm));
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    split->setSizes({660, 440});
    connect(m_policyTable->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) { selectPolicy(current.row()); });
    connect(m_policyForm, &SlaPolicyForm::edited, this, &SlaPolicyEditor::policyEdited);
    return split;
}

QWidget *SlaPolicyEditor::makeCalendarsTab()
{
    auto *split = new QSplitter(Qt::Horizontal, this);
    m_calendarTable = makeTable(m_calendarModel);
    m_calendarForm = new SlaCalendarForm;
    m_calendarForm->setReadOnly(!mayEdit());
    split->addWidget(makeListButtons(
        m_calendarTable, [this] { addCalendar(); },
        [this] { removeSelected(m_calendarTable, [this](int r) { m_calendarModel->removeCalendar(r); }); }));
    split->addWidget(scrolled(m_calendarForm));
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    split->setSizes({660, 440});
    connect(m_calendarTable->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) { selectCalendar(current.row()); });
    connect(m_calendarForm, &SlaCalendarForm::edited, this, &SlaPolicyEditor::calendarEdited);
    return split;
}

QWidget *SlaPolicyEditor::makeFooter()
{
    auto *box = new QWidget(this);
    auto *layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    m_summary = new QLabel(box);
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_status = new QLabel(box);
    m_status->setWordWrap(true);
    m_status->setObjectName(QStringLiteral("policyEditorStatus"));
    auto *row = new QHBoxLayout;
    m_reason = new QLineEdit(box);
    m_reason->setPlaceholderText(tr("Why these policies change (kept in the audit log)"));
    m_save = new QPushButton(tr("&Save and recompute"), box);
    auto *close = new QPushButton(tr("Close"), box);
    row->addWidget(m_reason, 1);
    row->addWidget(m_save);
    row->addWidget(close);
    m_reason->setVisible(mayEdit());
    m_save->setVisible(mayEdit());
    connect(m_reason, &QLineEdit::textChanged, this, &SlaPolicyEditor::updateState);
    connect(m_save, &QPushButton::clicked, this, &SlaPolicyEditor::save);
    connect(close, &QPushButton::clicked, this, &QDialog::close);
    layout->addWidget(m_summary);
    layout->addWidget(m_status);
    layout->addLayout(row);
    if (!mayEdit())
        m_status->setText(tr("Only managers and administrators change SLA policies; %1 is signed in as %2.")
                              .arg(m_identity.user, roleLabel(m_identity.role).toLower()));
    return box;
}

void SlaPolicyEditor::selectPolicy(int row)
{
    if (row < 0 || row >= m_policyModel->rowCount())
        return;
    m_policyRow = row;
    m_policyForm->setPolicy(m_policyModel->policies().at(row), calendarNames(m_calendarModel->calendars()));
    if (m_policyTable->currentIndex().row() != row)
        m_policyTable->setCurrentIndex(m_policyModel->index(row, 0));
}

void SlaPolicyEditor::selectCalendar(int row)
{
    if (row < 0 || row >= m_calendarModel->rowCount())
        return;
    m_calendarRow = row;
    m_calendarForm->setCalendar(m_calendarModel->calendars().at(row));
    if (m_calendarTable->currentIndex().row() != row)
        m_calendarTable->setCurrentIndex(m_calendarModel->index(row, 0));
}

void SlaPolicyEditor::policyEdited()
{
    auto policy = m_policyForm->policy();
    m_formProblem = policy ? QString() : policy.error();
    if (policy)
        m_policyModel->replacePolicy(m_policyRow, policy.value());
    updateState();
}

void SlaPolicyEditor::calendarEdited()
{
    auto calendar = m_calendarForm->calendar();
    m_formProblem = calendar ? QString() : calendar.error();
    if (calendar)
        m_calendarModel->replaceCalendar(m_calendarRow, calendar.value());
    updateState();
}

void SlaPolicyEditor::addPolicy()
{
    SlaPolicy p;
    p.name = tr("New policy %1").arg(m_policyModel->rowCount() + 1);
    p.from = QStringLiteral("order.created");
    p.to = QStringLiteral("order.released");
    m_policyModel->appendPolicy(p);
    selectPolicy(m_policyModel->rowCount() - 1);
    updateState();
}

void SlaPolicyEditor::addCalendar()
{
    BusinessCalendar c = BusinessCalendar::weekly(tr("New calendar %1").arg(m_calendarModel->rowCount() + 1),
                                                  "UTC", {1, 2, 3, 4, 5}, 8 * 60, 17 * 60);
    m_calendarModel->appendCalendar(c);
    selectCalendar(m_calendarModel->rowCount() - 1);
    updateState();
}

void SlaPolicyEditor::removeSelected(QTableView *table, const std::function<void(int)> &remove)
{
    const int row = table->currentIndex().row();
    if (row < 0)
        return;
    remove(row);
    if (table == m_policyTable)
        selectPolicy(std::min(row, m_policyModel->rowCount() - 1));
    else
        selectCalendar(std::min(row, m_calendarModel->rowCount() - 1));
    updateState();
}

SlaConfig SlaPolicyEditor::editedConfig() const
{
    SlaConfig c;
    c.policies = m_policyModel->policies();
    c.calendars = m_calendarModel->calendars();
    return c;
}

QStringList SlaPolicyEditor::pendingChanges() const
{
    return slaConfigChanges(m_original, editedConfig());
}

void SlaPolicyEditor::updateState()
{
    const QStringList changes = pendingChanges();
    const QStringList problems = slaConfigProblems(editedConfig());
    const QString count = changes.size() == 1 ? tr("1 change: ") : tr("%1 changes: ").arg(changes.size());
    m_summary->setText(changes.isEmpty() ? tr("No changes.")
                                         : count + changes.mid(0, 6).join(QStringLiteral("; ")) +
                                               (changes.size() > 6 ? QStringLiteral(" …") : QString()));
    if (!m_formProblem.isEmpty())
        showProblem(m_formProblem);
    else if (!problems.isEmpty())
        showProblem(problems.join(QStringLiteral("; ")));
    else if (mayEdit() && !m_saving)
        m_status->clear();
    m_save->setEnabled(mayEdit() && !m_saving && m_formProblem.isEmpty() && problems.isEmpty() &&
                       !changes.isEmpty() && !m_reason->text().trimmed().isEmpty());
}

void SlaPolicyEditor::showProblem(const QString &message)
{
    m_status->setStyleSheet(QStringLiteral("color: #b3261e;"));
    m_status->setText(message);
}

void SlaPolicyEditor::save()
{
    SlaPolicyChange change{m_identity, m_original, editedConfig(), m_reason->text().trimmed()};
    m_saving = true;
    m_status->setStyleSheet({});
    m_status->setText(tr("Saving…"));
    updateState();
    Q_EMIT saveRequested(change);
}

void SlaPolicyEditor::showSaved(const QStringList &changes)
{
    m_saving = false;
    m_original = editedConfig();
    m_reason->clear();
    updateState();
    m_status->setStyleSheet(QStringLiteral("color: #1b6e3a;"));
    m_status->setText(tr("Saved %1. Every measurement is being recomputed with the new policies.")
                          .arg(changes.size() == 1 ? tr("1 change") : tr("%1 changes").arg(changes.size())));
}

void SlaPolicyEditor::showFailed(const QString &message)
{
    m_saving = false;
    updateState();
    showProblem(message);
}

} // namespace sightline
