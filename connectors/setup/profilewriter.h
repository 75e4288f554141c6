#pragma once

#include "connectors/profile/connectionprofile.h"
#include "models/result.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace sightline {

// Writes `path` (connectionProfilesToJson: secrets as references only) atomically (a crash leaves
// the old file or the new one), readable by its owner only, creating its folder.
Status writeConnectionProfiles(const QString &path, const QList<ConnectionProfile> &profiles);

// The first-run choice "demo sandbox": a profiles file marked {"demo": true} with no connection
// of its own. A console that finds it behaves as `sightline --demo` (starts the sandbox and
// connects to it); replacing the file with real connections ends demo mode.
Status writeDemoProfiles(const QString &path);
bool isDemoProfilesFile(const QString &path);

// True when the user has not configured anything yet: the first-run wizard is due.
bool firstRunDue(const QString &profilesPath = userConnectionProfilesPath());

} // namespace sightline
