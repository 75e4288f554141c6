#pragma once

#include <QMainWindow>

namespace sightline {

// The console's main window: one area per job (Traces, Exceptions, SLA, Connections, Audit).
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(const QString &storePath, QWidget *parent = nullptr);

private:
    QString m_storePath;
};

} // namespace sightline
