#pragma once

#include <QColor>
#include <QString>

class QApplication;

namespace sightline {

// Light and dark appearance. "System" follows the palette the platform gave the application at
// start; the user can force either (View > Theme), and the choice is remembered.
enum class ThemeChoice { System, Light, Dark };

class Theme
{
public:
    static void apply(ThemeChoice choice);
    static ThemeChoice current() { return s_choice; }
    static bool isDark() { return s_dark; }
    static QString choiceName(ThemeChoice choice);
    static ThemeChoice choiceFromName(const QString &name);

    // Colours views share: status accents and the timeline's lanes.
    static QColor accent();
    static QColor atRisk();
    static QColor breached();
    static QColor pending();
    static QColor laneColor(int lane);
    static QColor mutedText();

private:
    static ThemeChoice s_choice;
    static bool s_dark;
    static bool s_systemDark;
    static bool s_systemKnown;
};

} // namespace sightline
