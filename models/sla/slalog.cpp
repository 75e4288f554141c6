#include "models/sla/slalog.h"

Q_LOGGING_CATEGORY(lcSla, "sightline.sla", QtInfoMsg)
