#include "ui/audit/auditpanel.h"

#include "models/audit/auditlogmodel.h"
#include "models/exceptions/exceptionqueueloader.h"
#include "models/store/store.h"
#include "ui/theme.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace sightline {

AuditPanel::AuditPanel(const QString &storePath, Store *store, QWidget *parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("auditPanel"));
    m_model = new AuditLogModel(this);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    auto *top = new QHBoxLayout;
    m_chain = new QLabel(tr("Reading the audit log…"), this);
    m_chain->setObjectName(QStringLiteral("auditChain"));
    auto *verify = new QPushButton(tr("Verify chain"), this);
    connect(verify, &QPushButton::clicked, this, &AuditPanel::reload);
    top->addWidget(m_chain, 1);
    top->addWidget(verify);
    layout->addLayout(top);
    auto *split = new QSplitter(Qt::Horizontal, this);
    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("auditTable"));
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(22);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_entry = new QPlainTextEdit(this);
    m_entry->setReadOnly(true);
    m_entry->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    split->addWidget(m_table);
    split->addWidget(m_entry);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    layout->addWidget(split, 1);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &AuditPanel::showEntry);

    m_thread.setObjectName(QStringLiteral("sightline-audit-reader"));
    m_loader = new ExceptionQueueLoader(storePath);
    m_loader->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_loader, &QObject::deleteLater);
    connect(m_loader, &ExceptionQueueLoader::auditLoaded, this, &AuditPanel::onLoaded);
    connect(m_loader, &ExceptionQueueLoader::loadFailed, this, [this](quint64 job, const QString &m) {
        if (job == m_job)
            Q_EMIT problem(tr("Audit: %1").arg(m));
    });
    m_thread.start();
    m_reloadTimer.setSingleShot(true);
    m_reloadTimer.setInterval(1000);
    connect(&m_reloadTimer, &QTimer::timeout, this, &AuditPanel::reload);
    if (store)
        connect(store, &Store::committed, this, [this] {
            if (!m_reloadTimer.isActive())
                m_reloadTimer.start();
        });
    reload();
}

AuditPanel::~AuditPanel()
{
    m_thread.quit();
    m_thread.wait();
}

QString AuditPanel::chainText() const
{
    return m_chain->text();
}

void AuditPanel::reload()
{
    const quint64 job = ++m_job;
    QMetaObject::invokeMethod(
        m_loader, [loader = m_loader, job] { loader->loadAudit(job); }, Qt::QueuedConnection);
}

void AuditPanel::onLoaded(quint64 job, const QList<AuditEntry> &entries, const AuditVerification &v)
{
    if (job != m_job)
        return;
    m_model->setEntries(entries);
    if (v.ok()) {
        m_chain->setText(tr("Hash chain intact: %n entries", nullptr, int(v.entries)));
        m_chain->setStyleSheet(QString());
        if (!m_table->currentIndex().isValid() && m_model->rowCount() > 0)
            m_table->selectRow(0); // the newest entry, in full beside the table
    } else {
        m_chain->setText(tr("Hash chain BROKEN at entry %1: %2").arg(v.brokenSeq).arg(v.problem));
        m_chain->setStyleSheet(QStringLiteral("color: %1; font-weight: bold").arg(Theme::breached().name()));
        m_table->selectRow(m_model->rowOfSeq(v.brokenSeq));
    }
    m_table->resizeColumnsToContents();
    Q_EMIT loadedForTest();
}

void AuditPanel::showEntry()
{
    const AuditEntry *e = m_model->entry(m_table->currentIndex().row());
    m_entry->setPlainText(e ? auditEntryText(*e) : QString());
}

} // namespace sightline
