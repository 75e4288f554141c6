#pragma once

#include <QStringList>
#include <QTextStream>

namespace sightline::cli {

// Exit codes of sightline-cli.
enum ExitCode { Ok = 0, Failure = 1, Quarantined = 2, AuditBroken = 3 };

struct Context
{
    QString dbPath;
    QTextStream &out;
    QTextStream &err;
};

int ingest(const Context &ctx, const QStringList &args);
int trace(const Context &ctx, const QStringList &args);
int sla(const Context &ctx, const QStringList &args); // slacommand.cpp

} // namespace sightline::cli
