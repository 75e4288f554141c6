#pragma once

#include <QDialog>
#include <QList>

class QAction;

namespace sightline {

// F1: every action that has a shortcut, in a table, built from the actions themselves.
class ShortcutSheet : public QDialog
{
    Q_OBJECT
public:
    ShortcutSheet(const QList<QAction *> &actions, QWidget *parent = nullptr);
};

} // namespace sightline
