// The journal's reads. Each flushes first, so it sees every entry appended before the call,
// and blocks the caller: for start-up, shutdown, reports and tests, never per event.
#include <spdlog/spdlog.h>

#include "journal_impl.hpp"

namespace haven::journal {

std::optional<std::string> Journal::open_session_id() {
    flush();
    std::lock_guard lock(impl_->db_mutex);
    return store::open_session_id(*impl_->db);
}

std::vector<Entry> Journal::entries(const std::string& session_id) {
    flush();
    std::lock_guard lock(impl_->db_mutex);
    return store::entries(*impl_->db, session_id);
}

std::vector<SessionSummary> Journal::sessions() {
    flush();
    std::lock_guard lock(impl_->db_mutex);
    return store::sessions(*impl_->db);
}

int Journal::prune(std::chrono::days retention) {
    return prune(retention, std::chrono::system_clock::now());
}

int Journal::prune(std::chrono::days retention, WallTime now) {
    flush();
    std::lock_guard lock(impl_->db_mutex);
    auto& db = *impl_->db;
    int dropped = 0;
    for (const auto& session : store::sessions(db)) {
        if (!session.ended || *session.ended + retention >= now) continue;
        db.prepare("DELETE FROM entries WHERE session_id = ?1").bind(1, session.id).step();
        spdlog::info("journal: pruned session {} ({}), ended more than {} days ago", session.id,
                     session.template_id, retention.count());
        ++dropped;
    }
    return dropped;
}

}  // namespace haven::journal
