#pragma once

#include <QStringList>
#include <QTextStream>

class QCommandLineParser;

namespace sightline::cli {

// Exit codes of sightline-cli.
enum ExitCode { Ok = 0, Failure = 1, Quarantined = 2, AuditBroken = 3 };

struct Context
{
    QString dbPath;
    QTextStream &out;
    QTextStream &err;
};

// Parses a command's own arguments (adding --help); prints the help or the error. Returns false
// when the command is to stop, with exitCode set.
bool parseCommand(QCommandLineParser &parser, const QStringList &args, const Context &ctx, int &exitCode);

int ingest(const Context &ctx, const QStringList &args);
int trace(const Context &ctx, const QStringList &args);
int sla(const Context &ctx, const QStringList &args);     // slacommand.cpp
int correct(const Context &ctx, const QStringList &args); // correctcommand.cpp
int roles(const Context &ctx, const QStringList &args);   // rolescommands.cpp

} // namespace sightline::cli
