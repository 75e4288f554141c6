#pragma once

#include "models/trace/searchhit.h"

#include <QFrame>
#include <QTimer>

class QLabel;
class QLineEdit;
class QTreeView;

namespace sightline {

class SearchResultModel;
class TraceReader;

// Search anywhere (Ctrl+K): results as you type (debounced, read on the reader's thread, stale
// results dropped), grouped by document kind; Enter opens the trace of the selected hit. With
// nothing typed it offers pinned traces and recent searches. Escape closes it.
class SearchPopup : public QFrame
{
    Q_OBJECT
public:
    explicit SearchPopup(TraceReader *reader, QWidget *parent);

    void popup(const QString &text = {});
    void dismiss();
    void setQuery(const QString &text);

    QLineEdit *lineEdit() const { return m_edit; }
    QTreeView *resultView() const { return m_results; }
    SearchResultModel *model() const { return m_model; }

    static constexpr int debounceMs = 120;

Q_SIGNALS:
    void traceChosen(qint64 traceId, const QString &label);
    void resultsShown(const QString &query, int hits);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void onTextChanged();
    void onResults(const SearchResults &results);
    void activate(const QModelIndex &index);
    void moveSelection(int delta);
    void showSuggestions();
    void place();

    TraceReader *m_reader;
    SearchResultModel *m_model;
    QLineEdit *m_edit = nullptr;
    QTreeView *m_results = nullptr;
    QLabel *m_status = nullptr;
    QTimer m_debounce;
    QString m_lastQuery;
};

} // namespace sightline
