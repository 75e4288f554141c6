#include "connectors/connectorslog.h"

Q_LOGGING_CATEGORY(lcConnectors, "sightline.connectors", QtInfoMsg)
