#include "connectors/setup/profilewriter.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <nlohmann/json.hpp>

namespace sightline {
namespace {

using json = nlohmann::json;

Status writeFile(const QString &path, const QByteArray &bytes)
{
    if (!QDir().mkpath(QFileInfo(path).absolutePath()))
        return Error{QStringLiteral("cannot create the folder of %1").arg(path)};
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return Error{QStringLiteral("cannot write %1: %2").arg(path, file.errorString())};
    file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    file.write(bytes);
    if (!file.commit())
        return Error{QStringLiteral("cannot write %1: %2").arg(path, file.errorString())};
    return {};
}

} // namespace

Status writeConnectionProfiles(const QString &path, const QList<ConnectionProfile> &profiles)
{
    return writeFile(path, connectionProfilesToJson(profiles));
}

Status writeDemoProfiles(const QString &path)
{
    const json demo{{"demo", true}, {"connections", json::array()}};
    return writeFile(path, QByteArray::fromStdString(demo.dump(2) + '\n'));
}

bool isDemoProfilesFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return false;
    const QByteArray text = file.readAll();
    const json root = json::parse(text.begin(), text.end(), nullptr, false);
    if (!root.is_object())
        return false;
    const auto demo = root.find("demo");
    return demo != root.end() && demo->is_boolean() && demo->get<bool>();
}

bool firstRunDue(const QString &profilesPath)
{
    return !QFileInfo::exists(profilesPath);
}

} // namespace sightline
