#include "journal_recovery.hpp"

#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <ctime>

#include "journal_store.hpp"
#include "sqlite_db.hpp"

namespace haven::journal {
namespace fs = std::filesystem;
namespace {

// Past this many missing sequence numbers the rest of the file is not worth probing.
constexpr std::int64_t max_probe_span = 1'000'000;

fs::path companion(const fs::path& db, const char* suffix) {
    return db.string() + suffix;
}

std::string utc_stamp() {
    std::time_t now = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&now, &tm);
    char text[32];
    std::strftime(text, sizeof text, "%Y%m%dT%H%M%SZ", &tm);
    return text;
}

void copy_if_present(const fs::path& from, const fs::path& to) {
    fs::remove(to);
    if (fs::exists(from)) fs::copy_file(from, to);
}

// A schema too damaged to say is read without boot stamps: the rows matter more.
std::string columns_of(SqliteDb& db) {
    try {
        return store::entry_columns(db);
    } catch (const SqliteError&) {
        return store::kColumnsWithoutBootStamps;
    }
}

struct RowCopier {
    SqliteDb& from;
    SqliteDb& to;
    Statement insert = to.prepare(
        "INSERT OR IGNORE INTO entries(seq, session_id, type, data, wall_ms, monotonic_ms,"
        " boot_id, boot_ms) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
    // The damaged file may predate boot stamps; read before any damage is met.
    std::string columns = "seq, " + columns_of(from);
    int saved = 0;
    std::int64_t last_seq = 0;

    void copy_current(Statement& row) {
        last_seq = row.column_int(0);
        insert.reset();
        insert.bind(1, last_seq)
            .bind(2, row.column_text(1))
            .bind(3, row.column_text(2))
            .bind(4, row.column_text(3))
            .bind(5, row.column_int(4))
            .bind(6, row.column_int(5));
        if (row.column_is_null(7))
            insert.bind_null(7).bind_null(8);
        else
            insert.bind(7, row.column_text(6)).bind(8, row.column_int(7));
        insert.step();
        ++saved;
    }

    // Walks the table in order; returns false where a damaged page stops the walk.
    bool scan_in_order(std::string& problem) {
        try {
            auto rows =
                from.prepare("SELECT " + columns + " FROM entries WHERE seq > ?1 ORDER BY seq");
            rows.bind(1, last_seq);
            while (rows.step())
                copy_current(rows);
            return true;
        } catch (const SqliteError& e) {
            problem = e.what();
            return false;
        }
    }

    std::int64_t highest_seq_claimed() {
        for (const char* sql : {"SELECT seq FROM sqlite_sequence WHERE name = 'entries'",
                                "SELECT MAX(seq) FROM entries"}) {
            try {
                auto stmt = from.prepare(sql);
                if (stmt.step()) return stmt.column_int(0);
            } catch (const SqliteError&) {
            }
        }
        return last_seq + max_probe_span;
    }

    // Past a damaged page, looks each later row up by its key: rows on intact pages
    // are still reachable even when the ordered walk is not.
    void probe_after_damage() {
        std::int64_t end = std::min(highest_seq_claimed(), last_seq + max_probe_span);
        auto row = from.prepare("SELECT " + columns + " FROM entries WHERE seq = ?1");
        for (std::int64_t seq = last_seq + 1; seq <= end; ++seq) {
            try {
                row.reset();
                row.bind(1, seq);
                if (row.step()) copy_current(row);
            } catch (const SqliteError&) {
            }
        }
    }
};

}  // namespace

bool journal_is_healthy(const fs::path& file, std::string& problem) {
    if (fs::file_size(file) == 0) {
        problem = "the file is empty (truncated)";
        return false;
    }
    try {
        SqliteDb db(file, SqliteDb::Mode::inspect_only);
        auto check = db.prepare("PRAGMA integrity_check");
        std::string verdict;
        while (check.step()) {
            if (!verdict.empty()) verdict += "; ";
            verdict += check.column_text(0);
        }
        if (verdict == "ok") return true;
        problem = "integrity check failed: " + verdict;
    } catch (const SqliteError& e) {
        // Locked is not damaged: another daemon holds this journal. Moving it aside under
        // that daemon would split one room's record in two; refuse to start instead.
        if (e.code() == SQLITE_BUSY || e.code() == SQLITE_LOCKED)
            throw std::runtime_error(
                "the journal is in use by another haven daemon (one daemon per state "
                "directory): " +
                std::string(e.what()));
        problem = e.what();
    }
    return false;
}

fs::path move_aside(const fs::path& file) {
    std::string stem = "journal.corrupt-" + utc_stamp();
    fs::path target = file.parent_path() / (stem + ".sqlite3");
    for (int n = 2; fs::exists(target); ++n) {
        target = file.parent_path() / (stem + "-" + std::to_string(n) + ".sqlite3");
    }
    fs::rename(file, target);
    for (const char* suffix : {"-wal", "-shm"}) {
        if (fs::exists(companion(file, suffix))) {
            fs::rename(companion(file, suffix), companion(target, suffix));
        }
    }
    return target;
}

int salvage_rows(const fs::path& damaged, SqliteDb& fresh, std::vector<std::string>& notes) {
    fs::path copy =
        damaged.parent_path() / ("journal.salvage-" + std::to_string(getpid()) + ".sqlite3");
    int saved = 0;
    try {
        copy_if_present(damaged, copy);
        copy_if_present(companion(damaged, "-wal"), companion(copy, "-wal"));
        SqliteDb from(copy, SqliteDb::Mode::inspect_only);
        // A truncated file is shorter than its header claims; SQLite refuses it as corrupt
        // unless the schema is writable, and then reads the pages that are there.
        from.exec("PRAGMA writable_schema=ON");
        fresh.exec("BEGIN");
        RowCopier copier{from, fresh};
        std::string problem;
        if (!copier.scan_in_order(problem)) {
            notes.push_back("rows after #" + std::to_string(copier.last_seq) + " were damaged (" +
                            problem + "); recovering what remains");
            copier.probe_after_damage();
        }
        fresh.exec("COMMIT");
        saved = copier.saved;
    } catch (const std::exception& e) {
        try {
            fresh.exec("ROLLBACK");
        } catch (const SqliteError&) {
        }
        notes.push_back(std::string("no rows could be read from the damaged file: ") + e.what());
        saved = 0;
    }
    for (const char* suffix : {"", "-wal", "-shm"})
        fs::remove(companion(copy, suffix));
    return saved;
}

}  // namespace haven::journal
