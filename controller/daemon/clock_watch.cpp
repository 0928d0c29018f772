#include "clock_watch.hpp"

#include <spdlog/spdlog.h>

#include "record_type.hpp"

namespace haven::daemon {
namespace {

// An earlier resume of this session met a clock behind its record, and the clock has not
// been set since (no clock_caught_up): the session still runs late by that gap. Within the
// same boot the catch-up can be picked up again; from another boot, only the alarm.
std::optional<UncountedGap> gap_left_uncounted(const std::vector<journal::Entry>& entries) {
    for (auto it = entries.rbegin(); it != entries.rend(); ++it) {
        const auto type = record_type_from(it->type);
        if (type == RecordType::clock_caught_up) return std::nullopt;
        if (type != RecordType::resumed || !it->data.value("wall_clock_behind", false)) continue;
        UncountedGap gap{.last_recorded = journal::WallTime{std::chrono::milliseconds{
                             it->data.value("last_recorded_ms", std::int64_t{0})}}};
        if (it->boot && it->boot->boot_id == journal::boot_stamp_now().boot_id)
            gap.resumed_boot_ms = it->boot->ms;
        return gap;
    }
    return std::nullopt;
}

}  // namespace

Millis ClockWatch::real_now() const {
    return std::chrono::duration_cast<Millis>(Steady::now() - real_origin_);
}

journal::Elapsed ClockWatch::resume_from(const std::vector<journal::Entry>& entries) {
    const auto& last = entries.back();
    const auto since_last =
        journal::elapsed_since(last, journal::boot_stamp_now(), std::chrono::system_clock::now());
    // A box without a battery-backed clock, powered up before NTP has set it: nothing spans
    // the gap, so the session runs late by it until the clock is set (or, if an earlier
    // resume in this boot met that, still does).
    pending_gap_ =
        since_last.wall_clock_behind
            ? std::optional<UncountedGap>{UncountedGap{
                  .last_recorded = last.wall, .resumed_boot_ms = journal::boot_stamp_now().ms}}
            : gap_left_uncounted(entries);
    clock_ = SessionClock(clock_.scale(),
                          Millis{last.monotonic_ms} + clock_.engine_duration(since_last.length));
    return since_last;
}

void ClockWatch::resumed(bool session_open) {
    auto gap = std::exchange(pending_gap_, std::nullopt);
    if (!gap || !session_open) return;
    problem_ =
        "after a restart the room's clock read earlier than the session's last record, so "
        "the time since that record is not counted and the session runs late by it until "
        "the clock is set: check the session's elapsed time against the infusion";
    spdlog::error("resume: {}", *problem_);
    if (gap->resumed_boot_ms > 0) uncounted_gap_ = gap;
}

// After a resume that could not count the time the room was off, NTP usually sets the clock
// a little later. The moment the clock, run back to the resume, reads past the record, the
// gap is known and the session moves on by it, as a resume that could measure it would have.
std::optional<Millis> ClockWatch::catch_up() {
    if (!uncounted_gap_) return std::nullopt;
    const auto since_resume =
        std::chrono::milliseconds{journal::boot_stamp_now().ms - uncounted_gap_->resumed_boot_ms};
    const auto resumed_at_wall =
        std::chrono::system_clock::now() -
        std::chrono::duration_cast<std::chrono::system_clock::duration>(since_resume);
    const auto gap =
        std::chrono::duration_cast<Millis>(resumed_at_wall - uncounted_gap_->last_recorded);
    if (gap <= Millis{0}) return std::nullopt;  // not set yet
    uncounted_gap_.reset();
    problem_.reset();
    clock_ = SessionClock(clock_.scale(), engine_now() + clock_.engine_duration(gap));
    return gap;
}

void ClockWatch::session_ended() {
    problem_.reset();
    uncounted_gap_.reset();
}

}  // namespace haven::daemon
