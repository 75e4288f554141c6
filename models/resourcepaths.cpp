#include "models/resourcepaths.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

namespace sightline {
namespace {

bool isDir(const QString &path)
{
    return !path.isEmpty() && QFileInfo(path).isDir();
}

QString installedDir()
{
    if (!QCoreApplication::instance())
        return {};
    return QDir::cleanPath(QCoreApplication::applicationDirPath() + QStringLiteral("/../share/sightline"));
}

#ifdef SIGHTLINE_BUILD_DIR
bool runsFromBuildDir()
{
    if (!QCoreApplication::instance())
        return true; // no program path to check (static initialisation, some tests)
    const QString build = QDir::cleanPath(QStringLiteral(SIGHTLINE_BUILD_DIR)) + u'/';
    const QString program = QDir::cleanPath(QCoreApplication::applicationDirPath()) + u'/';
    return program.startsWith(build);
}
#endif

} // namespace

QString resourceDir()
{
    const QString overridden = qEnvironmentVariable("SIGHTLINE_DATA_DIR");
    if (!overridden.isEmpty())
        return isDir(overridden) ? QDir::cleanPath(overridden) : QString();
    if (const QString installed = installedDir(); isDir(installed))
        return installed;
#if defined(SIGHTLINE_SOURCE_RESOURCES_DIR) && defined(SIGHTLINE_BUILD_DIR)
    if (runsFromBuildDir()) {
        if (const QString source = QStringLiteral(SIGHTLINE_SOURCE_RESOURCES_DIR); isDir(source))
            return source;
    }
#endif
    return {};
}

QString resourcePath(const QString &relative)
{
    const QString dir = resourceDir();
    return dir.isEmpty() ? QString() : dir + u'/' + relative;
}

} // namespace sightline
