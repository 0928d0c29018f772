#pragma once
// What keeps a flood of refusals from filling the disk. The first refused command, malformed
// device message or dropped publish of a kind from a source in a minute is logged (and, for
// a refused command, journaled) in full at once, so a therapist's refused command is seen
// promptly; its repeats in that minute are only counted, and one summary line follows when
// the minute is over, or at shutdown (flush()). A kind that starts with `refused ` is a
// refused command: its summary is also one journal row, a `command_rejected` with `repeats`.
// The folding is RepeatFolder's (vocabulary/repeat_folder.hpp); this adds the timer and the
// writing. Control thread only.

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "entry.hpp"
#include "repeat_folder.hpp"
#include "units.hpp"

namespace haven::daemon {

class RefusalLog {
  public:
    struct Ports {
        std::function<void(journal::Entry)> append;  // a summary row; may be empty
        std::function<std::string()> session_id;     // the open session's, or ""
        std::function<Millis()> engine_now;          // the row's engine time
    };
    static constexpr std::string_view refused_prefix = "refused ";

    RefusalLog(boost::asio::io_context& io, Ports ports,
               std::chrono::milliseconds window = std::chrono::minutes(1));

    // True: the first of `kind` from `source` in its minute: log (and journal) it in full
    // now. False: counted into the minute's summary.
    bool first(std::string_view source, std::string_view kind);
    // At shutdown, before the journal closes: every summary still open, now.
    void flush();

  private:
    void arm();
    void write(const std::vector<RepeatFolder::Summary>& summaries);

    Ports ports_;
    RepeatFolder folder_;
    boost::asio::steady_timer timer_;
    bool armed_ = false;
};

}  // namespace haven::daemon
