#include "models/logging.h"

Q_LOGGING_CATEGORY(lcStore, "sightline.store", QtInfoMsg)
Q_LOGGING_CATEGORY(lcIngest, "sightline.ingest", QtInfoMsg)
Q_LOGGING_CATEGORY(lcDomain, "sightline.domain", QtInfoMsg)
