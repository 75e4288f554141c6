#pragma once

// Secret references live in models/ (the store's PostgreSQL password is one too).
#include "models/secrets/secretref.h"
