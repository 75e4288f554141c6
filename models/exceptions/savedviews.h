#pragma once

#include "models/actions/roles.h"
#include "models/exceptions/exceptionquery.h"

#include <QAbstractListModel>
#include <QList>

namespace sightline {

// A queue a person named and comes back to: its filters, its order and its group (SPEC.md §3-5).
struct SavedView
{
    QString name;
    ExceptionFilter filter; // owner "me" stands for whoever is signed in (see resolvedFor)
    ExceptionSort sort;
    bool grouped = true; // the groups by signature are shown beside the queue

    // The filter with "me" replaced by the user's name.
    ExceptionFilter resolvedFor(const QString &user) const;
    bool operator==(const SavedView &) const = default;
};

inline constexpr char16_t kOwnerMe[] = u"me";

// A user's saved views. Kept in the per-user config folder (saved-views.json, written through a
// temporary file and renamed, so a crash never leaves half a file): views are one person's way
// of looking, like a window layout, so they belong to the person's account rather than to the
// store, which may be read-only or shared by a team. Without a file, the role's defaults.
namespace savedviews {

// SPEC.md §5: everyone starts with the open queue; a buyer with purchasing documents, a warehouse
// supervisor with warehouse ones (the first view is the one shown at start), and each with their own items.
QList<SavedView> defaultsFor(Role role);

QByteArray toJson(const QList<SavedView> &views);
Result<QList<SavedView>> fromJson(const QByteArray &json);

// saved-views.json in the per-user config folder (SIGHTLINE_SAVED_VIEWS_FILE overrides it).
QString defaultFile();
// The views in the file; the role's defaults when there is no file.
Result<QList<SavedView>> load(const QString &path, Role role);
Status save(const QString &path, const QList<SavedView> &views);

} // namespace savedviews

// The saved views as a list with their count badges ("Purchasing  1,204"). A thin adapter: the
// counts come from ExceptionQueue::countEach on its reader thread.
class SavedViewModel : public QAbstractListModel
{
    Q_OBJECT
public:
    enum Role { CountRole = Qt::UserRole + 1, NameRole };

    explicit SavedViewModel(QObject *parent = nullptr);
    void setViews(QList<SavedView> views);
    // Open items per view, in the views' order; -1 while unknown.
    void setCounts(const QList<int> &counts);
    const QList<SavedView> &views() const { return m_views; }
    const SavedView *view(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

private:
    QList<SavedView> m_views;
    QList<int> m_counts;
};

} // namespace sightline
