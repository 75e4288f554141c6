#include "models/ingest/ingestpipeline.h"

#include "models/domain/timestamp.h"
#include "models/ingest/epcis.h"
#include "models/logging.h"
#include "models/store/store.h"

#include <QFile>
#include <QFileInfo>
#include <iterator>

namespace sightline {
namespace {

constexpr qint64 kWholeFileLimit = 256LL * 1024 * 1024; // batch arrays and single events are read whole
constexpr qint64 kLinesBlock = 256 * 1024;              // JSON Lines are read in blocks of this size

} // namespace

IngestPipeline::IngestPipeline(Store &store, Options options) : m_store(store), m_options(options) {}

IngestPipeline::~IngestPipeline()
{
    waitForRoom(0);
}

Status IngestPipeline::addFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error{QStringLiteral("cannot read %1: %2").arg(path, file.errorString())};
    const QString origin = QFileInfo(path).fileName();
    // Look at the start to choose the format.
    const QByteArray head = file.peek(64 * 1024);
    const bool jsonLines = CloudEventReader::looksLikeJsonLines(head) && !EpcisReader::looksLikeEpcis(head);
    if (!jsonLines) {
        if (file.size() > kWholeFileLimit)
            return Error{QStringLiteral("%1 is %2 MiB: a single event or batch array may be at most %3 MiB; "
                                        "split it or write it as JSON Lines")
                             .arg(path)
                             .arg(file.size() / (1024 * 1024))
                             .arg(kWholeFileLimit / (1024 * 1024))};
        addDocument(file.readAll(), origin);
        return {};
    }
    // Read in blocks and hand over the complete lines of each: no copy per line.
    const CloudEventReader reader(origin);
    int line = 1; // the number of the first line in pending
    QByteArray pending;
    for (;;) {
        const QByteArray block = file.read(kLinesBlock);
        if (block.isEmpty())
            break;
        pending.append(block);
        const qsizetype lastNewline = pending.lastIndexOf('\n');
        if (lastNewline < 0)
            continue; // a line longer than a block: read on
        const QByteArrayView complete(pending.constData(), lastNewline + 1);
        reader.readLines(complete, line, nowMs(), m_buffer);
        line += int(complete.count('\n'));
        pending.remove(0, lastNewline + 1);
        submitFull();
    }
    if (!pending.isEmpty()) { // the last line has no newline
        reader.readLines(pending, line, nowMs(), m_buffer);
        submitFull();
    }
    if (file.error() != QFileDevice::NoError)
        return Error{
            QStringLiteral("reading %1 stopped at line %2: %3").arg(path).arg(line).arg(file.errorString())};
    return {};
}

void IngestPipeline::addDocument(QByteArrayView bytes, const QString &origin)
{
    if (EpcisReader::looksLikeEpcis(bytes))
        EpcisReader(origin).readDocument(bytes, nowMs(), m_buffer);
    else
        CloudEventReader(origin).readDocument(bytes, nowMs(), m_buffer);
    submitFull();
}

void IngestPipeline::addParsed(ParsedInput parsed)
{
    m_buffer.events.append(std::move(parsed.events));
    m_buffer.quarantined.append(std::move(parsed.quarantined));
    submitFull();
}

void IngestPipeline::submitFull()
{
    while (m_buffer.events.size() >= m_options.batchEvents ||
           m_buffer.quarantined.size() >= m_options.batchEvents) {
        ParsedInput rest;
        if (m_buffer.events.size() > m_options.batchEvents) {
            const auto tail = m_buffer.events.begin() + m_options.batchEvents;
            rest.events.reserve(m_buffer.events.end() - tail);
            std::move(tail, m_buffer.events.end(), std::back_inserter(rest.events)); // no copies
            m_buffer.events.erase(tail, m_buffer.events.end());
        }
        submit();
        m_buffer = std::move(rest);
    }
}

void IngestPipeline::submit()
{
    if (m_buffer.events.isEmpty() && m_buffer.quarantined.isEmpty())
        return;
    waitForRoom(m_options.maxInFlight - 1);
    IngestBatch batch;
    batch.events = std::move(m_buffer.events);
    batch.quarantined = std::move(m_buffer.quarantined);
    m_buffer = {};
    m_inFlight.push_back(m_store.ingest(std::move(batch)));
}

void IngestPipeline::waitForRoom(int room)
{
    while (int(m_inFlight.size()) > std::max(room, 0)) {
        auto result = m_inFlight.front().get();
        m_inFlight.pop_front();
        if (result)
            m_totals += result.value();
        else if (m_firstError.isEmpty())
            m_firstError = result.error();
    }
}

Result<IngestReport> IngestPipeline::finish()
{
    submit();
    waitForRoom(0);
    if (!m_firstError.isEmpty())
        return Error{m_firstError};
    return m_totals;
}

} // namespace sightline
