#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace sightline::bench {

// A reference from the event's document to another document, as in data.links.
struct GeneratedLink
{
    std::string kind;
    std::string key;
    std::string relation;
};

// One generated CloudEvent: the JSON line exactly as a source would send it, and the values it
// carries, so that a benchmark can check or reproduce what the store should make of it.
struct GeneratedEvent
{
    std::string json; // one line, no newline
    std::string source;
    std::string id;
    std::string type;
    std::string milestone; // the canonical milestone the type names
    std::string documentKind;
    std::string documentKey;
    std::vector<std::pair<std::string, std::string>> identifiers; // scheme, value
    std::vector<GeneratedLink> links;
    std::string system;
    std::string status;
    std::string partner;
    std::string warehouse;
    std::int64_t occurredMs = 0;
    bool repeat = false;      // the same (source, id) and bytes as an earlier line: a duplicate
    bool arrivesLate = false; // sent after events that happened after it
};

struct EventStreamOptions
{
    std::uint64_t seed = 1;
    double purchaseShare = 0.35;          // purchase orders among new flows; the rest are sales orders
    double duplicateRate = 0.01;          // lines that repeat an earlier line
    double lateArrivalRate = 0.03;        // lines held back behind later events
    double lateLinkRate = 0.03;           // flows whose shipment or ASN is first seen unlinked, then merged
    double cancelRate = 0.02;             // sales orders cancelled after validation
    std::int64_t startMs = 1767600000000; // 2026-01-05T08:00:00Z
    int meanSecondsBetweenFlows = 20;
};

// A deterministic, endless stream of realistic supply-chain events: sales orders (created,
// validated, released, picked, packed, dispatched on a shipment, delivered, invoiced) and purchase
// orders (created, sent, acknowledged, ASN, receipt, supplier invoice received and matched), many
// interleaved in time, from erp/wms/portal/carrier, with some late arrivals, ~1% duplicates and
// late links that merge traces. Memory stays bounded however many events are drawn.
class EventStreamGenerator
{
public:
    explicit EventStreamGenerator(std::uint64_t seed);
    explicit EventStreamGenerator(const EventStreamOptions &options);
    ~EventStreamGenerator();
    EventStreamGenerator(const EventStreamGenerator &) = delete;
    EventStreamGenerator &operator=(const EventStreamGenerator &) = delete;

    // The next line of the stream.
    GeneratedEvent next();

    // How many lines next() has returned.
    std::uint64_t produced() const;

private:
    class Simulation;
    std::unique_ptr<Simulation> m_sim;
};

// A fixed-size uniform sample of values seen in a stream (reservoir sampling), deterministic for
// a seed: the identifiers a benchmark looks traces up by.
class IdentifierSample
{
public:
    IdentifierSample(std::size_t capacity, std::uint64_t seed);

    void offer(const std::string &value);
    // Offers the event's document key and identifiers.
    void offer(const GeneratedEvent &event);

    const std::vector<std::string> &values() const { return m_values; }

private:
    std::size_t m_capacity;
    std::uint64_t m_seen = 0;
    std::uint64_t m_state;
    std::vector<std::string> m_values;
};

// RFC 3339 text of a UTC epoch time, with the given offset from UTC and optional milliseconds.
std::string formatTimestamp(std::int64_t epochMs, int offsetMinutes = 0, bool withMillis = false);

} // namespace sightline::bench
