#include "ui/noticebanner.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QToolButton>

namespace sightline {

NoticeBanner::NoticeBanner(QWidget *parent) : QFrame(parent)
{
    setObjectName(QStringLiteral("noticeBanner"));
    setFrameShape(QFrame::StyledPanel);
    setAutoFillBackground(true);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    m_text = new QLabel(this);
    m_text->setWordWrap(true);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *dismiss = new QToolButton(this);
    dismiss->setObjectName(QStringLiteral("dismissNotice"));
    dismiss->setText(tr("Dismiss"));
    dismiss->setToolTip(tr("Hide this message"));
    connect(dismiss, &QToolButton::clicked, this, [this] {
        hide();
        Q_EMIT dismissed();
    });
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 4, 4, 4);
    layout->addWidget(m_text, 1);
    layout->addWidget(dismiss);
    hide();
}

void NoticeBanner::showNotice(const QString &message, Level level)
{
    QPalette pal = palette();
    const bool problem = level == Level::Problem;
    pal.setColor(QPalette::Window, problem ? QColor(0xfd, 0xec, 0xea) : QColor(0xe8, 0xf1, 0xfb));
    pal.setColor(QPalette::WindowText, problem ? QColor(0x8a, 0x1c, 0x12) : QColor(0x1b, 0x3d, 0x6b));
    setPalette(pal);
    m_text->setText(message);
    show();
}

QString NoticeBanner::message() const
{
    return isVisible() ? m_text->text() : QString();
}

} // namespace sightline
