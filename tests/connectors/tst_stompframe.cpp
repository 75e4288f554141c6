// The STOMP 1.2 frame codec: encoding, header escaping, content-length, heart-beats, frames split
// or joined in any way, and the errors STOMP 1.2 makes fatal.
#include "connectors/rabbitmq/stompframe.h"

#include <QTest>

using namespace sightline;

class TestStompFrame : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void encodesCommandHeadersBodyAndNul()
    {
        const StompFrame f("SEND", {{"destination", "/exchange/ops.events/shipment.x"}}, "hello");
        QCOMPARE(f.encode(),
                 QByteArray("SEND\ndestination:/exchange/ops.events/shipment.x\ncontent-length:5\n\nhello") +
                     QByteArray(1, '\0'));
        QCOMPARE(StompFrame("DISCONNECT").encode(), QByteArray("DISCONNECT\n\n") + QByteArray(1, '\0'));
    }

    void escapesHeadersButNotInConnect()
    {
        QCOMPARE(stompEscape("a:b\\c\nd\re"), QByteArray("a\\cb\\\\c\\nd\\re"));
        QCOMPARE(stompUnescape("a\\cb\\\\c\\nd\\re").value(), QByteArray("a:b\\c\nd\re"));
        QVERIFY(!stompUnescape("bad\\t").has_value());
        QVERIFY(!stompUnescape("trailing\\").has_value());
        const StompFrame send("SEND", {{"x-key", "k:v"}});
        QVERIFY(send.encode().contains("x-key:k\\cv\n"));
        const StompFrame connect("CONNECT", {{"passcode", "p:w"}});
        QVERIFY(connect.encode().contains("passcode:p:w\n")); // CONNECT headers are never escaped
    }

    void roundTripsThroughTheDecoder()
    {
        StompFrame f("MESSAGE", {{"destination", "/amq/queue/q"}, {"x-odd", "colon:new\nline\\back"}},
                     QByteArray("bin\0ary", 7));
        StompDecoder d;
        QVERIFY(d.feed(f.encode()));
        const auto out = d.next();
        QVERIFY(out.has_value());
        QCOMPARE(out->command, QByteArray("MESSAGE"));
        QCOMPARE(out->header("x-odd"), QByteArray("colon:new\nline\\back"));
        QCOMPARE(out->body, QByteArray("bin\0ary", 7)); // content-length lets the body hold NUL
        QVERIFY(!d.next().has_value());
    }

    void readsFramesSplitAnywhereAndJoinedWithHeartbeats()
    {
        const QByteArray one = StompFrame("MESSAGE", {{"ack", "1"}}, "first").encode();
        const QByteArray two("RECEIPT\r\nreceipt-id:r-7\r\n\r\n\0", 28); // CRLF, no content-length
        const QByteArray stream = "\n\r\n" + one + "\n" + two + "\n";
        for (int cut = 0; cut <= stream.size(); ++cut) {
            StompDecoder d;
            QVERIFY(d.feed(QByteArrayView(stream).first(cut)));
            QVERIFY(d.feed(QByteArrayView(stream).sliced(cut)));
            const auto a = d.next();
            const auto b = d.next();
            QVERIFY2(a && b, qPrintable(QString::number(cut)));
            QCOMPARE(a->body, QByteArray("first"));
            QCOMPARE(b->command, QByteArray("RECEIPT"));
            QCOMPARE(b->header("receipt-id"), QByteArray("r-7"));
            QVERIFY(!d.next());
            QCOMPARE(d.takeHeartbeats(), 4);
        }
    }

    void firstOfRepeatedHeadersCounts()
    {
        StompDecoder d;
        QVERIFY(d.feed(QByteArray("MESSAGE\nfoo:World\nfoo:Hello\n\n\0", 30)));
        QCOMPARE(d.next()->header("foo"), QByteArray("World"));
    }

    void connectedHeadersAreNotUnescaped()
    {
        StompDecoder d;
        QVERIFY(d.feed(QByteArray("CONNECTED\nserver:RabbitMQ/3.10\\x\nheart-beat:0,0\n\n\0", 50)));
        QCOMPARE(d.next()->header("server"), QByteArray("RabbitMQ/3.10\\x"));
    }

    void refusesWhatIsNotStomp()
    {
        {
            StompDecoder d;
            QVERIFY(!d.feed(QByteArray("MESSAGE\nbad\\t:x\n\n\0", 18)));
            QVERIFY(d.error().contains(QStringLiteral("escape")));
        }
        {
            StompDecoder d;
            QVERIFY(!d.feed(QByteArray("{\"json\":1}\n\n\0", 13)));
            QVERIFY(d.error().contains(QStringLiteral("not a STOMP command")));
        }
        {
            StompDecoder d;
            QVERIFY(!d.feed(QByteArray("MESSAGE\ncontent-length:2\n\nabc\0", 30)));
            QVERIFY(d.error().contains(QStringLiteral("NUL")));
        }
        {
            StompDecoder d;
            QVERIFY(!d.feed(QByteArray("MESSAGE\nno colon here\n\n\0", 24)));
        }
    }

    void waitsForTheRestOfAFrame()
    {
        StompDecoder d;
        QVERIFY(d.feed("MESSAGE\ncontent-length:10\n\n01234"));
        QVERIFY(!d.next());
        QVERIFY(d.feed(QByteArray("56789\0", 6)));
        QCOMPARE(d.next()->body, QByteArray("0123456789"));
    }
};

QTEST_GUILESS_MAIN(TestStompFrame)
#include "tst_stompframe.moc"
