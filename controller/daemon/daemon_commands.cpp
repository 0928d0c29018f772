// Every command, whoever sent it, takes one path: the engine decides; its effects reach the
// room at once (assist cannot wait for a disk); its input and records are journaled; and the
// sender hears "ok" only once all of that is on disk.
#include <boost/asio/post.hpp>
#include <random>

#include "boot_clock.hpp"
#include "daemon_impl.hpp"
#include "state_document.hpp"

namespace haven::daemon {
namespace {

// Opaque, unguessable, and unrelated to the patient: 16 hex digits.
std::string new_session_id() {
    std::random_device entropy;
    std::uniform_int_distribution<unsigned> nibble(0, 15);
    std::string id;
    for (int i = 0; i < 16; ++i)
        id += "0123456789abcdef"[nibble(entropy)];
    return id;
}

std::string source_label(const CommandSource& source) {
    std::string label{to_string(source.kind)};
    return source.id.empty() ? label : label + ":" + source.id;
}

}  // namespace

void RoomDaemon::Impl::submit(const Command& command, const CommandSource& source, Reply reply) {
    const std::string new_id = command.kind == CommandKind::start ? new_session_id() : "";
    const std::string before = session_id;
    const auto now = engine_now();
    auto outcome = engine.handle(command, source, now, new_id);
    // The room first: a cue's light command leaves before anything is logged or journaled.
    apply(outcome.effects);

    std::string input_session = before;
    if (outcome.accepted && command.kind == CommandKind::start) input_session = new_id;
    std::optional<journal::Entry> input;
    if (outcome.accepted) {
        nlohmann::json data{{"command", format_cue(command)},
                            {"source_kind", std::string{to_string(source.kind)}},
                            {"source_id", source.id}};
        if (command.kind == CommandKind::start) data["session_id"] = new_id;
        input = journal::Entry{.session_id = input_session,
                               .type = "input",
                               .data = std::move(data),
                               .wall = std::chrono::system_clock::now(),
                               .monotonic_ms = now.count()};
        spdlog::info("{} from {}", to_string(command.kind), source_label(source));
    } else {
        spdlog::warn("{} from {} refused: {}", to_string(command.kind), source_label(source),
                     outcome.reason);
    }

    std::function<void(bool)> on_durable;
    if (reply) {
        on_durable = [reply, accepted = outcome.accepted, reason = outcome.reason](bool ok) {
            // The room has already changed; say so, or the therapist would press again.
            if (!ok)
                reply(false,
                      "done in the room, but the session journal cannot be written (see the "
                      "alarm); the record is held in memory until the disk takes it");
            else
                reply(accepted, accepted ? "" : reason);
        };
    }
    if (outcome.accepted && command.kind == CommandKind::start) session_id = new_id;
    record_outcome(outcome, input_session.empty() ? session_id : input_session,
                   std::move(on_durable), std::move(input));
}

void RoomDaemon::Impl::journal_records(const engine::Outcome& outcome, const std::string& session,
                                       std::function<void(bool)> on_durable,
                                       std::optional<journal::Entry> input) {
    // A record's wall time is when it was due, not when it was written: a phase that ended
    // while Haven was down, or while the loop was busy, is charted at its real moment.
    // Its boot stamp too: a resume adds the boot clock's time since the last record to that
    // record's engine time, so the two must name the same moment.
    const auto wall_now = std::chrono::system_clock::now();
    const auto boot_now = journal::boot_stamp_now();
    const auto engine_at_write = engine_now();
    auto real_ago = [&](Millis at) {
        return clock.real_duration(std::max(engine_at_write - at, Millis{0}));
    };
    // One append: the input and the records it caused share one commit (one fsync), and
    // on_durable follows the last of them. The input goes first: replaying inputs rebuilds
    // the records that follow it.
    std::vector<journal::Entry> entries;
    entries.reserve(outcome.records.size() + 1);
    if (input) entries.push_back(std::move(*input));
    for (const auto& record : outcome.records) {
        entries.push_back(journal::Entry{
            .session_id = session,
            .type = record.data.value("type", "record"),
            .data = record.data,
            .wall = wall_now - real_ago(record.at),
            .monotonic_ms = record.at.count(),
            .boot = journal::BootStamp{.boot_id = boot_now.boot_id,
                                       .ms = boot_now.ms - real_ago(record.at).count()}});
    }
    journal->append(std::move(entries), std::move(on_durable));  // none: durable at once
}

// Effects first (the room must not wait for a disk), then the journal; the events that tell
// automation what happened go out only once their records are durable, like the reply.
void RoomDaemon::Impl::on_outcome(const engine::Outcome& outcome, const std::string& session,
                                  std::function<void(bool)> on_durable,
                                  std::optional<journal::Entry> input) {
    apply(outcome.effects);
    record_outcome(outcome, session, std::move(on_durable), std::move(input));
}

void RoomDaemon::Impl::record_outcome(const engine::Outcome& outcome, const std::string& session,
                                      std::function<void(bool)> on_durable,
                                      std::optional<journal::Entry> input) {
    std::vector<nlohmann::json> events;
    for (const auto& record : outcome.records) {
        auto event = public_event(record.data);
        if (!session.empty()) event["session"] = session;
        events.push_back(std::move(event));
        if (record.data.value("type", "") == "session_ended") {
            session_id.clear();
            clock_problem.reset();  // it was that session's clock
            uncounted_gap.reset();
        }
    }
    journal_records(
        outcome, session,
        [this, events = std::move(events), on_durable = std::move(on_durable)](bool ok) {
            for (const auto& event : events)
                publish_event(event);
            if (on_durable) on_durable(ok);
        },
        std::move(input));
    state_changed();
    schedule_engine_wake();
}

void RoomDaemon::Impl::apply(const std::vector<engine::Effect>& effects) {
    for (const auto& effect : effects) {
        std::visit(
            [this](const auto& e) {
                using T = std::decay_t<decltype(e)>;
                if constexpr (std::is_same_v<T, engine::SceneEffect>) {
                    apply_scene(e);
                } else if constexpr (std::is_same_v<T, engine::MusicEffect>) {
                    if (!music) return;
                    if (e.playlist)
                        music->play(*e.playlist, e.volume, real_fade(e.fade));
                    else
                        music->set_volume(e.volume, real_fade(e.fade));
                } else if constexpr (std::is_same_v<T, engine::MusicNextEffect>) {
                    if (music) music->next_track(config->audio.crossfade);
                } else if constexpr (std::is_same_v<T, engine::MusicStopEffect>) {
                    if (music) music->fade_out(real_fade(e.fade));
                } else if constexpr (std::is_same_v<T, engine::AlertEffect>) {
                    spdlog::warn("alert: {} {}", e.kind, e.text);
                    publish_event({{"type", "alert"}, {"kind", e.kind}, {"text", e.text}});
                }
            },
            effect);
    }
}

void RoomDaemon::Impl::schedule_engine_wake() {
    auto wake = engine.next_wake();
    engine_timer.cancel();
    if (!wake) return;
    engine_timer.expires_at(clock.steady_at(*wake));
    engine_timer.async_wait([this](const boost::system::error_code& ec) {
        if (ec) return;
        const std::string before = session_id;
        auto outcome = engine.advance(engine_now());
        on_outcome(outcome, before, {});
    });
}

void RoomDaemon::Impl::journal_room_entry(const std::string& type, nlohmann::json data) {
    if (!journal) return;
    journal->append(journal::Entry{.session_id = session_id,
                                   .type = type,
                                   .data = data,
                                   .wall = std::chrono::system_clock::now(),
                                   .monotonic_ms = engine_now().count()});
    data["type"] = type;
    publish_event(std::move(data));
}

// The room keeps running on a full or read-only disk: the journal holds what it cannot write
// and retries. The alarm is on the state (for the panel and automation) until it recovers;
// both moments are journaled, so the report shows the gap's edges.
void RoomDaemon::Impl::on_journal_health(std::optional<std::string> problem) {
    journal_problem = std::move(problem);
    if (journal_problem) {
        spdlog::error("alarm: {}", *journal_problem);
        journal_room_entry("journal_write_failed", {{"problem", *journal_problem}});
    } else {
        spdlog::info("alarm cleared: the session journal is written again");
        journal_room_entry("journal_write_recovered", nlohmann::json::object());
    }
    state_changed();
}

}  // namespace haven::daemon
