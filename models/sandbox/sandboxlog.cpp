#include "models/sandbox/sandboxlog.h"

Q_LOGGING_CATEGORY(lcSandbox, "sightline.sandbox")
