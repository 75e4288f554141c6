// sightline-sandbox: parses options, starts the sandbox and prints where it listens.
#include "connectors/sandbox/sandboxserver.h"

#include <QCoreApplication>
#include <QTextStream>

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("sightline-sandbox"));
    QTextStream out(stdout);
    QTextStream err(stderr);
    QString help;
    auto options = sightline::sandbox::parseSandboxOptions(QCoreApplication::arguments(), &help);
    if (!options) {
        if (options.error().isEmpty()) { // --help
            out << help;
            return 0;
        }
        err << "sightline-sandbox: " << options.error() << "\n"
            << "Try --help.\n";
        return 2;
    }
    sightline::sandbox::SandboxServer server(options.value());
    if (const auto started = server.start(); !started) {
        err << "sightline-sandbox: " << started.error() << "\n";
        return 1;
    }
    out << "sightline-sandbox listening: api http://127.0.0.1:" << server.httpPort()
        << " feed ws://127.0.0.1:" << server.feedPort() << "/feed events "
        << server.scenario().events().size() << "\n";
    out << "  ERP    /erp/api/v1     Authorization: Bearer <token>\n"
        << "  WMS    /wms/api/v1     X-Api-Key: <key>\n"
        << "  portal /portal/api/v1  HTTP Basic\n"
        << "  admin  /admin/inspect /admin/faults /admin/clock /admin/health\n";
    out.flush();
    return QCoreApplication::exec();
}
