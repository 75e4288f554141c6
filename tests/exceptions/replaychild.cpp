// A child process for tst_replaycases: replays one exception against the sandbox through the
// console's write path and dies by SIGKILL the moment the sandbox's answer arrives, after the
// call was applied and before the answer is recorded (a crash between sending and recording).
// Usage: replaychild DB PORT EXCEPTION_ID

#include "models/actions/actionservice.h"
#include "models/store/store.h"
#include "sandboxreplaysender.h"

#include <QCoreApplication>
#include <csignal>
#include <unistd.h>

using namespace sightline;

namespace {
class DieOnAnswer : public ReplaySender
{
public:
    explicit DieOnAnswer(quint16 port) : m_inner(port) {}
    void send(const ReplayAction &action, QObject *context, std::function<void(ReplayResponse)>) override
    {
        m_inner.send(action, context, [](ReplayResponse response) {
            if (response.succeeded())
                ::kill(::getpid(), SIGKILL);
        });
    }

private:
    test::SandboxReplaySender m_inner;
};
} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() != 4)
        return 2;
    auto store = Store::open(args.at(1));
    if (!store)
        return 1;
    DieOnAnswer sender(quint16(args.at(2).toUInt()));
    ActionService service(store.value().get(), {QStringLiteral("ann"), Role::Buyer}, &sender);
    service.perform({ActionKind::Replay, args.at(3).toLongLong()}, [](Result<ActionOutcome>) {
        QCoreApplication::exit(3); // only when the answer did not come: the parent sees exit code 3
    });
    return app.exec();
}
