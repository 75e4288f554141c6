#pragma once

#include "app/cli/clicommands.h"

namespace sightline::cli {

// sightline-cli exceptions [filters] [--detect] [--json]
int exceptions(const Context &ctx, const QStringList &args);
// sightline-cli replay ID [--dry-run] [--profiles FILE]
int replay(const Context &ctx, const QStringList &args);
// sightline-cli replay --bulk [filters] [--rate N] [--dry-run] [--resume [N]] [--export FILE]
int bulkReplay(const Context &ctx, const QStringList &args);
// sightline-cli audit verify | export [--json]
int audit(const Context &ctx, const QStringList &args);

} // namespace sightline::cli
