#include "tests/bench/ingest/barestore.h"

#include "models/domain/document.h"

#include <QCryptographicHash>
#include <sqlite3.h>

namespace sightline::bench {
namespace {

// The store's own SQL (models/store/storewriter.cpp) with what the baseline knows in advance left out.
constexpr const char *kInsertDocument =
    "INSERT INTO documents (id, kind, doc_key, trace_id, first_seen_ms) VALUES (?, ?, ?, ?, ?)";
constexpr const char *kInsertIdentifier =
    "INSERT INTO identifiers (value, document_id, scheme, folded) VALUES (?, ?, ?, ?)";
constexpr const char *kInsertLink =
    "INSERT INTO links (from_id, to_id, relation, created_ms) VALUES (?, ?, ?, ?)";
constexpr const char *kInsertEvent =
    "INSERT INTO events (source, event_id, type, milestone, document_id, system, status, partner, warehouse, "
    "occurred_ms, received_ms, occurred_estimated, raw_sha1, raw) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
    "?, ?, ?)";
constexpr const char *kCountDuplicate =
    "UPDATE events SET duplicate_count = duplicate_count + 1 WHERE source = ? AND event_id = ?";
constexpr const char *kRelabelTrace = "UPDATE documents SET trace_id = ? WHERE trace_id = ?";

// The pragmas of models/store/connection.cpp.
constexpr const char *kPragmas[] = {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL",
                                    "PRAGMA foreign_keys=ON", "PRAGMA temp_store=MEMORY",
                                    "PRAGMA cache_size=-32000"};

void bindText(sqlite3_stmt *s, int i, const std::string &text)
{
    sqlite3_bind_text(s, i, text.data(), int(text.size()), SQLITE_STATIC);
}

void bindBlob(sqlite3_stmt *s, int i, const std::string &bytes)
{
    sqlite3_bind_blob(s, i, bytes.data(), int(bytes.size()), SQLITE_STATIC);
}

bool step(sqlite3_stmt *s)
{
    const int rc = sqlite3_step(s);
    sqlite3_reset(s);
    return rc == SQLITE_DONE;
}

std::string fold(const std::string &value)
{
    return foldIdentifier(QString::fromStdString(value)).toStdString();
}

} // namespace

BareStore::~BareStore()
{
    for (sqlite3_stmt *s : {m_insertDocument, m_insertIdentifier, m_insertLink, m_insertEvent,
                            m_countDuplicate, m_relabelTrace})
        sqlite3_finalize(s);
    if (m_db)
        sqlite3_close(m_db);
}

bool BareStore::exec(const char *sql, std::string &error)
{
    char *message = nullptr;
    if (sqlite3_exec(m_db, sql, nullptr, nullptr, &message) == SQLITE_OK)
        return true;
    error = std::string(sql) + ": " + (message ? message : "unknown error");
    sqlite3_free(message);
    return false;
}

bool BareStore::open(const std::string &path, std::string &error)
{
    if (sqlite3_open_v2(path.c_str(), &m_db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
        error = "cannot open " + path + ": " + sqlite3_errmsg(m_db);
        return false;
    }
    for (const char *pragma : kPragmas) {
        if (!exec(pragma, error))
            return false;
    }
    const std::pair<sqlite3_stmt **, const char *> statements[] = {
        {&m_insertDocument, kInsertDocument}, {&m_insertIdentifier, kInsertIdentifier},
        {&m_insertLink, kInsertLink},         {&m_insertEvent, kInsertEvent},
        {&m_countDuplicate, kCountDuplicate}, {&m_relabelTrace, kRelabelTrace}};
    for (const auto &[statement, sql] : statements) {
        if (sqlite3_prepare_v2(m_db, sql, -1, statement, nullptr) != SQLITE_OK) {
            error = std::string("cannot prepare ") + sql + ": " + sqlite3_errmsg(m_db);
            return false;
        }
    }
    return true;
}

std::int64_t BareStore::ensureDocument(const std::string &kind, const std::string &key, std::int64_t seenMs)
{
    auto [it, added] = m_documents.try_emplace(kind + '\x1f' + key, m_nextDocumentId);
    if (!added)
        return it->second;
    const std::int64_t id = m_nextDocumentId++;
    m_traceOf.resize(std::size_t(id) + 1);
    m_traceOf[std::size_t(id)] = id;
    m_members[id] = {id};
    m_unwritten[id] = m_ops.size();
    m_ops.emplace_back(DocumentRow{id, id, &kind, &key, seenMs});
    ++m_counts.documents;
    addIdentifier(id, m_keyScheme.front(), key);
    return id;
}

void BareStore::addIdentifier(std::int64_t documentId, const std::string &scheme, const std::string &value)
{
    if (!m_identifiers.insert(value + '\x1f' + std::to_string(documentId)).second)
        return;
    m_ops.emplace_back(IdentifierRow{documentId, &value, &scheme, fold(value)});
    ++m_counts.identifiers;
}

// The store's rule: the larger trace keeps its id (the first on a tie); the smaller is relabelled.
// Documents not written yet are written with their final trace; only rows written by an earlier
// transaction need an UPDATE.
void BareStore::merge(std::int64_t a, std::int64_t b)
{
    auto &membersA = m_members[a];
    auto &membersB = m_members[b];
    const bool aStays = membersA.size() >= membersB.size();
    const std::int64_t survivor = aStays ? a : b;
    const std::int64_t merged = aStays ? b : a;
    auto &from = aStays ? membersB : membersA;
    auto &to = aStays ? membersA : membersB;
    bool written = false;
    for (std::int64_t doc : from) {
        m_traceOf[std::size_t(doc)] = survivor;
        to.push_back(doc);
        if (auto it = m_unwritten.find(doc); it != m_unwritten.end())
            std::get<DocumentRow>(m_ops[it->second]).trace = survivor;
        else
            written = true;
    }
    m_members.erase(merged);
    ++m_counts.merges;
    if (written) {
        m_ops.emplace_back(MergeRow{survivor, merged});
        ++m_counts.relabelled;
    }
}

void BareStore::plan(const std::vector<GeneratedEvent> &events, std::int64_t receivedMs)
{
    m_ops.clear();
    m_unwritten.clear();
    for (const GeneratedEvent &ev : events) {
        const std::int64_t doc = ensureDocument(ev.documentKind, ev.documentKey, receivedMs);
        if (!m_events.insert(ev.source + '\x1f' + ev.id).second) {
            m_ops.emplace_back(DuplicateRow{&ev});
            ++m_counts.duplicates;
            continue;
        }
        const QByteArray sha1 = QCryptographicHash::hash(
            QByteArrayView(ev.json.data(), qsizetype(ev.json.size())), QCryptographicHash::Sha1);
        m_ops.emplace_back(EventRow{&ev, doc, receivedMs, sha1.toStdString()});
        ++m_counts.events;
        for (const auto &[scheme, value] : ev.identifiers)
            addIdentifier(doc, scheme, value);
        for (const GeneratedLink &link : ev.links) {
            const std::int64_t to = ensureDocument(link.kind, link.key, receivedMs);
            if (!m_links.insert(std::to_string(doc) + '\x1f' + std::to_string(to) + '\x1f' + link.relation)
                     .second)
                continue;
            m_ops.emplace_back(LinkRow{doc, to, &link.relation, receivedMs});
            ++m_counts.links;
            const std::int64_t a = m_traceOf[std::size_t(doc)];
            const std::int64_t b = m_traceOf[std::size_t(to)];
            if (a != b)
                merge(a, b);
        }
    }
}

bool BareStore::run(const Op &op)
{
    if (const auto *d = std::get_if<DocumentRow>(&op)) {
        sqlite3_bind_int64(m_insertDocument, 1, d->id);
        bindText(m_insertDocument, 2, *d->kind);
        bindText(m_insertDocument, 3, *d->key);
        sqlite3_bind_int64(m_insertDocument, 4, d->trace);
        sqlite3_bind_int64(m_insertDocument, 5, d->seenMs);
        return step(m_insertDocument);
    }
    if (const auto *i = std::get_if<IdentifierRow>(&op)) {
        bindText(m_insertIdentifier, 1, *i->value);
        sqlite3_bind_int64(m_insertIdentifier, 2, i->documentId);
        bindText(m_insertIdentifier, 3, *i->scheme);
        bindText(m_insertIdentifier, 4, i->folded);
        return step(m_insertIdentifier);
    }
    if (const auto *l = std::get_if<LinkRow>(&op)) {
        sqlite3_bind_int64(m_insertLink, 1, l->from);
        sqlite3_bind_int64(m_insertLink, 2, l->to);
        bindText(m_insertLink, 3, *l->relation);
        sqlite3_bind_int64(m_insertLink, 4, l->createdMs);
        return step(m_insertLink);
    }
    if (const auto *e = std::get_if<EventRow>(&op)) {
        const GeneratedEvent &ev = *e->event;
        sqlite3_stmt *s = m_insertEvent;
        bindText(s, 1, ev.source);
        bindText(s, 2, ev.id);
        bindText(s, 3, ev.type);
        bindText(s, 4, ev.milestone);
        sqlite3_bind_int64(s, 5, e->documentId);
        bindText(s, 6, ev.system);
        bindText(s, 7, ev.status);
        bindText(s, 8, ev.partner);
        bindText(s, 9, ev.warehouse);
        sqlite3_bind_int64(s, 10, ev.occurredMs);
        sqlite3_bind_int64(s, 11, e->receivedMs);
        sqlite3_bind_int(s, 12, 0);
        bindBlob(s, 13, e->sha1);
        bindBlob(s, 14, ev.json);
        return step(s);
    }
    if (const auto *d = std::get_if<DuplicateRow>(&op)) {
        bindText(m_countDuplicate, 1, d->event->source);
        bindText(m_countDuplicate, 2, d->event->id);
        return step(m_countDuplicate);
    }
    const auto &m = std::get<MergeRow>(op);
    sqlite3_bind_int64(m_relabelTrace, 1, m.survivor);
    sqlite3_bind_int64(m_relabelTrace, 2, m.merged);
    return step(m_relabelTrace);
}

bool BareStore::insert(std::string &error)
{
    if (!exec("BEGIN", error))
        return false;
    for (const Op &op : m_ops) {
        if (!run(op)) {
            error = std::string("insert failed: ") + sqlite3_errmsg(m_db);
            exec("ROLLBACK", error);
            return false;
        }
    }
    return exec("COMMIT", error);
}

StoreComparison compareStores(const std::string &pathA, const std::string &pathB)
{
    StoreComparison result;
    sqlite3 *db = nullptr;
    if (sqlite3_open_v2(pathA.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
        result.error = "cannot open " + pathA;
        sqlite3_close(db);
        return result;
    }
    const std::string attach = "ATTACH DATABASE '" + pathB + "' AS other";
    if (pathB.find('\'') != std::string::npos ||
        sqlite3_exec(db, attach.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) {
        result.error = "cannot attach " + pathB;
        sqlite3_close(db);
        return result;
    }
    // Every column but the arrival times, which differ between two runs by nature.
    const std::pair<const char *, const char *> tables[] = {
        {"documents", "id, kind, doc_key, trace_id"},
        {"identifiers", "value, document_id, scheme, folded"},
        {"links", "from_id, to_id, relation"},
        {"events", "id, source, event_id, type, milestone, document_id, system, status, partner, warehouse, "
                   "occurred_ms, occurred_estimated, duplicate_count, raw_sha1, raw"},
        {"quarantine", "origin, position, error, raw"},
    };
    result.ok = true;
    for (const auto &[table, columns] : tables) {
        const std::string t = table;
        const std::string c = columns;
        const std::string sql = "SELECT (SELECT COUNT(*) FROM main." + t + "), (SELECT COUNT(*) FROM other." +
                                t + "), (SELECT COUNT(*) FROM (SELECT " + c + " FROM main." + t +
                                " EXCEPT SELECT " + c + " FROM other." + t + "))";
        sqlite3_stmt *s = nullptr;
        if (sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr) != SQLITE_OK ||
            sqlite3_step(s) != SQLITE_ROW) {
            result.ok = false;
            result.error = "cannot compare " + t + ": " + sqlite3_errmsg(db);
            sqlite3_finalize(s);
            break;
        }
        const auto inA = sqlite3_column_int64(s, 0);
        const auto inB = sqlite3_column_int64(s, 1);
        const auto differing = sqlite3_column_int64(s, 2);
        sqlite3_finalize(s);
        if (inA != inB || differing != 0) {
            result.differences += t + ": " + std::to_string(inA) + " vs " + std::to_string(inB) + " rows, " +
                                  std::to_string(differing) + " differ; ";
        }
    }
    sqlite3_close(db);
    return result;
}

} // namespace sightline::bench
