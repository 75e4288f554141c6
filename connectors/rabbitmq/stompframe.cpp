#include "connectors/rabbitmq/stompframe.h"

#include <algorithm>

namespace sightline {
namespace {

constexpr qsizetype kMaxHeaderBytes = 1024 * 1024;
constexpr qsizetype kMaxFrameBytes = 64 * 1024 * 1024;

// CONNECT and CONNECTED are exchanged before both sides know they speak 1.2: never escaped.
bool escapesHeaders(QByteArrayView command)
{
    return command != "CONNECT" && command != "CONNECTED";
}

} // namespace

QByteArray stompEscape(QByteArrayView value)
{
    QByteArray out;
    out.reserve(value.size());
    for (const char c : value) {
        switch (c) {
        case '\\':
            out += "\\\\";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\n':
            out += "\\n";
            break;
        case ':':
            out += "\\c";
            break;
        default:
            out += c;
        }
    }
    return out;
}

std::optional<QByteArray> stompUnescape(QByteArrayView value)
{
    QByteArray out;
    out.reserve(value.size());
    for (qsizetype i = 0; i < value.size(); ++i) {
        if (value[i] != '\\') {
            out += value[i];
            continue;
        }
        if (++i == value.size())
            return std::nullopt;
        switch (value[i]) {
        case '\\':
            out += '\\';
            break;
        case 'r':
            out += '\r';
            break;
        case 'n':
            out += '\n';
            break;
        case 'c':
            out += ':';
            break;
        default:
            return std::nullopt; // undefined escapes are fatal in STOMP 1.2
        }
    }
    return out;
}

bool StompFrame::hasHeader(QByteArrayView name) const
{
    for (const auto &h : headers) {
        if (h.first == name)
            return true;
    }
    return false;
}

QByteArray StompFrame::header(QByteArrayView name, const QByteArray &fallback) const
{
    for (const auto &h : headers) {
        if (h.first == name)
            return h.second;
    }
    return fallback;
}

void StompFrame::setHeader(const QByteArray &name, const QByteArray &value)
{
    headers.removeIf([&](const auto &h) { return h.first == name; });
    headers.append({name, value});
}

QByteArray StompFrame::encode() const
{
    const bool escape = escapesHeaders(command);
    QByteArray out = command;
    out += '\n';
    for (const auto &[name, value] : headers) {
        out += escape ? stompEscape(name) : name;
        out += ':';
        out += escape ? stompEscape(value) : value;
        out += '\n';
    }
    if (!body.isEmpty() && !hasHeader("content-length"))
        out += "content-length:" + QByteArray::number(body.size()) + '\n';
    out += '\n';
    out += body;
    out += '\0';
    return out;
}

bool StompDecoder::feed(QByteArrayView bytes)
{
    if (!m_error.isEmpty())
        return false;
    m_buffer.append(bytes.data(), bytes.size());
    return parse();
}

std::optional<StompFrame> StompDecoder::next()
{
    if (m_ready.isEmpty())
        return std::nullopt;
    return m_ready.takeFirst();
}

int StompDecoder::takeHeartbeats()
{
    return std::exchange(m_heartbeats, 0);
}

void StompDecoder::reset()
{
    m_buffer.clear();
    m_ready.clear();
    m_heartbeats = 0;
    m_error.clear();
}

bool StompDecoder::parse()
{
    auto fail = [this](const QString &why) {
        m_error = why;
        m_buffer.clear();
        return false;
    };
    for (;;) {
        // Heart-beats: bare line ends between frames.
        qsizetype skip = 0;
        while (skip < m_buffer.size()) {
            if (m_buffer[skip] == '\n') {
                ++skip;
                ++m_heartbeats;
            } else if (m_buffer[skip] == '\r' && skip + 1 < m_buffer.size() && m_buffer[skip + 1] == '\n') {
                skip += 2;
                ++m_heartbeats;
            } else {
                break;
            }
        }
        m_buffer.remove(0, skip);
        if (m_buffer.isEmpty() || (m_buffer.size() == 1 && m_buffer[0] == '\r'))
            return true;

        // Command and headers, up to the first empty line.
        StompFrame frame;
        qsizetype pos = 0;
        qsizetype bodyStart = -1;
        bool first = true;
        for (;;) {
            const qsizetype nl = m_buffer.indexOf('\n', pos);
            if (nl < 0) {
                if (m_buffer.size() > kMaxHeaderBytes)
                    return fail(
                        QStringLiteral("STOMP frame headers longer than %1 bytes").arg(kMaxHeaderBytes));
                return true; // wait for more
            }
            QByteArrayView line(m_buffer.constData() + pos, nl - pos);
            if (line.endsWith('\r'))
                line.chop(1);
            pos = nl + 1;
            if (first) {
                if (line.isEmpty())
                    return fail(QStringLiteral("STOMP frame without a command"));
                for (const char c : line) {
                    if (c < 'A' || c > 'Z')
                        return fail(
                            QStringLiteral("'%1' is not a STOMP command")
                                .arg(QString::fromUtf8(line.first(std::min<qsizetype>(40, line.size())))));
                }
                frame.command = line.toByteArray();
                first = false;
                continue;
            }
            if (line.isEmpty()) {
                bodyStart = pos;
                break;
            }
            const qsizetype colon = line.indexOf(':');
            if (colon <= 0)
                return fail(QStringLiteral("STOMP header line without a name: '%1'")
                                .arg(QString::fromUtf8(line.first(std::min<qsizetype>(80, line.size())))));
            QByteArray name = line.first(colon).toByteArray();
            QByteArray value = line.sliced(colon + 1).toByteArray();
            if (escapesHeaders(frame.command)) {
                const auto n = stompUnescape(name);
                const auto v = stompUnescape(value);
                if (!n || !v)
                    return fail(QStringLiteral("STOMP header '%1' holds an undefined escape")
                                    .arg(QString::fromUtf8(name.left(80))));
                name = *n;
                value = *v;
            }
            frame.headers.append({std::move(name), std::move(value)});
        }

        // The body: content-length bytes, or up to the first NUL; then the NUL.
        qsizetype end = -1;
        if (frame.hasHeader("content-length")) {
            bool ok = false;
            const qlonglong length = frame.header("content-length").trimmed().toLongLong(&ok);
            if (!ok || length < 0 || length > kMaxFrameBytes)
                return fail(QStringLiteral("STOMP content-length '%1' is not a usable length")
                                .arg(QString::fromUtf8(frame.header("content-length").left(40))));
            if (m_buffer.size() < bodyStart + length + 1)
                return true;
            end = bodyStart + qsizetype(length);
            if (m_buffer[end] != '\0')
                return fail(QStringLiteral("STOMP frame body does not end with NUL after content-length %1")
                                .arg(length));
        } else {
            end = m_buffer.indexOf('\0', bodyStart);
            if (end < 0) {
                if (m_buffer.size() > kMaxFrameBytes)
                    return fail(QStringLiteral("STOMP frame longer than %1 bytes").arg(kMaxFrameBytes));
                return true;
            }
        }
        frame.body = m_buffer.mid(bodyStart, end - bodyStart);
        m_buffer.remove(0, end + 1);
        m_ready.append(std::move(frame));
    }
}

} // namespace sightline
