#include "ui/exceptions/exceptionspanel.h"

#include "connectors/profile/connectionprofile.h"
#include "connectors/write/writeservice.h"
#include "models/actions/outbox.h"
#include "models/exceptions/exceptionchangelistener.h"
#include "models/exceptions/exceptionengine.h"
#include "models/exceptions/exceptionqueue.h"
#include "models/exceptions/exceptionqueueloader.h"
#include "models/exceptions/exceptionqueuemodel.h"
#include "models/exceptions/exceptionrules.h"
#include "models/exceptions/savedviews.h"
#include "models/store/store.h"
#include "ui/exceptions/bulkjobdialog.h"
#include "ui/exceptions/correctiondialog.h"
#include "ui/exceptions/exceptionfilterbar.h"
#include "ui/exceptions/resubmitdialog.h"
#include "ui/exceptions/savedviewspane.h"
#include "ui/exceptions/writepathreplaysender.h"
#include "ui/theme.h"

#include <QAction>
#include <QComboBox>
#include <QDateTime>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPainter>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QStyledItemDelegate>
#include <QTableView>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace sightline {
namespace {

constexpr qint64 kHourMs = 3600 * 1000;

// Aging colours: past 4 hours amber, past a day red; a snoozed item is muted.
class AgingDelegate : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override
    {
        const qint64 age = index.data(ExceptionQueueModel::AgeMsRole).toLongLong();
        const bool open = isOpen(ExceptionStatus(index.data(ExceptionQueueModel::StatusRole).toInt()));
        const bool snoozed = index.data(ExceptionQueueModel::SnoozedRole).toBool();
        if (open && !snoozed &&
            (index.column() == ExceptionQueueModel::Age || index.column() == ExceptionQueueModel::Severity)) {
            QColor c = age > 24 * kHourMs  ? Theme::breached()
                       : age > 4 * kHourMs ? Theme::atRisk()
                                           : QColor();
            if (index.column() == ExceptionQueueModel::Severity) {
                const auto sev = ExceptionSeverity(index.data(ExceptionQueueModel::SeverityRole).toInt());
                c = sev >= ExceptionSeverity::High     ? Theme::breached()
                    : sev == ExceptionSeverity::Medium ? Theme::atRisk()
                                                       : QColor();
            }
            if (c.isValid()) {
                c.setAlpha(70);
                painter->fillRect(option.rect, c);
            }
        }
        QStyleOptionViewItem opt = option;
        if (snoozed || !open)
            opt.palette.setColor(QPalette::Text, Theme::mutedText());
        QStyledItemDelegate::paint(painter, opt, index);
    }
};

QString when(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(QStringLiteral("yyyy-MM-dd HH:mm 'UTC'"));
}

QString buttonText(ActionKind kind)
{
    switch (kind) {
    case ActionKind::Take:
        return QObject::tr("Take");
    case ActionKind::Assign:
        return QObject::tr("Assign…");
    case ActionKind::Comment:
        return QObject::tr("Comment");
    case ActionKind::Snooze:
        return QObject::tr("Snooze");
    case ActionKind::Resolve:
        return QObject::tr("Resolve");
    case ActionKind::Ignore:
        return QObject::tr("Ignore");
    case ActionKind::Replay:
        return QObject::tr("Replay");
    case ActionKind::Resubmit:
        return QObject::tr("Edit and resubmit…");
    case ActionKind::Correct:
        return QObject::tr("Correct…");
    }
    return {};
}

Identity identityOrCustomerService(QString *problem)
{
    auto id = RoleDirectory::currentIdentity();
    if (id)
        return id.value();
    *problem = id.error();
    return {RoleDirectory::currentUser(), Role::CustomerService};
}

} // namespace

ExceptionsPanel::ExceptionsPanel(const QString &storePath, Store *store, QWidget *parent)
    : QWidget(parent), m_storePath(storePath)
{
    setObjectName(QStringLiteral("exceptionsPanel"));
    m_queue = new ExceptionQueue(storePath, store, this);
    m_loader = m_queue->loader();

    m_views = new SavedViewModel(this);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    m_filters = new ExceptionFilterBar(this);
    connect(m_filters, &ExceptionFilterBar::changed, this, &ExceptionsPanel::reload);
    layout->addWidget(m_filters);

    m_viewsPane = new SavedViewsPane(m_views, this);
    connect(m_viewsPane, &SavedViewsPane::viewChosen, this, &ExceptionsPanel::applyView);
    connect(m_viewsPane, &SavedViewsPane::saveRequested, this, &ExceptionsPanel::saveCurrentView);
    connect(m_viewsPane, &SavedViewsPane::deleteRequested, this, &ExceptionsPanel::deleteView);
    m_groupView = new QTableView(this);
    m_groupView->setObjectName(QStringLiteral("exceptionGroups"));
    m_groupView->setModel(m_queue->groups());
    m_groupView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_groupView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_groupView->verticalHeader()->hide();
    m_groupView->horizontalHeader()->setSectionResizeMode(ExceptionGroupModel::Group, QHeaderView::Stretch);
    m_groupView->horizontalHeader()->setSectionResizeMode(ExceptionGroupModel::Count,
                                                          QHeaderView::ResizeToContents);
    auto *left = new QSplitter(Qt::Vertical, this);
    left->addWidget(m_viewsPane);
    left->addWidget(m_groupView);
    left->setStretchFactor(0, 2);
    left->setStretchFactor(1, 3);

    auto *split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(left);
    split->addWidget(buildQueue());
    split->addWidget(buildDetail());
    split->setStretchFactor(0, 2);
    split->setStretchFactor(1, 6);
    split->setStretchFactor(2, 4);
    layout->addWidget(split, 1);

    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &ExceptionsPanel::onSelectionChanged);
    connect(m_groupView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &ExceptionsPanel::onGroupChosen);

    m_reloadTimer.setSingleShot(true);
    m_reloadTimer.setInterval(500);
    connect(&m_reloadTimer, &QTimer::timeout, this, &ExceptionsPanel::refresh);
    m_ageTimer.setInterval(60 * 1000); // ages move on
    connect(&m_ageTimer, &QTimer::timeout, this, &ExceptionsPanel::refresh);
    m_ageTimer.start();
    startWorkers(store);
    loadViews(); // the first view is shown: the role's default
}

QWidget *ExceptionsPanel::buildQueue()
{
    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("exceptionQueue"));
    auto *bulk = new QAction(tr("Bulk replay the selected…"), m_table);
    connect(bulk, &QAction::triggered, this, [this] { openBulkJobDialog(); });
    m_table->addAction(bulk);
    m_table->setContextMenuPolicy(Qt::ActionsContextMenu);
    m_table->setModel(m_queue->model()); // sorted in SQL: a header click asks the queue again
    m_table->setItemDelegate(new AgingDelegate(m_table));
    m_table->horizontalHeader()->setSortIndicator(ExceptionQueueModel::Age, Qt::DescendingOrder);
    m_table->setSortingEnabled(true);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(22);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setMaximumSectionSize(200); // the age stays in sight
    m_table->setWordWrap(false);
    return m_table;
}

ExceptionsPanel::~ExceptionsPanel()
{
    m_outbox.reset();
    m_engine.reset();
}

ExceptionQueueModel *ExceptionsPanel::queueModel() const
{
    return m_queue->model();
}

const Identity &ExceptionsPanel::identity() const
{
    return m_actions->identity();
}

QWidget *ExceptionsPanel::buildDetail()
{
    auto *pane = new QWidget(this);
    auto *v = new QVBoxLayout(pane);
    v->setContentsMargins(0, 0, 0, 0);
    m_detailTitle = new QLabel(tr("Select an exception"), pane);
    m_detailTitle->setWordWrap(true);
    QFont bold = m_detailTitle->font();
    bold.setBold(true);
    m_detailTitle->setFont(bold);
    v->addWidget(m_detailTitle);
    auto *buttons = new QHBoxLayout;
    for (ActionKind k : {ActionKind::Take, ActionKind::Assign, ActionKind::Replay, ActionKind::Resubmit,
                         ActionKind::Correct, ActionKind::Snooze, ActionKind::Resolve, ActionKind::Ignore}) {
        auto *b = new QPushButton(buttonText(k), pane);
        b->setObjectName(QStringLiteral("action-") + actionKindName(k));
        b->hide();
        buttons->addWidget(b);
        m_buttons.append({k, b});
        connect(b, &QPushButton::clicked, this, [this, k] { askAndRun(k); });
    }
    m_traceButton = new QPushButton(tr("Open trace"), pane);
    m_traceButton->hide();
    connect(m_traceButton, &QPushButton::clicked, this, [this] {
        if (m_detail && m_detail->traceId)
            Q_EMIT openTraceRequested(m_detail->traceId);
    });
    buttons->addWidget(m_traceButton);
    buttons->addStretch(1);
    v->addLayout(buttons);
    auto *commentRow = new QHBoxLayout;
    m_comment = new QLineEdit(pane);
    m_comment->setPlaceholderText(tr("Comment, or the reason to resolve or ignore"));
    auto *commentButton = new QPushButton(buttonText(ActionKind::Comment), pane);
    commentButton->setObjectName(QStringLiteral("action-comment"));
    commentButton->hide();
    m_buttons.append({ActionKind::Comment, commentButton});
    connect(commentButton, &QPushButton::clicked, this, [this] { askAndRun(ActionKind::Comment); });
    connect(m_comment, &QLineEdit::returnPressed, commentButton, &QPushButton::click);
    commentRow->addWidget(m_comment, 1);
    commentRow->addWidget(commentButton);
    v->addLayout(commentRow);
    auto *split = new QSplitter(Qt::Vertical, pane);
    m_detailText = new QTextBrowser(pane);
    m_detailText->setObjectName(QStringLiteral("exceptionDetail"));
    m_payload = new QPlainTextEdit(pane);
    m_payload->setObjectName(QStringLiteral("exceptionPayload"));
    m_payload->setReadOnly(true);
    m_payload->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_payload->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    split->addWidget(m_detailText);
    split->addWidget(m_payload);
    v->addWidget(split, 1);
    return pane;
}

void ExceptionsPanel::startWorkers(Store *store)
{
    m_store = store;
    connect(m_queue, &ExceptionQueue::answered, this, &ExceptionsPanel::onAnswered);
    connect(m_queue, &ExceptionQueue::located, this, &ExceptionsPanel::onLocated);
    connect(queueModel(), &QAbstractItemModel::dataChanged, this, [this] {
        if (m_pendingSelect && queueModel()->rowOf(m_pendingSelect) >= 0)
            selectException(m_pendingSelect); // its page arrived
    });
    connect(m_queue, &ExceptionQueue::groupsAnswered, this, [this] {
        const QString signature = m_queue->query().filter.signature;
        const int row = m_queue->groups()->rowOfSignature(signature);
        {
            const QSignalBlocker quiet(m_groupView->selectionModel());
            m_groupView->selectRow(row);
        }
        if (row == 0 && !signature.isEmpty())
            reload(); // that cause has no exceptions left in this view
    });
    connect(m_queue, &ExceptionQueue::countsLoaded, this, [this](quint64 job, const QList<int> &counts) {
        if (job != m_countsJob || counts.isEmpty())
            return;
        m_views->setCounts(counts.mid(0, counts.size() - 1));
        Q_EMIT openCountChanged(counts.constLast());
    });
    connect(m_queue, &ExceptionQueue::failed, this,
            [this](const QString &m) { Q_EMIT problem(tr("Exceptions: %1").arg(m)); });
    connect(m_loader, &ExceptionQueueLoader::detailLoaded, this, &ExceptionsPanel::onDetail);
    connect(m_loader, &ExceptionQueueLoader::loadFailed, this, [this](quint64 job, const QString &m) {
        if (job == m_detailJob)
            Q_EMIT problem(tr("Exceptions: %1").arg(m));
    });

    QString identityProblem;
    const Identity who = identityOrCustomerService(&identityProblem);
    auto profiles = loadConnectionProfiles(userConnectionProfilesPath());
    m_writes = std::make_unique<WriteService>(profiles ? profiles.value() : QList<ConnectionProfile>());
    if (store) // actions whose target was down wait in the outbox; its own thread sends them later
        m_outbox = std::make_unique<ActionOutboxThread>(
            store, m_storePath, [connections = profiles ? profiles.value() : QList<ConnectionProfile>()] {
                return std::make_unique<OwnWritePathSender>(connections);
            });
    if (m_outbox)
        connect(m_outbox->outbox(), &ActionOutbox::pendingChanged, this,
                &ExceptionsPanel::outboxPendingChanged);
    m_sender = std::make_unique<WritePathReplaySender>(m_writes.get());
    m_actions = new ActionService(store, who, m_sender.get(), {});
    m_actions->setParent(this);
    connect(m_actions, &ActionService::actionFailed, this, &ExceptionsPanel::problem);
    if (!identityProblem.isEmpty())
        QMetaObject::invokeMethod(
            this, [this, identityProblem] { Q_EMIT problem(identityProblem); }, Qt::QueuedConnection);
    if (!store)
        return;
    connect(store, &Store::committed, this, [this] {
        if (!m_reloadTimer.isActive())
            m_reloadTimer.start(); // at most one reload per interval, even while commits stream in
    });
    if (store->isShared()) {
        listenForTeamChanges(store);
        return; // team mode: the ingest service detects exceptions
    }
    auto rules = ExceptionRules::load();
    if (!rules)
        QMetaObject::invokeMethod(
            this, [this, why = rules.error()] { Q_EMIT problem(why); }, Qt::QueuedConnection);
    m_engine = std::make_unique<ExceptionEngineThread>(
        store, rules ? rules.value() : ExceptionRules::defaults(), ExceptionEngine::Clock{}, true);
    connect(m_engine->engine(), &ExceptionEngine::engineFailed, this, &ExceptionsPanel::problem);
}

// Team mode: what another console or the ingest service changed shows at once (LISTEN/NOTIFY).
void ExceptionsPanel::listenForTeamChanges(Store *store)
{
    m_teamChanges = new ExceptionChangeListener(store->path(), this);
    connect(m_teamChanges, &ExceptionChangeListener::exceptionsChanged, this, &ExceptionsPanel::reload);
    connect(m_teamChanges, &ExceptionChangeListener::resynced, this, &ExceptionsPanel::reload);
    connect(m_teamChanges, &ExceptionChangeListener::listenFailed, this, [this](const QString &why) {
        Q_EMIT problem(tr("Live changes from the team are off: %1").arg(why));
    });
    m_teamChanges->start();
}

ExceptionFilter ExceptionsPanel::currentFilter() const
{
    SavedView shown;
    shown.filter = m_filters->filter();
    shown.filter.signature = m_groupView->currentIndex().data(ExceptionGroupModel::SignatureRole).toString();
    return shown.resolvedFor(m_actions ? m_actions->identity().user : QString());
}

void ExceptionsPanel::reload()
{
    m_queue->setFilter(currentFilter());
}

void ExceptionsPanel::refresh()
{
    m_queue->refresh();
}

void ExceptionsPanel::askCounts()
{
    // Each view's open items, then every open item (the tab's title).
    const QStringList open{exceptionStatusName(ExceptionStatus::New),
                           exceptionStatusName(ExceptionStatus::InProgress)};
    QList<ExceptionFilter> filters;
    for (const SavedView &v : m_views->views()) {
        ExceptionFilter f = v.resolvedFor(identity().user);
        QStringList statuses;
        for (const QString &s : open) {
            if (f.statuses.isEmpty() || f.statuses.contains(s))
                statuses.append(s);
        }
        f.statuses = statuses.isEmpty() ? QStringList{QStringLiteral("none")} : statuses;
        filters.append(f);
    }
    ExceptionFilter all;
    all.statuses = open;
    filters.append(all);
    m_countsJob = m_queue->countEach(filters);
}

void ExceptionsPanel::loadViews()
{
    m_viewsPath = savedviews::defaultFile();
    auto views = savedviews::load(m_viewsPath, identity().role);
    if (!views) {
        Q_EMIT problem(views.error());
        views = savedviews::defaultsFor(identity().role);
    }
    m_views->setViews(views.value());
    applyView(0);
}

void ExceptionsPanel::applyView(int row)
{
    const SavedView *v = m_views->view(row);
    if (!v) {
        reload();
        return;
    }
    m_viewsPane->selectRow(row);
    m_filters->setFilter(v->filter);
    {
        const QSignalBlocker quiet(m_table->horizontalHeader());
        m_table->horizontalHeader()->setSortIndicator(int(v->sort.key), v->sort.order);
    }
    m_groupView->setVisible(v->grouped);
    m_queue->setQuery({v->resolvedFor(identity().user), v->sort});
}

void ExceptionsPanel::saveCurrentView()
{
    bool ok = false;
    const QString name =
        QInputDialog::getText(this, tr("Save view"), tr("Name of the view:"), QLineEdit::Normal,
                              m_views->view(m_viewsPane->currentRow())
                                  ? m_views->view(m_viewsPane->currentRow())->name
                                  : QString(),
                              &ok)
            .trimmed();
    if (!ok || name.isEmpty())
        return;
    SavedView v;
    v.name = name;
    v.filter = m_filters->filter();
    v.filter.signature = m_queue->query().filter.signature;
    v.sort = m_queue->query().sort;
    v.grouped = m_groupView->isVisible();
    QList<SavedView> views = m_views->views();
    int row = int(views.size());
    for (int i = 0; i < views.size(); ++i) {
        if (views.at(i).name == name)
            row = i;
    }
    if (row < views.size())
        views[row] = v; // the same name: replaced
    else
        views.append(v);
    if (Status s = savedviews::save(m_viewsPath, views); !s) {
        Q_EMIT problem(s.error());
        return;
    }
    m_views->setViews(views);
    m_viewsPane->selectRow(row);
    askCounts();
}

void ExceptionsPanel::deleteView(int row)
{
    QList<SavedView> views = m_views->views();
    if (row < 0 || row >= views.size())
        return;
    views.removeAt(row);
    if (Status s = savedviews::save(m_viewsPath, views); !s) {
        Q_EMIT problem(s.error());
        return;
    }
    m_views->setViews(views);
    askCounts();
}

void ExceptionsPanel::onAnswered(int total)
{
    const qint64 keep = m_pendingSelect ? m_pendingSelect : m_selectedId;
    m_filters->setCountText(tr("%n shown", nullptr, total));
    askCounts();
    if (keep)
        selectException(keep);
    if (m_table->horizontalHeader()->sectionSize(ExceptionQueueModel::Detail) <= 100)
        m_table->resizeColumnsToContents(); // once rows are there; the view only measures what it shows
    Q_EMIT loadedForTest();
}

void ExceptionsPanel::connectionBack(const QString &connection)
{
    if (m_outbox)
        m_outbox->connectionBack(connection);
}

void ExceptionsPanel::selectException(qint64 id)
{
    const int row = queueModel()->rowOf(id);
    if (row < 0) {
        m_pendingSelect = id;
        m_queue->locate(id); // its row in SQL, then its page
        return;
    }
    m_pendingSelect = 0;
    if (m_table->currentIndex().row() != row)
        m_table->setCurrentIndex(queueModel()->index(row, 0));
}

void ExceptionsPanel::onLocated(qint64 id, int row)
{
    if (id != m_pendingSelect)
        return;
    if (row < 0) {
        m_pendingSelect = 0; // not in this view
        return;
    }
    m_table->scrollTo(queueModel()->index(row, 0)); // its page is on its way
    if (queueModel()->rowOf(id) >= 0)
        selectException(id);
}

void ExceptionsPanel::onGroupChosen()
{
    reload();
}

QList<qint64> ExceptionsPanel::selectedExceptionIds() const
{
    QList<qint64> ids;
    for (const QModelIndex &i : m_table->selectionModel()->selectedRows()) {
        if (const ExceptionItem *e = queueModel()->item(i.row()))
            ids.append(e->id);
    }
    return ids;
}

const ExceptionItem *ExceptionsPanel::selected() const
{
    return queueModel()->item(m_table->currentIndex().row());
}

void ExceptionsPanel::onSelectionChanged()
{
    const ExceptionItem *item = selected();
    m_selectedId = item ? item->id : 0;
    if (!item) {
        m_detail.reset();
        updateButtons();
        return;
    }
    showDetail(*item, {});
    const quint64 job = ++m_detailJob;
    QMetaObject::invokeMethod(
        m_loader, [loader = m_loader, job, id = item->id] { loader->loadDetail(job, id); },
        Qt::QueuedConnection);
}

void ExceptionsPanel::onDetail(quint64 job, const ExceptionItem &item, const QByteArray &payload)
{
    if (job != m_detailJob || item.id != m_selectedId)
        return;
    showDetail(item, payload);
}

void ExceptionsPanel::showDetail(const ExceptionItem &e, const QByteArray &payload)
{
    m_detail = e;
    m_detailPayload = payload;
    m_detailTitle->setText(QStringLiteral("#%1 %2").arg(e.id).arg(e.title));
    QString html = QStringLiteral("<p><b>%1</b></p><table>").arg(e.detail.toHtmlEscaped());
    auto row = [&html](const QString &k, const QString &v) {
        if (!v.isEmpty())
            html += QStringLiteral("<tr><td><i>%1</i>&nbsp;</td><td>%2</td></tr>").arg(k, v.toHtmlEscaped());
    };
    row(tr("Status"),
        exceptionStatusName(e.status) +
            (e.statusReason.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(e.statusReason)));
    row(tr("Severity"), exceptionSeverityName(e.severity));
    row(tr("Owner"), e.owner);
    row(tr("Document"), e.documentKey.isEmpty() ? QString() : e.documentKind + u' ' + e.documentKey);
    row(tr("System"), e.system);
    row(tr("Partner"), e.partner);
    row(tr("Warehouse"), e.warehouse);
    row(tr("First seen"), when(e.firstSeenMs));
    row(tr("Last seen"), when(e.lastSeenMs) + QStringLiteral(" · %1×").arg(e.occurrences));
    row(tr("Replays"), e.replayCount ? QString::number(e.replayCount) : QString());
    row(tr("Snoozed until"), e.snoozedUntilMs ? when(e.snoozedUntilMs) : QString());
    html += QStringLiteral("</table>");
    if (!e.comments.isEmpty()) {
        html += QStringLiteral("<p><b>%1</b></p>").arg(tr("Comments"));
        for (const ExceptionComment &c : e.comments)
            html += QStringLiteral("<p>%1 <i>%2 (%3)</i><br>%4</p>")
                        .arg(when(c.atMs), c.author.toHtmlEscaped(), c.role, c.body.toHtmlEscaped());
    }
    if (!e.history.isEmpty()) {
        html += QStringLiteral("<p><b>%1</b></p><ul>").arg(tr("History"));
        for (const ExceptionHistoryEntry &h : e.history)
            html +=
                QStringLiteral("<li>%1 %2 <i>%3</i> %4</li>")
                    .arg(when(h.atMs), h.what, h.actor.toHtmlEscaped(), h.detail.left(200).toHtmlEscaped());
        html += QStringLiteral("</ul>");
    }
    m_detailText->setHtml(html);
    m_payload->setPlainText(payload.isEmpty() ? tr("(no kept payload)")
                                              : ExceptionQueueLoader::readablePayload(payload));
    updateButtons();
}

void ExceptionsPanel::updateButtons()
{
    const QSet<ActionKind> allowed = m_detail ? m_actions->allowedActions(*m_detail) : QSet<ActionKind>();
    for (const auto &[kind, button] : std::as_const(m_buttons))
        button->setVisible(allowed.contains(kind)); // hidden for the role; the service refuses anyway
    m_traceButton->setVisible(m_detail && m_detail->traceId);
}

void ExceptionsPanel::askAndRun(ActionKind kind)
{
    if (!m_detail)
        return;
    ActionRequest r{kind, m_detail->id};
    r.expectedVersion = m_detail->version; // changed by someone else since: refused, "reload"
    const QString note = m_comment->text().trimmed();
    switch (kind) {
    case ActionKind::Resubmit:
        openResubmitDialog();
        return;
    case ActionKind::Correct:
        openCorrectionDialog();
        return;
    case ActionKind::Comment:
        r.text = note;
        break;
    case ActionKind::Resolve:
    case ActionKind::Ignore:
        if (note.isEmpty()) {
            Q_EMIT problem(tr("Write the reason in the comment box first: resolving or ignoring needs one."));
            m_comment->setFocus();
            return;
        }
        r.reason = note;
        break;
    case ActionKind::Assign: {
        bool ok = false;
        r.assignee = QInputDialog::getText(this, tr("Assign"), tr("Assign to (user name):"),
                                           QLineEdit::Normal, {}, &ok);
        if (!ok)
            return;
        break;
    }
    case ActionKind::Snooze: {
        QMenu menu(this);
        for (int hours : {1, 4, 24})
            menu.addAction(tr("%n hour(s)", nullptr, hours))->setData(hours);
        QAction *chosen = menu.exec(QCursor::pos());
        if (!chosen)
            return;
        r.snoozeUntilMs = QDateTime::currentMSecsSinceEpoch() + chosen->data().toInt() * kHourMs;
        break;
    }
    default:
        r.reason = note;
        break;
    }
    run(r);
}

BulkJobDialog *ExceptionsPanel::openBulkJobDialog(QList<qint64> exceptionIds)
{
    if (exceptionIds.isEmpty())
        exceptionIds = selectedExceptionIds();
    if (exceptionIds.isEmpty() || !m_store)
        return nullptr;
    auto *dialog = new BulkJobDialog(m_store, m_actions, exceptionIds, tr("selected in the queue"), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &BulkJobDialog::problem, this, &ExceptionsPanel::problem);
    connect(dialog, &BulkJobDialog::jobFinished, this, [this] { refresh(); });
    dialog->show();
    return dialog;
}

ResubmitDialog *ExceptionsPanel::openResubmitDialog()
{
    if (!m_detail || m_detailPayload.isEmpty())
        return nullptr;
    auto *dialog = new ResubmitDialog(m_actions, m_storePath, *m_detail, m_detailPayload, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &ResubmitDialog::problem, this, &ExceptionsPanel::problem);
    connect(dialog, &ResubmitDialog::actionDone, this, [this] { reload(); });
    dialog->show();
    return dialog;
}

CorrectionDialog *ExceptionsPanel::openCorrectionDialog()
{
    if (!m_detail)
        return nullptr;
    auto *dialog = new CorrectionDialog(m_actions, *m_detail, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &CorrectionDialog::problem, this, &ExceptionsPanel::problem);
    connect(dialog, &CorrectionDialog::actionDone, this, [this] { reload(); });
    dialog->show();
    return dialog;
}

void ExceptionsPanel::run(ActionRequest request)
{
    m_actions->perform(request, [this, kind = request.kind](Result<ActionOutcome> r) {
        if (!r) {
            Q_EMIT problem(r.error());
            return;
        }
        if (!r->done)
            Q_EMIT problem(tr("%1 refused: %2").arg(actionKindName(kind), r->message));
        else if (!r->warning.isEmpty())
            Q_EMIT problem(r->warning);
        if (r->done &&
            (kind == ActionKind::Comment || kind == ActionKind::Resolve || kind == ActionKind::Ignore))
            m_comment->clear();
        refresh();
        onSelectionChanged();
    });
}

} // namespace sightline
