#include "refusal_log.hpp"

#include <spdlog/spdlog.h>

#include "record_type.hpp"

namespace haven::daemon {

RefusalLog::RefusalLog(boost::asio::io_context& io, Ports ports, std::chrono::milliseconds window)
    : ports_(std::move(ports)), folder_(window), timer_(io) {}

bool RefusalLog::first(std::string_view source, std::string_view kind) {
    const bool in_full = folder_.note(source, kind, std::chrono::steady_clock::now());
    arm();
    return in_full;
}

void RefusalLog::flush() {
    timer_.cancel();
    write(folder_.flush(std::chrono::steady_clock::now()));
}

void RefusalLog::arm() {
    if (armed_) return;
    auto next = folder_.next_close();
    if (!next) return;
    armed_ = true;
    timer_.expires_at(*next);
    timer_.async_wait([this](const boost::system::error_code& ec) {
        armed_ = false;
        if (ec) return;
        write(folder_.close_due(std::chrono::steady_clock::now()));
        arm();
    });
}

void RefusalLog::write(const std::vector<RepeatFolder::Summary>& summaries) {
    for (const auto& s : summaries) {
        const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(s.span).count();
        spdlog::warn("{}: {} more '{}' in the last {} s (repeats are counted, not logged)",
                     s.source, s.repeats, s.kind, seconds);
        if (!ports_.append || !s.kind.starts_with(refused_prefix)) continue;
        const std::string command = s.kind.substr(refused_prefix.size());
        nlohmann::json data{
            {"type", to_string(RecordType::command_rejected)},
            {"command", command},
            {"reason", std::to_string(s.repeats) + " more refusals of '" + command + "' from " +
                           s.source + " in " + std::to_string(seconds) + " s"},
            {"source", s.source},
            {"repeats", s.repeats}};
        ports_.append(
            journal::Entry{.session_id = ports_.session_id ? ports_.session_id() : "",
                           .type = std::string{to_string(RecordType::command_rejected)},
                           .data = std::move(data),
                           .wall = std::chrono::system_clock::now(),
                           .monotonic_ms = ports_.engine_now ? ports_.engine_now().count() : 0});
    }
}

}  // namespace haven::daemon
