#pragma once

#include "app/cli/clicommands.h"

namespace sightline::cli {

// sightline-cli sync [--profiles FILE] [--mappings DIR] [--once | --for SECONDS]
int sync(const Context &ctx, const QStringList &args);
// sightline-cli status [--json]
int status(const Context &ctx, const QStringList &args);

} // namespace sightline::cli
