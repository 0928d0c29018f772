#pragma once
// Folds repeats of one thing from one source into one line a minute, so that a flood cannot
// fill the disk: refused commands and malformed device messages in the daemon's log and
// journal, and (for the panel's PIN log) wrong PINs. Pure: the caller passes the time and
// does the writing; nothing here logs, writes or reads a clock. One owner thread.
//
//   if (folder.note(source, kind, now)) write it in full, now;   // else it was counted
//   on a timer at folder.next_close(), and at shutdown with flush():
//     for (auto& s : folder.close_due(now)) write "s.repeats more of s.kind from s.source"
//
// A key's window opens at its first occurrence, which is always written at once, so the
// first refusal of a therapist's real command is never held back. Repeats inside the window
// are only counted; when the window closes with repeats, one summary is due and a new window
// opens at once (a steady flood gives one summary a minute); a window that closes with none
// just ends. Memory is bounded: past `max_keys` keys, new ones are counted under one more,
// the overflow key (`overflow_source`, `overflow_kind`), so spraying sources cannot grow it.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace haven {

class RepeatFolder {
  public:
    using TimePoint = std::chrono::steady_clock::time_point;
    static constexpr std::string_view overflow_source = "(other sources)";
    static constexpr std::string_view overflow_kind = "(other kinds)";

    struct Summary {
        std::string source;
        std::string kind;
        std::uint64_t repeats = 0;       // occurrences not written in full
        std::chrono::milliseconds span;  // how long the window was open

        bool operator==(const Summary&) const = default;
    };

    explicit RepeatFolder(std::chrono::milliseconds window = std::chrono::minutes(1),
                          std::size_t max_keys = 256);

    // True: the first of this kind from this source in its window; write it now in full.
    // False: counted into the window's summary.
    bool note(std::string_view source, std::string_view kind, TimePoint now);
    // The summaries of windows that closed by `now`, oldest key first.
    std::vector<Summary> close_due(TimePoint now);
    // Every open window's summary (those with repeats), at shutdown; forgets every key.
    std::vector<Summary> flush(TimePoint now);
    // When close_due() next has work; nothing when no window is open.
    std::optional<TimePoint> next_close() const;
    std::size_t open_windows() const { return windows_.size(); }

  private:
    struct Window {
        TimePoint opened;
        std::uint64_t repeats = 0;
    };
    using Key = std::pair<std::string, std::string>;

    std::chrono::milliseconds window_;
    std::size_t max_keys_;
    std::map<Key, Window> windows_;
};

}  // namespace haven
