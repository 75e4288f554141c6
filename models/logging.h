#pragma once

#include <QLoggingCategory>

// One category per module: sightline.<module>. Enable with QT_LOGGING_RULES="sightline.*.debug=true".
Q_DECLARE_LOGGING_CATEGORY(lcStore)
Q_DECLARE_LOGGING_CATEGORY(lcIngest)
Q_DECLARE_LOGGING_CATEGORY(lcDomain)
