#pragma once

#include "models/exceptions/exceptionitem.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;

namespace sightline {

// The exception queue's filters in one row: status, type, severity, documents (a role's scope),
// age, owner, system, partner and warehouse, then the count shown. Only widgets: the filter it
// makes is answered in SQL by ExceptionQueue.
class ExceptionFilterBar : public QWidget
{
    Q_OBJECT
public:
    explicit ExceptionFilterBar(QWidget *parent = nullptr);

    // The filter as set; owner "me" (savedviews' kOwnerMe) stays "me".
    ExceptionFilter filter() const;
    // Shows a filter (a saved view's): a value no entry offers is added as an entry of its own.
    // Emits nothing.
    void setFilter(const ExceptionFilter &filter);
    void setCountText(const QString &text);

Q_SIGNALS:
    void changed();

private:
    void addCombos();
    void addEdits();

    QComboBox *m_status = nullptr;
    QComboBox *m_type = nullptr;
    QComboBox *m_severity = nullptr;
    QComboBox *m_scope = nullptr;
    QComboBox *m_age = nullptr;
    QComboBox *m_owner = nullptr;
    QLineEdit *m_system = nullptr;
    QLineEdit *m_partner = nullptr;
    QLineEdit *m_warehouse = nullptr;
    QLabel *m_count = nullptr;
};

} // namespace sightline
