#include "folded_log.hpp"

#include <spdlog/spdlog.h>

namespace haven::panel {

void FoldedLog::note(spdlog::level::level_enum level, std::string_view source,
                     std::string_view kind, const std::string& line) {
    const auto now = RepeatFolder::TimePoint::clock::now();
    for (const auto& summary : folder_.close_due(now))
        write(summary);
    if (folder_.note(source, kind, now)) spdlog::log(level, "{}", line);
    arm();
}

void FoldedLog::flush() {
    timer_.cancel();
    armed_for_.reset();
    for (const auto& summary : folder_.flush(RepeatFolder::TimePoint::clock::now()))
        write(summary);
}

void FoldedLog::write(const RepeatFolder::Summary& summary) const {
    spdlog::warn("panel: {} more '{}' from {} in the last {} s", summary.repeats, summary.kind,
                 summary.source,
                 std::chrono::duration_cast<std::chrono::seconds>(summary.span).count());
}

// One timer for every window: it wakes at the earliest close, writes what is due, re-arms.
// A flood notes thousands of lines a second; the timer is only reset when the earliest close
// moved, not for each of them.
void FoldedLog::arm() {
    const auto next = folder_.next_close();
    if (!next || next == armed_for_) return;
    armed_for_ = next;
    timer_.expires_at(*next);
    timer_.async_wait([this](const boost::system::error_code& ec) {
        if (ec) return;
        armed_for_.reset();
        for (const auto& summary : folder_.close_due(RepeatFolder::TimePoint::clock::now()))
            write(summary);
        arm();
    });
}

}  // namespace haven::panel
