// Resuming an open session after a crash, a power cut or a restart. The journal holds every
// accepted input; replaying them into a fresh engine at their journaled times rebuilds the
// session exactly (the engine is deterministic), and the time Haven was down counts as
// elapsed: by the boot clock when it restarted within the same boot (a wall clock stepped
// meanwhile cannot move the session), by the wall clock across a reboot. Records the replay
// produces beyond those already journaled happened while Haven was down; they are journaled now.
#include <set>

#include "boot_clock.hpp"
#include "daemon_impl.hpp"
#include "json_text.hpp"
#include "state_document.hpp"

namespace haven::daemon {
namespace {

// Record types the engine produces and replay reproduces (command_rejected is not: only
// accepted inputs are replayed).
bool is_replayable_record(const std::string& type) {
    static const std::set<std::string> types{"session_started",
                                             "phase_entered",
                                             "infusion",
                                             "reminder_due",
                                             "reminder_acknowledged",
                                             "reminder_missed",
                                             "assist_raised",
                                             "assist_cleared",
                                             "mark",
                                             "cue",
                                             "session_ended"};
    return types.contains(type);
}

std::optional<CommandSource::Kind> source_kind_from(const std::string& name) {
    for (auto kind :
         {CommandSource::Kind::panel, CommandSource::Kind::button, CommandSource::Kind::mqtt,
          CommandSource::Kind::cli, CommandSource::Kind::resume})
        if (to_string(kind) == name) return kind;
    return std::nullopt;
}

// An earlier resume of this session met a clock behind its record, and the clock has not
// been set since (no clock_caught_up): the session still runs late by that gap. Within the
// same boot the catch-up can be picked up again; from another boot, only the alarm.
std::optional<UncountedGap> gap_left_uncounted(const std::vector<journal::Entry>& entries) {
    for (auto it = entries.rbegin(); it != entries.rend(); ++it) {
        if (it->type == "clock_caught_up") return std::nullopt;
        if (it->type != "resumed" || !it->data.value("wall_clock_behind", false)) continue;
        UncountedGap gap{.last_recorded = journal::WallTime{std::chrono::milliseconds{
                             it->data.value("last_recorded_ms", std::int64_t{0})}}};
        if (it->boot && it->boot->boot_id == journal::boot_stamp_now().boot_id)
            gap.resumed_boot_ms = it->boot->ms;
        return gap;
    }
    return std::nullopt;
}

journal::Elapsed time_since(const journal::Entry& entry) {
    return journal::elapsed_since(entry, journal::boot_stamp_now(),
                                  std::chrono::system_clock::now());
}

}  // namespace

void RoomDaemon::Impl::resume() {
    auto open_id = journal->open_session_id();
    if (!open_id) return;
    auto entries = journal->entries(*open_id);
    if (entries.empty()) return;

    // Continue the engine timeline from the last journaled moment plus the time we were down.
    const auto& last = entries.back();
    const auto since_last = time_since(last);
    const auto down = since_last.length;
    // A box without a battery-backed clock, powered up before NTP has set it: nothing spans
    // the gap, so the session runs late by it until the clock is set (or, if an earlier
    // resume in this boot met that, still does).
    const auto gap =
        since_last.wall_clock_behind
            ? std::optional<UncountedGap>{UncountedGap{
                  .last_recorded = last.wall, .resumed_boot_ms = journal::boot_stamp_now().ms}}
            : gap_left_uncounted(entries);
    clock =
        SessionClock(options.time_scale, Millis{last.monotonic_ms} + clock.engine_duration(down));

    std::size_t journaled = 0;
    std::vector<engine::Record> replayed;
    auto keep = [&replayed](engine::Outcome&& outcome) {
        for (auto& r : outcome.records)
            if (is_replayable_record(r.data.value("type", ""))) replayed.push_back(std::move(r));
    };
    for (const auto& entry : entries) {
        if (is_replayable_record(entry.type)) ++journaled;
        if (entry.type != "input") continue;
        auto parsed = parse_cue(entry.data.value("command", ""));
        auto kind = source_kind_from(entry.data.value("source_kind", ""));
        if (!parsed.command || !kind) {
            spdlog::error("resume: skipping an unreadable journaled input: {}",
                          json_text(entry.data));
            continue;
        }
        keep(engine.handle(*parsed.command, CommandSource{*kind, entry.data.value("source_id", "")},
                           Millis{entry.monotonic_ms}, entry.data.value("session_id", "")));
    }
    keep(engine.advance(engine_now()));
    if (!engine.session_open()) {
        spdlog::warn("resume: journal session {} does not replay to an open session", *open_id);
    }
    session_id = engine.session_open() ? *open_id : "";
    if (gap && !session_id.empty()) {
        clock_problem =
            "after a restart the room's clock read earlier than the session's last record, so "
            "the time since that record is not counted and the session runs late by it until "
            "the clock is set: check the session's elapsed time against the infusion";
        spdlog::error("resume: {}", *clock_problem);
        if (gap->resumed_boot_ms > 0) uncounted_gap = gap;
    }

    engine::Outcome missed;  // what happened while we were down, not yet in the journal
    for (std::size_t i = journaled; i < replayed.size(); ++i)
        missed.records.push_back(replayed[i]);
    on_outcome(missed, *open_id, {});
    journal_room_entry(
        "resumed",
        {{"down_s", down.count() / 1000},
         {"down_measured_by", since_last.by_boot_clock ? "boot clock" : "wall clock"},
         {"wall_clock_behind", since_last.wall_clock_behind},
         {"last_recorded_ms",
          std::chrono::duration_cast<Millis>(last.wall.time_since_epoch()).count()},
         {"replayed_inputs", std::count_if(entries.begin(), entries.end(),
                                           [](const auto& e) { return e.type == "input"; })}});
    if (auto snapshot = engine.snapshot(engine_now()))
        spdlog::warn("resumed session {} in phase '{}' after {} s down", *open_id,
                     snapshot->phase_id, down.count() / 1000);
    resume_room(entries);
}

// The scene and music the session is at, brought back gently. Music continues the track
// that was playing, at the place it would have reached had Haven never stopped.
void RoomDaemon::Impl::resume_room(const std::vector<journal::Entry>& entries) {
    const journal::Entry* track = nullptr;
    for (const auto& entry : entries)
        if (entry.type == "music_track") track = &entry;
    for (const auto& effect : engine.reassert(engine_now())) {
        const auto* music_effect = std::get_if<engine::MusicEffect>(&effect);
        if (music && track && music_effect && music_effect->playlist &&
            *music_effect->playlist == track->data.value("playlist", "")) {
            const auto position =
                Millis{track->data.value("position_ms", 0)} + time_since(*track).length;
            const auto index = track->data.value("track_index", std::size_t{0});
            spdlog::info("resume: music continues track {} of '{}' at {} s", index + 1,
                         *music_effect->playlist, position.count() / 1000);
            music->play_from(*music_effect->playlist, index, position, music_effect->volume,
                             real_fade(music_effect->fade));
            last_track = {*music_effect->playlist, index};
            continue;
        }
        apply({effect});
    }
}

// After a resume that could not count the time the room was off (the wall clock read
// earlier than the record), NTP usually sets the clock a little later. Checked once a
// second: the moment the clock, run back to the resume, reads past the record, the gap is
// known and the session moves on by it, as a resume that could measure it would have. Phases
// and reminders due meanwhile happen then, with their usual fades.
void RoomDaemon::Impl::catch_up_with_a_set_clock() {
    if (!uncounted_gap || session_id.empty()) return;
    const auto since_resume =
        std::chrono::milliseconds{journal::boot_stamp_now().ms - uncounted_gap->resumed_boot_ms};
    const auto resumed_at_wall =
        std::chrono::system_clock::now() -
        std::chrono::duration_cast<std::chrono::system_clock::duration>(since_resume);
    const auto gap =
        std::chrono::duration_cast<Millis>(resumed_at_wall - uncounted_gap->last_recorded);
    if (gap <= Millis{0}) return;  // not set yet
    uncounted_gap.reset();
    clock_problem.reset();
    clock = SessionClock(options.time_scale, engine_now() + clock.engine_duration(gap));
    spdlog::warn("the room's clock has been set: the session moves on by the {} s it was off",
                 gap.count() / 1000);
    journal_room_entry("clock_caught_up", {{"down_s", gap.count() / 1000}});
    const std::string session = session_id;
    on_outcome(engine.advance(engine_now()), session, {});
    state_changed();
}

}  // namespace haven::daemon
