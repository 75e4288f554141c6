#pragma once

#include <QByteArray>
#include <QWidget>

class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QTabWidget;
class QTreeView;

namespace sightline {

class JsonTreeModel;

// The kept original of one event: as a JSON tree and as raw text, byte-exact; find inside
// (Ctrl+F, Enter for the next match) and copy (the selected value, or the whole payload).
class PayloadInspector : public QWidget
{
    Q_OBJECT
public:
    explicit PayloadInspector(QWidget *parent = nullptr);

    void showPayload(qint64 eventRowId, const QByteArray &payload);
    void showLoading(qint64 eventRowId);
    void clear();

    qint64 eventRowId() const { return m_eventRowId; }
    QByteArray payload() const { return m_payload; }
    JsonTreeModel *treeModel() const { return m_model; }
    QTreeView *treeView() const { return m_tree; }
    QPlainTextEdit *rawView() const { return m_raw; }

    void focusFind();
    void findNext();
    void copy();

private:
    JsonTreeModel *m_model = nullptr;
    QLabel *m_title = nullptr;
    QLineEdit *m_find = nullptr;
    QTabWidget *m_tabs = nullptr;
    QTreeView *m_tree = nullptr;
    QPlainTextEdit *m_raw = nullptr;
    QLabel *m_note = nullptr;
    QByteArray m_payload;
    qint64 m_eventRowId = 0;
    int m_treeMatch = -1;
};

} // namespace sightline
