#include "ui/theme.h"

#include <QApplication>
#include <QPalette>
#include <QStyleFactory>

namespace sightline {

ThemeChoice Theme::s_choice = ThemeChoice::System;
bool Theme::s_dark = false;
bool Theme::s_systemDark = false;
bool Theme::s_systemKnown = false;

namespace {

QPalette lightPalette()
{
    QPalette p;
    p.setColor(QPalette::Window, QColor(0xf5, 0xf6, 0xf8));
    p.setColor(QPalette::WindowText, QColor(0x1f, 0x23, 0x28));
    p.setColor(QPalette::Base, Qt::white);
    p.setColor(QPalette::AlternateBase, QColor(0xf0, 0xf2, 0xf5));
    p.setColor(QPalette::ToolTipBase, QColor(0xff, 0xff, 0xf0));
    p.setColor(QPalette::ToolTipText, QColor(0x1f, 0x23, 0x28));
    p.setColor(QPalette::Text, QColor(0x1f, 0x23, 0x28));
    p.setColor(QPalette::PlaceholderText, QColor(0x8a, 0x91, 0x99));
    p.setColor(QPalette::Button, QColor(0xec, 0xee, 0xf1));
    p.setColor(QPalette::ButtonText, QColor(0x1f, 0x23, 0x28));
    p.setColor(QPalette::Highlight, QColor(0x2f, 0x6f, 0xeb));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Link, QColor(0x2f, 0x6f, 0xeb));
    p.setColor(QPalette::Mid, QColor(0xc8, 0xcd, 0xd3));
    p.setColor(QPalette::Disabled, QPalette::Text, QColor(0x9a, 0xa0, 0xa6));
    p.setColor(QPalette::Disabled, QPalette::WindowText, QColor(0x9a, 0xa0, 0xa6));
    p.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(0x9a, 0xa0, 0xa6));
    return p;
}

QPalette darkPalette()
{
    QPalette p;
    p.setColor(QPalette::Window, QColor(0x1e, 0x21, 0x26));
    p.setColor(QPalette::WindowText, QColor(0xdc, 0xe0, 0xe5));
    p.setColor(QPalette::Base, QColor(0x16, 0x18, 0x1c));
    p.setColor(QPalette::AlternateBase, QColor(0x22, 0x25, 0x2b));
    p.setColor(QPalette::ToolTipBase, QColor(0x2b, 0x2f, 0x36));
    p.setColor(QPalette::ToolTipText, QColor(0xdc, 0xe0, 0xe5));
    p.setColor(QPalette::Text, QColor(0xdc, 0xe0, 0xe5));
    p.setColor(QPalette::PlaceholderText, QColor(0x7d, 0x84, 0x8c));
    p.setColor(QPalette::Button, QColor(0x2a, 0x2e, 0x35));
    p.setColor(QPalette::ButtonText, QColor(0xdc, 0xe0, 0xe5));
    p.setColor(QPalette::Highlight, QColor(0x3d, 0x7e, 0xf5));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Link, QColor(0x6d, 0xa0, 0xff));
    p.setColor(QPalette::Mid, QColor(0x3a, 0x3f, 0x47));
    p.setColor(QPalette::Light, QColor(0x3a, 0x3f, 0x47));
    p.setColor(QPalette::Dark, QColor(0x10, 0x12, 0x15));
    p.setColor(QPalette::Disabled, QPalette::Text, QColor(0x6a, 0x70, 0x78));
    p.setColor(QPalette::Disabled, QPalette::WindowText, QColor(0x6a, 0x70, 0x78));
    p.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(0x6a, 0x70, 0x78));
    return p;
}

} // namespace

void Theme::apply(ThemeChoice choice)
{
    if (!s_systemKnown) {
        // What the platform gave us before we changed anything.
        s_systemDark = QApplication::palette().color(QPalette::Window).lightness() < 128;
        s_systemKnown = true;
    }
    s_choice = choice;
    s_dark = choice == ThemeChoice::Dark || (choice == ThemeChoice::System && s_systemDark);
    QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    QApplication::setPalette(s_dark ? darkPalette() : lightPalette());
}

QString Theme::choiceName(ThemeChoice choice)
{
    switch (choice) {
    case ThemeChoice::Light:
        return QStringLiteral("light");
    case ThemeChoice::Dark:
        return QStringLiteral("dark");
    case ThemeChoice::System:
        break;
    }
    return QStringLiteral("system");
}

ThemeChoice Theme::choiceFromName(const QString &name)
{
    if (name == QLatin1String("light"))
        return ThemeChoice::Light;
    if (name == QLatin1String("dark"))
        return ThemeChoice::Dark;
    return ThemeChoice::System;
}

QColor Theme::accent()
{
    return s_dark ? QColor(0x6d, 0xa0, 0xff) : QColor(0x2f, 0x6f, 0xeb);
}

QColor Theme::atRisk()
{
    return s_dark ? QColor(0xf0, 0xb4, 0x29) : QColor(0xd9, 0x8e, 0x04);
}

QColor Theme::breached()
{
    return s_dark ? QColor(0xff, 0x6b, 0x6b) : QColor(0xd6, 0x33, 0x33);
}

QColor Theme::pending()
{
    return s_dark ? QColor(0x8f, 0x98, 0xa3) : QColor(0x7a, 0x84, 0x8f);
}

QColor Theme::mutedText()
{
    return s_dark ? QColor(0x9a, 0xa3, 0xad) : QColor(0x60, 0x69, 0x73);
}

QColor Theme::laneColor(int lane)
{
    static const QColor light[] = {QColor(0x2f, 0x6f, 0xeb), QColor(0x1a, 0x9e, 0x6f),
                                   QColor(0x8e, 0x4c, 0xd6), QColor(0xd1, 0x6a, 0x1f),
                                   QColor(0x0e, 0x8f, 0xa8), QColor(0xb8, 0x3b, 0x8a)};
    static const QColor dark[] = {QColor(0x6d, 0xa0, 0xff), QColor(0x4c, 0xd0, 0x9a),
                                  QColor(0xb3, 0x86, 0xf2), QColor(0xf2, 0x93, 0x4e),
                                  QColor(0x4f, 0xc6, 0xdd), QColor(0xe0, 0x72, 0xb8)};
    const int i = lane % 6;
    return s_dark ? dark[i] : light[i];
}

} // namespace sightline
