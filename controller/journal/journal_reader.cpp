#include "journal_reader.hpp"

#include <sqlite3.h>

#include "journal_store.hpp"
#include "sqlite_db.hpp"

namespace haven::journal {

JournalReader::JournalReader(const std::filesystem::path& state_dir) {
    auto file = state_dir / "journal.sqlite3";
    if (!std::filesystem::exists(file)) {
        throw std::runtime_error("no journal at " + file.string() +
                                 " (is --state-dir the room's state directory?)");
    }
    try {
        db_ = std::make_unique<SqliteDb>(file, SqliteDb::Mode::read_only);
        db_->exec("SELECT 1 FROM entries LIMIT 1");
    } catch (const SqliteError& e) {
        if (e.code() == SQLITE_BUSY)
            throw std::runtime_error(
                "the journal " + file.string() +
                " is held by the running haven daemon (it keeps the file to itself, so a disk "
                "gone read-only cannot crash the room); pick the session from the panel's "
                "tech page (Sessions) and download its report there, or run this once the daemon "
                "has stopped");
        throw std::runtime_error("cannot read the journal " + file.string() + ": " + e.what());
    }
}

JournalReader::~JournalReader() = default;

std::vector<SessionSummary> JournalReader::sessions() {
    return store::sessions(*db_);
}

std::vector<Entry> JournalReader::entries(const std::string& session_id) {
    return store::entries(*db_, session_id);
}

std::optional<std::string> JournalReader::open_session_id() {
    return store::open_session_id(*db_);
}

}  // namespace haven::journal
