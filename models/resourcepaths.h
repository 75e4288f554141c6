#pragma once

#include <QString>

namespace sightline {

// Where Sightline's data files live: mappings, connection profiles, SLA policies, the sandbox's
// OpenAPI description (one folder each). The one place that decides it, in this order:
//   1. $SIGHTLINE_DATA_DIR, when set (tests, unusual installs);
//   2. <folder of the running program>/../share/sightline: an installed copy (the .deb, the
//      .tar.gz, `cmake --install`), wherever it was unpacked;
//   3. the source tree's resources/ folder, only when the program runs from a build directory
//      and no installed copy sits beside it.
// Returns an empty string when none of them exists.
QString resourceDir();

// A file or folder under resourceDir(), e.g. resourcePath(u"mappings/erp-orders.json"_s).
// Empty when there is no resource folder.
QString resourcePath(const QString &relative);

} // namespace sightline
