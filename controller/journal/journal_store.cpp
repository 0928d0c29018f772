#include "journal_store.hpp"

#include "json_text.hpp"
#include "record_type.hpp"
#include "sqlite_db.hpp"

namespace haven::journal::store {

// seq gives a total order even when two records share a wall-clock millisecond.
void create_schema(SqliteDb& db) {
    db.exec(
        "CREATE TABLE IF NOT EXISTS entries ("
        " seq INTEGER PRIMARY KEY AUTOINCREMENT,"
        " session_id TEXT NOT NULL,"
        " type TEXT NOT NULL,"
        " data TEXT NOT NULL,"
        " wall_ms INTEGER NOT NULL,"
        " monotonic_ms INTEGER NOT NULL);"
        "CREATE INDEX IF NOT EXISTS entries_by_session ON entries(session_id, seq);"
        "CREATE INDEX IF NOT EXISTS entries_by_type ON entries(type, session_id);");
    // Journals written before boot stamps were kept gain the columns; their rows stay NULL.
    // One transaction, each column checked on its own: a power cut mid-upgrade leaves both
    // or neither, and a journal with one only is completed, never refused.
    if (has_boot_stamps(db)) return;
    db.exec("BEGIN IMMEDIATE");
    try {
        if (!has_column(db, "boot_id")) db.exec("ALTER TABLE entries ADD COLUMN boot_id TEXT");
        if (!has_column(db, "boot_ms")) db.exec("ALTER TABLE entries ADD COLUMN boot_ms INTEGER");
        db.exec("COMMIT");
    } catch (const SqliteError&) {
        db.exec("ROLLBACK");
        throw;
    }
}

bool has_column(SqliteDb& db, std::string_view column) {
    auto stmt = db.prepare("SELECT 1 FROM pragma_table_info('entries') WHERE name = ?1");
    stmt.bind(1, column);
    return stmt.step();
}

bool has_boot_stamps(SqliteDb& db) {
    return has_column(db, "boot_id") && has_column(db, "boot_ms");
}

std::string entry_columns(SqliteDb& db) {
    return has_boot_stamps(db) ? "session_id, type, data, wall_ms, monotonic_ms, boot_id, boot_ms"
                               : kColumnsWithoutBootStamps;
}

std::int64_t to_millis(WallTime wall) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(wall.time_since_epoch()).count();
}

WallTime from_millis(std::int64_t ms) {
    return WallTime(std::chrono::duration_cast<WallTime::duration>(std::chrono::milliseconds(ms)));
}

Writer::Writer(SqliteDb& db)
    : db_(db),
      begin_(std::make_unique<Statement>(db.prepare("BEGIN IMMEDIATE"))),
      insert_(std::make_unique<Statement>(
          db.prepare("INSERT INTO entries(session_id, type, data, wall_ms, monotonic_ms,"
                     " boot_id, boot_ms) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)"))),
      commit_(std::make_unique<Statement>(db.prepare("COMMIT"))) {}

Writer::~Writer() = default;

namespace {
void run_once(Statement& stmt) {
    stmt.reset();  // a statement that failed last time starts clean
    stmt.step();
}
}  // namespace

void Writer::begin() {
    run_once(*begin_);
}

void Writer::insert(const Entry& entry) {
    insert_->reset();
    insert_->bind(1, entry.session_id)
        .bind(2, entry.type)
        .bind(3, json_text(entry.data))
        .bind(4, to_millis(entry.wall))
        .bind(5, entry.monotonic_ms);
    if (entry.boot)
        insert_->bind(6, entry.boot->boot_id).bind(7, entry.boot->ms);
    else
        insert_->bind_null(6).bind_null(7);
    insert_->step();
}

void Writer::commit() {
    run_once(*commit_);
}

void Writer::rollback() noexcept {
    try {
        db_.exec("ROLLBACK");
    } catch (const SqliteError&) {
        // No transaction was open (BEGIN itself failed): nothing to undo.
    }
}

std::vector<Entry> entries(SqliteDb& db, const std::string& session_id) {
    // A read-only reader may meet a journal no daemon has upgraded yet: no boot stamps.
    auto stmt = db.prepare("SELECT " + entry_columns(db) +
                           " FROM entries WHERE session_id = ?1 ORDER BY seq");
    stmt.bind(1, session_id);
    std::vector<Entry> out;
    while (stmt.step()) {
        out.push_back(Entry{
            .session_id = stmt.column_text(0),
            .type = stmt.column_text(1),
            .data = nlohmann::json::parse(stmt.column_text(2), nullptr, false),
            .wall = from_millis(stmt.column_int(3)),
            .monotonic_ms = stmt.column_int(4),
        });
        if (!stmt.column_is_null(6))
            out.back().boot = BootStamp{.boot_id = stmt.column_text(5), .ms = stmt.column_int(6)};
    }
    return out;
}

std::vector<SessionSummary> sessions(SqliteDb& db) {
    auto stmt = db.prepare(
        "SELECT s.session_id, s.data, s.wall_ms,"
        " (SELECT MAX(e.wall_ms) FROM entries e"
        "   WHERE e.type = ?2 AND e.session_id = s.session_id)"
        " FROM entries s WHERE s.type = ?1 ORDER BY s.seq");
    stmt.bind(1, to_string(RecordType::session_started))
        .bind(2, to_string(RecordType::session_ended));
    std::vector<SessionSummary> out;
    while (stmt.step()) {
        auto data = nlohmann::json::parse(stmt.column_text(1), nullptr, false);
        SessionSummary summary{
            .id = stmt.column_text(0),
            .template_id = data.is_object() ? data.value("template", "") : "",
            .started = from_millis(stmt.column_int(2)),
        };
        if (!stmt.column_is_null(3)) summary.ended = from_millis(stmt.column_int(3));
        summary.open = !summary.ended;
        out.push_back(std::move(summary));
    }
    return out;
}

std::optional<std::string> open_session_id(SqliteDb& db) {
    // The latest started session wins: an older unended one (a lost session_ended) is
    // never resumed over a newer one.
    auto all = sessions(db);
    if (all.empty() || !all.back().open) return std::nullopt;
    return all.back().id;
}

}  // namespace haven::journal::store
