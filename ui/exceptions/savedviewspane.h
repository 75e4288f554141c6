#pragma once

#include <QWidget>

class QListView;
class QPushButton;

namespace sightline {

class SavedViewModel;

// The user's saved views with their count badges, and buttons to save the queue as it is shown
// now as a view, or to delete one. Only widgets: the panel applies, saves and counts.
class SavedViewsPane : public QWidget
{
    Q_OBJECT
public:
    SavedViewsPane(SavedViewModel *model, QWidget *parent = nullptr);
    QListView *list() const { return m_list; }
    int currentRow() const;
    void selectRow(int row); // emits nothing

Q_SIGNALS:
    void viewChosen(int row);
    void saveRequested();
    void deleteRequested(int row);

private:
    QListView *m_list = nullptr;
    QPushButton *m_delete = nullptr;
};

} // namespace sightline
