#include "ui/exceptions/savedviewspane.h"

#include "models/exceptions/savedviews.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QListView>
#include <QPushButton>
#include <QVBoxLayout>

namespace sightline {

SavedViewsPane::SavedViewsPane(SavedViewModel *model, QWidget *parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("savedViews"));
    auto *v = new QVBoxLayout(this);
    v->setContentsMargins(0, 0, 0, 0);
    auto *title = new QLabel(tr("Saved views"), this);
    QFont bold = title->font();
    bold.setBold(true);
    title->setFont(bold);
    v->addWidget(title);
    m_list = new QListView(this);
    m_list->setObjectName(QStringLiteral("savedViewList"));
    m_list->setModel(model);
    m_list->setSelectionMode(QAbstractItemView::SingleSelection);
    m_list->setEditTriggers(QAbstractItemView::NoEditTriggers);
    v->addWidget(m_list, 1);
    auto *buttons = new QHBoxLayout;
    auto *save = new QPushButton(tr("Save view…"), this);
    save->setObjectName(QStringLiteral("saveViewButton"));
    save->setToolTip(tr("Save the filters, order and group shown now as a view of your own"));
    m_delete = new QPushButton(tr("Delete"), this);
    m_delete->setObjectName(QStringLiteral("deleteViewButton"));
    buttons->addWidget(save);
    buttons->addWidget(m_delete);
    buttons->addStretch(1);
    v->addLayout(buttons);
    connect(save, &QPushButton::clicked, this, &SavedViewsPane::saveRequested);
    connect(m_delete, &QPushButton::clicked, this, [this] {
        if (currentRow() >= 0)
            Q_EMIT deleteRequested(currentRow());
    });
    connect(m_list, &QListView::clicked, this, [this](const QModelIndex &i) { Q_EMIT viewChosen(i.row()); });
    connect(m_list, &QListView::activated, this,
            [this](const QModelIndex &i) { Q_EMIT viewChosen(i.row()); });
}

int SavedViewsPane::currentRow() const
{
    return m_list->currentIndex().isValid() ? m_list->currentIndex().row() : -1;
}

void SavedViewsPane::selectRow(int row)
{
    const QSignalBlocker quiet(m_list);
    m_list->setCurrentIndex(m_list->model()->index(row, 0));
}

} // namespace sightline
