#pragma once

// The README's pictures from the dialogs' own offscreen tests, when tests/screenshots/take.sh asks
// for them with SIGHTLINE_SCREENSHOT_DIR; nothing otherwise.

#include <QTest>
#include <QWidget>

namespace sightline::test {

inline void saveScreenshot(QWidget *w, const char *name)
{
    const QString dir = qEnvironmentVariable("SIGHTLINE_SCREENSHOT_DIR");
    if (dir.isEmpty())
        return;
    QTest::qWait(100);
    QVERIFY(w->grab().save(dir + u'/' + QLatin1String(name)));
}

} // namespace sightline::test
