// Resuming an open session after a crash, a power cut or a restart. The journal holds every
// accepted input; replaying them into a fresh engine at their journaled times rebuilds the
// session exactly (the engine is deterministic), and the time Haven was down counts as
// elapsed (ClockWatch says how it was measured). Records the replay produces beyond those
// already journaled happened while Haven was down; they are journaled now.
#include "boot_clock.hpp"
#include "daemon_impl.hpp"
#include "json_text.hpp"
#include "note_redaction.hpp"

namespace haven::daemon {
namespace {

// The engine's records of a replay, in order, that a journal of the session also holds.
struct Replay {
    std::vector<engine::Record> records;
    void keep(engine::Outcome&& outcome) {
        for (auto& r : outcome.records)
            if (auto type = r.type(); type && replayable(*type)) records.push_back(std::move(r));
    }
};

std::size_t count_replayable(const std::vector<journal::Entry>& entries) {
    return std::count_if(entries.begin(), entries.end(), [](const journal::Entry& e) {
        auto type = record_type_from(e.type);
        return type && replayable(*type);
    });
}

// The scene and music the session is at, brought back gently. Music continues the track that
// was playing, at the place it would have reached had Haven never stopped.
const journal::Entry* last_track(const std::vector<journal::Entry>& entries) {
    const journal::Entry* track = nullptr;
    for (const auto& entry : entries)
        if (is_record(entry.type, RecordType::music_track)) track = &entry;
    return track;
}

}  // namespace

void RoomDaemon::Impl::resume() {
    auto open_id = journal->open_session_id();
    if (!open_id) return;
    const auto entries = journal->entries(*open_id);
    if (entries.empty()) return;

    const auto since_last = clock.resume_from(entries);
    auto& engine = pipeline.engine();
    Replay replay;
    std::size_t inputs = 0;
    for (const auto& entry : entries) {
        if (!is_record(entry.type, RecordType::input)) continue;
        ++inputs;
        auto parsed = parse_cue(entry.data.value("command", ""));
        auto kind = source_kind_from(entry.data.value("source_kind", ""));
        if (!parsed.command || !kind) {
            spdlog::error("resume: skipping an unreadable journaled input: {}",
                          json_text(public_event(entry.data)));
            continue;
        }
        replay.keep(engine.handle(*parsed.command,
                                  CommandSource{*kind, entry.data.value("source_id", "")},
                                  Millis{entry.monotonic_ms}, entry.data.value("session_id", "")));
    }
    replay.keep(engine.advance(clock.engine_now()));
    if (!engine.session_open())
        spdlog::warn("resume: journal session {} does not replay to an open session", *open_id);
    pipeline.resumed(engine.session_open() ? *open_id : "");
    clock.resumed(engine.session_open());

    engine::Outcome missed;  // what happened while we were down, not yet in the journal
    const auto journaled = count_replayable(entries);
    for (std::size_t i = journaled; i < replay.records.size(); ++i)
        missed.records.push_back(replay.records[i]);
    pipeline.apply_and_record(missed, *open_id);
    const auto& last = entries.back();
    pipeline.record_room(
        RecordType::resumed,
        {{"down_s", since_last.length.count() / 1000},
         {"down_measured_by", since_last.by_boot_clock ? "boot clock" : "wall clock"},
         {"wall_clock_behind", since_last.wall_clock_behind},
         {"last_recorded_ms",
          std::chrono::duration_cast<Millis>(last.wall.time_since_epoch()).count()},
         {"replayed_inputs", inputs}});
    if (auto snapshot = engine.snapshot(clock.engine_now()))
        spdlog::warn("resumed session {} in phase '{}' after {} s down", *open_id,
                     snapshot->phase_id, since_last.length.count() / 1000);

    const auto* track = last_track(entries);
    for (const auto& effect : engine.reassert(clock.engine_now())) {
        const auto* music_effect = std::get_if<engine::MusicEffect>(&effect);
        if (music && track && music_effect && music_effect->playlist &&
            *music_effect->playlist == track->data.value("playlist", "")) {
            const auto since_track = journal::elapsed_since(*track, journal::boot_stamp_now(),
                                                            std::chrono::system_clock::now());
            music->play_from(*music_effect->playlist,
                             track->data.value("track_index", std::size_t{0}),
                             Millis{track->data.value("position_ms", 0)} + since_track.length,
                             music_effect->volume, clock.real_duration(music_effect->fade));
            continue;
        }
        apply({effect});
    }
}

}  // namespace haven::daemon
