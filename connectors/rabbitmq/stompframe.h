#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <optional>
#include <utility>

namespace sightline {

// One STOMP 1.2 frame: a command, headers (in order; a repeated header's first value counts) and a
// body of bytes.
struct StompFrame
{
    QByteArray command;
    QList<std::pair<QByteArray, QByteArray>> headers;
    QByteArray body;

    StompFrame() = default;
    explicit StompFrame(QByteArray cmd, QList<std::pair<QByteArray, QByteArray>> hs = {}, QByteArray b = {})
        : command(std::move(cmd)), headers(std::move(hs)), body(std::move(b))
    {}

    bool hasHeader(QByteArrayView name) const;
    // The first value of the header (STOMP 1.2: repeated headers after the first are ignored).
    QByteArray header(QByteArrayView name, const QByteArray &fallback = {}) const;
    // Replaces every value of the header with this one.
    void setHeader(const QByteArray &name, const QByteArray &value);

    // The frame on the wire: headers escaped (except in CONNECT and CONNECTED, as STOMP 1.2 says),
    // a content-length header when the body is not empty and none was set, and the closing NUL.
    QByteArray encode() const;
};

// Splits a byte stream into STOMP 1.2 frames. Accepts LF or CRLF line ends, skips the end-of-line
// heart-beats between frames, honours content-length (a body may then hold NULs), and unescapes
// header names and values. Feed it what arrives, in pieces of any size, and take the frames out.
class StompDecoder
{
public:
    // Appends bytes; false (with error()) when they cannot be a STOMP frame. After an error the
    // decoder holds nothing and must be reset() (the connection should be dropped).
    bool feed(QByteArrayView bytes);
    // The next complete frame, if one has arrived.
    std::optional<StompFrame> next();
    // End-of-line heart-beats seen since the last call.
    int takeHeartbeats();
    QString error() const { return m_error; }
    void reset();

private:
    bool parse();

    QByteArray m_buffer;
    QList<StompFrame> m_ready;
    int m_heartbeats = 0;
    QString m_error;
};

// STOMP 1.2 header escaping: backslash, carriage return, line feed and colon.
QByteArray stompEscape(QByteArrayView value);
// The reverse; nothing when the value holds an escape STOMP 1.2 does not define.
std::optional<QByteArray> stompUnescape(QByteArrayView value);

} // namespace sightline
