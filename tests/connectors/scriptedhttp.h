#pragma once

// A tiny HTTP server on 127.0.0.1 for protocol tests: it answers each request, in order, with the
// next of the bodies it was given (200, application/json) and keeps every request it received.

#include <QByteArray>
#include <QHash>
#include <QHostAddress>
#include <QList>
#include <QTcpServer>
#include <QTcpSocket>

namespace sightline::testing {

class ScriptedHttpServer : public QObject
{
public:
    explicit ScriptedHttpServer(QList<QByteArray> answers) : m_answers(std::move(answers))
    {
        m_server.listen(QHostAddress::LocalHost, 0);
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection()) {
                socket->setParent(this);
                connect(socket, &QTcpSocket::readyRead, this, [this, socket] { read(socket); });
            }
        });
    }

    quint16 port() const { return m_server.serverPort(); }
    struct Request
    {
        QByteArray headers;
        QByteArray body;
    };
    const QList<Request> &requests() const { return m_requests; }

private:
    void read(QTcpSocket *socket)
    {
        QByteArray &buffer = m_buffers[socket];
        buffer += socket->readAll();
        for (;;) {
            const qsizetype end = buffer.indexOf("\r\n\r\n");
            if (end < 0)
                return;
            const QByteArray headers = buffer.left(end);
            qsizetype length = 0;
            for (const QByteArray &line : headers.split('\n')) {
                if (line.toLower().startsWith("content-length:"))
                    length = line.mid(15).trimmed().toLongLong();
            }
            if (buffer.size() < end + 4 + length)
                return;
            m_requests.append({headers, buffer.mid(end + 4, length)});
            buffer.remove(0, end + 4 + length);
            const QByteArray body = m_answers.isEmpty() ? QByteArray("{}") : m_answers.takeFirst();
            socket->write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " +
                          QByteArray::number(body.size()) + "\r\n\r\n" + body);
        }
    }

    QTcpServer m_server;
    QList<QByteArray> m_answers;
    QList<Request> m_requests;
    QHash<QTcpSocket *, QByteArray> m_buffers;
};

} // namespace sightline::testing
