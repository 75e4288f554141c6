#include "models/ingest/cloudevents.h"

#include <QtTest>

using namespace sightline;

class TestCloudEvents : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void placeholder()
    {
        ParsedInput out;
        CloudEventReader(QStringLiteral("t")).readDocument("{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"s\",\"type\":\"t\"}", 5, out);
        QCOMPARE(out.events.size(), 1);
    }
};

QTEST_GUILESS_MAIN(TestCloudEvents)
#include "tst_cloudevents.moc"
