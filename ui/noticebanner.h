#pragma once

#include <QFrame>

class QLabel;
class QTimer;

namespace sightline {

// A non-modal strip that tells the person about a problem (a connection failed, a query could not
// run) and stays until dismissed or replaced. Never a dialog: work goes on underneath.
class NoticeBanner : public QFrame
{
    Q_OBJECT
public:
    enum class Level { Information, Problem };

    explicit NoticeBanner(QWidget *parent = nullptr);

    void showNotice(const QString &message, Level level = Level::Problem);
    QString message() const;

Q_SIGNALS:
    void dismissed();

private:
    QLabel *m_text = nullptr;
};

} // namespace sightline
