#pragma once

#include "tests/bench/eventgen/eventstreamgenerator.h"

#include <cstdint>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <variant>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace sightline::bench {

// The baseline: the same rows the store writes for a stream of generated events (documents with
// their key identifier, further identifiers, links, events with their raw payload and SHA-1,
// duplicate counts, trace merges), inserted with a bare prepared-statement loop on SQLite's C API.
// Everything that needs no SQL (which documents are new, which event is a repeat, which trace is
// larger) is worked out in memory by plan(), outside the timed part; insert() only binds and steps.
class BareStore
{
public:
    struct Counts
    {
        std::int64_t documents = 0;
        std::int64_t identifiers = 0;
        std::int64_t links = 0;
        std::int64_t events = 0;
        std::int64_t duplicates = 0;
        std::int64_t merges = 0;     // trace merges, as the store counts them
        std::int64_t relabelled = 0; // merges that had to relabel rows of earlier transactions

        std::int64_t rows() const { return documents + identifiers + links + events; }
        std::int64_t statements() const { return rows() + duplicates + relabelled; }
    };

    BareStore() = default;
    ~BareStore();
    BareStore(const BareStore &) = delete;
    BareStore &operator=(const BareStore &) = delete;

    // Opens a file whose schema already exists (made by Store::open) with the store's pragmas.
    bool open(const std::string &path, std::string &error);

    // Works out the statements for these events (untimed).
    void plan(const std::vector<GeneratedEvent> &events, std::int64_t receivedMs);
    // Runs the planned statements in one transaction (timed by the caller).
    bool insert(std::string &error);

    const Counts &counts() const { return m_counts; }

private:
    struct DocumentRow
    {
        std::int64_t id;
        std::int64_t trace;
        const std::string *kind;
        const std::string *key;
        std::int64_t seenMs;
    };
    struct IdentifierRow
    {
        std::int64_t documentId;
        const std::string *value;
        const std::string *scheme;
        std::string folded;
    };
    struct LinkRow
    {
        std::int64_t from;
        std::int64_t to;
        const std::string *relation;
        std::int64_t createdMs;
    };
    struct EventRow
    {
        const GeneratedEvent *event;
        std::int64_t documentId;
        std::int64_t receivedMs;
        std::string sha1;
    };
    struct DuplicateRow
    {
        const GeneratedEvent *event;
    };
    struct MergeRow
    {
        std::int64_t survivor;
        std::int64_t merged;
    };
    using Op = std::variant<DocumentRow, IdentifierRow, LinkRow, EventRow, DuplicateRow, MergeRow>;

    std::int64_t ensureDocument(const std::string &kind, const std::string &key, std::int64_t seenMs);
    void addIdentifier(std::int64_t documentId, const std::string &scheme, const std::string &value);
    void merge(std::int64_t a, std::int64_t b);
    bool run(const Op &op);
    bool exec(const char *sql, std::string &error);

    sqlite3 *m_db = nullptr;
    sqlite3_stmt *m_insertDocument = nullptr;
    sqlite3_stmt *m_insertIdentifier = nullptr;
    sqlite3_stmt *m_insertLink = nullptr;
    sqlite3_stmt *m_insertEvent = nullptr;
    sqlite3_stmt *m_countDuplicate = nullptr;
    sqlite3_stmt *m_relabelTrace = nullptr;

    std::vector<Op> m_ops;
    std::vector<std::string> m_keyScheme{"key"};
    std::unordered_map<std::string, std::int64_t> m_documents;             // kind \x1f key -> id
    std::vector<std::int64_t> m_traceOf;                                   // document id -> trace id
    std::unordered_map<std::int64_t, std::vector<std::int64_t>> m_members; // trace id -> documents
    std::unordered_set<std::string> m_events;                              // source \x1f id
    std::unordered_set<std::string> m_identifiers;                         // value \x1f document id
    std::unordered_set<std::string> m_links;                               // from \x1f to \x1f relation
    std::unordered_map<std::int64_t, std::size_t> m_unwritten;             // document id -> its row in m_ops
    std::int64_t m_nextDocumentId = 1;
    Counts m_counts;
};

// Compares two stores row by row (everything but arrival times): how many rows differ, per table.
struct StoreComparison
{
    bool ok = false;
    std::string error;
    std::string differences; // empty when the same rows are in both
};
StoreComparison compareStores(const std::string &pathA, const std::string &pathB);

} // namespace sightline::bench
