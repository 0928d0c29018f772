#pragma once
// The panel's log lines that any client can cause at will (refused requests, wrong PINs),
// folded per source and kind so a flood cannot fill the disk: the first in a minute is
// written in full, repeats are counted into one summary line when the minute closes
// (vocabulary/repeat_folder.hpp). Loop thread only.

#include <spdlog/common.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "repeat_folder.hpp"

namespace haven::panel {

class FoldedLog {
  public:
    explicit FoldedLog(boost::asio::io_context& io) : timer_(io) {}

    // Writes `line` at `level` when it is the first of `kind` from `source` this minute.
    void note(spdlog::level::level_enum level, std::string_view source, std::string_view kind,
              const std::string& line);
    // Writes every open window's summary and stops the timer (the server is stopping).
    void flush();

  private:
    void write(const RepeatFolder::Summary& summary) const;
    void arm();

    RepeatFolder folder_;
    boost::asio::steady_timer timer_;
    std::optional<RepeatFolder::TimePoint> armed_for_;  // the close the timer waits for
};

}  // namespace haven::panel
