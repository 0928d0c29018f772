// Once a second, and whenever the journal's health changes: what no event announces. The
// output device's health (it reopens itself on a backoff; we journal and announce the
// change), the track playing (so a restart resumes it at the same place), a wall clock set
// after an uncounted resume, and the state's countdowns and fading levels.
#include "daemon_impl.hpp"

namespace haven::daemon {
namespace {

void watch_music(RoomMusic& music, CommandPipeline& pipeline, journal::Journal& journal,
                 Millis engine_now) {
    if (auto change = music.device_change()) {
        if (change->device_ok)
            spdlog::info("audio: {}", change->detail);
        else
            spdlog::error("audio: {}; the session carries on without music until it returns",
                          change->detail);
        pipeline.record_room(
            change->device_ok ? RecordType::device_recovered : RecordType::device_fault,
            {{"device", "audio"}, {"detail", change->detail}});
    }
    if (pipeline.session_id().empty()) return;
    auto playing = music.track_change();
    if (!playing) return;
    journal.append(journal::Entry{.session_id = pipeline.session_id(),
                                  .type = std::string{to_string(RecordType::music_track)},
                                  .data = {{"playlist", playing->playlist},
                                           {"track_index", playing->track_index},
                                           {"position_ms", playing->position.count()}},
                                  .wall = std::chrono::system_clock::now(),
                                  .monotonic_ms = engine_now.count()});
}

}  // namespace

void RoomDaemon::Impl::heartbeat() {
    if (music) watch_music(*music, pipeline, *journal, clock.engine_now());
    if (auto gap = pipeline.session_id().empty() ? std::nullopt : clock.catch_up()) {
        spdlog::warn("the room's clock has been set: the session moves on by the {} s it was off",
                     gap->count() / 1000);
        pipeline.record_room(RecordType::clock_caught_up, {{"down_s", gap->count() / 1000}});
        pipeline.advance();  // phases and reminders due meanwhile happen now, with their fades
    }
    broadcaster.state_changed();
    heartbeat_timer.expires_after(std::chrono::seconds{1});
    heartbeat_timer.async_wait([this](const boost::system::error_code& ec) {
        if (!ec) heartbeat();
    });
}

// The room keeps running on a full or read-only disk: the journal holds what it cannot write
// and retries. The alarm is on the state (for the panel and automation) until it recovers;
// both moments are journaled, so the report shows the gap's edges.
void RoomDaemon::Impl::on_journal_health(std::optional<std::string> problem) {
    journal_problem = std::move(problem);
    if (journal_problem) {
        spdlog::error("alarm: {}", *journal_problem);
        pipeline.record_room(RecordType::journal_write_failed, {{"problem", *journal_problem}});
    } else {
        spdlog::info("alarm cleared: the session journal is written again");
        pipeline.record_room(RecordType::journal_write_recovered, nlohmann::json::object());
    }
    broadcaster.state_changed();
}

}  // namespace haven::daemon
