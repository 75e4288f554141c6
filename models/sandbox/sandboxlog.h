#pragma once

#include <QLoggingCategory>

// The sandbox module's category: sightline.sandbox.
Q_DECLARE_LOGGING_CATEGORY(lcSandbox)
