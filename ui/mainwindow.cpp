#include "ui/mainwindow.h"

#include <QLabel>
#include <QStatusBar>
#include <QTabWidget>

namespace sightline {

MainWindow::MainWindow(const QString &storePath, QWidget *parent) : QMainWindow(parent), m_storePath(storePath)
{
    setWindowTitle(QStringLiteral("Sightline"));
    auto *areas = new QTabWidget(this);
    for (const QString &area : {tr("Traces"), tr("Exceptions"), tr("SLA"), tr("Connections"), tr("Audit")}) {
        auto *empty = new QLabel(tr("%1: nothing here yet.").arg(area), areas);
        empty->setAlignment(Qt::AlignCenter);
        areas->addTab(empty, area);
    }
    setCentralWidget(areas);
    statusBar()->showMessage(tr("Store: %1").arg(storePath));
    resize(1280, 800);
}

} // namespace sightline
