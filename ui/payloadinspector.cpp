#include "ui/payloadinspector.h"

#include "models/trace/jsontreemodel.h"

#include <QApplication>
#include <QClipboard>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QTabWidget>
#include <QToolButton>
#include <QTreeView>
#include <QVBoxLayout>

namespace sightline {

PayloadInspector::PayloadInspector(QWidget *parent) : QWidget(parent), m_model(new JsonTreeModel(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *bar = new QHBoxLayout;
    m_title = new QLabel(tr("Payload"), this);
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    m_find = new QLineEdit(this);
    m_find->setPlaceholderText(tr("Find in payload"));
    m_find->setClearButtonEnabled(true);
    m_find->setAccessibleName(tr("Find in payload"));
    auto *copyButton = new QToolButton(this);
    copyButton->setText(tr("Copy"));
    copyButton->setIcon(QIcon(QStringLiteral(":/icons/copy.svg")));
    copyButton->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    copyButton->setToolTip(tr("Copy the selected value, or the whole payload"));
    bar->addWidget(m_title);
    bar->addStretch();
    bar->addWidget(m_find, 1);
    bar->addWidget(copyButton);
    layout->addLayout(bar);

    m_tabs = new QTabWidget(this);
    m_tree = new QTreeView(m_tabs);
    m_tree->setModel(m_model);
    m_tree->setUniformRowHeights(true);
    m_tree->setAlternatingRowColors(true);
    m_tree->header()->setSectionResizeMode(JsonTreeModel::KeyColumn, QHeaderView::ResizeToContents);
    m_tree->header()->setStretchLastSection(false);
    m_tree->header()->setSectionResizeMode(JsonTreeModel::ValueColumn, QHeaderView::Stretch);
    m_tree->setAccessibleName(tr("Payload tree"));
    m_raw = new QPlainTextEdit(m_tabs);
    m_raw->setReadOnly(true);
    m_raw->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    m_raw->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_raw->setAccessibleName(tr("Raw payload"));
    m_tabs->addTab(m_tree, tr("JSON"));
    m_tabs->addTab(m_raw, tr("Raw"));
    layout->addWidget(m_tabs, 1);
    m_note = new QLabel(this);
    m_note->setWordWrap(true);
    m_note->hide();
    layout->addWidget(m_note);

    connect(m_find, &QLineEdit::returnPressed, this, &PayloadInspector::findNext);
    connect(m_find, &QLineEdit::textChanged, this, [this] { m_treeMatch = -1; });
    connect(copyButton, &QToolButton::clicked, this, &PayloadInspector::copy);
    clear();
}

void PayloadInspector::clear()
{
    m_eventRowId = 0;
    m_payload.clear();
    m_model->clear();
    m_raw->setPlainText(tr("Select an event to see the payload it arrived with."));
    m_title->setText(tr("Payload"));
    m_note->hide();
}

void PayloadInspector::showLoading(qint64 eventRowId)
{
    m_eventRowId = eventRowId;
    m_title->setText(tr("Payload · loading…"));
}

void PayloadInspector::showPayload(qint64 eventRowId, const QByteArray &payload)
{
    m_eventRowId = eventRowId;
    m_payload = payload;
    m_model->setJson(payload);
    m_tree->expandToDepth(1);
    m_raw->setPlainText(QString::fromUtf8(payload));
    m_title->setText(tr("Payload · %n byte(s)", nullptr, static_cast<int>(payload.size())));
    m_treeMatch = -1;
    if (!m_model->parseError().isEmpty()) {
        m_note->setText(m_model->parseError());
        m_note->show();
        m_tabs->setCurrentWidget(m_raw);
    } else {
        m_note->hide();
    }
}

void PayloadInspector::focusFind()
{
    m_find->setFocus(Qt::ShortcutFocusReason);
    m_find->selectAll();
}

void PayloadInspector::findNext()
{
    const QString text = m_find->text();
    if (text.isEmpty())
        return;
    if (m_tabs->currentWidget() == m_raw) {
        if (!m_raw->find(text)) {
            m_raw->moveCursor(QTextCursor::Start);
            m_raw->find(text);
        }
        return;
    }
    const QModelIndexList matches = m_model->find(text);
    if (matches.isEmpty())
        return;
    m_treeMatch = (m_treeMatch + 1) % static_cast<int>(matches.size());
    const QModelIndex match = matches[m_treeMatch];
    m_tree->scrollTo(match);
    m_tree->setCurrentIndex(match);
}

void PayloadInspector::copy()
{
    QString text;
    const QModelIndex current = m_tree->currentIndex();
    if (m_tabs->currentWidget() == m_tree && current.isValid())
        text = current.siblingAtColumn(JsonTreeModel::ValueColumn).data().toString();
    else if (m_raw->textCursor().hasSelection())
        text = m_raw->textCursor().selectedText();
    else
        text = QString::fromUtf8(m_payload);
    QApplication::clipboard()->setText(text);
}

} // namespace sightline
