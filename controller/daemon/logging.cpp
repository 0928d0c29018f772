#include "logging.hpp"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <cstdlib>
#include <memory>
#include <string>

namespace haven::daemon {
namespace {

// "%*" in the pattern: the syslog priority journald reads from the start of each line.
class JournaldPriority : public spdlog::custom_flag_formatter {
  public:
    void format(const spdlog::details::log_msg& msg, const std::tm&,
                spdlog::memory_buf_t& dest) override {
        static constexpr const char* priorities[] = {"<7>", "<7>", "<6>", "<4>", "<3>", "<2>", ""};
        const char* text = priorities[static_cast<int>(msg.level)];
        dest.append(text, text + std::char_traits<char>::length(text));
    }
    std::unique_ptr<custom_flag_formatter> clone() const override {
        return std::make_unique<JournaldPriority>();
    }
};

}  // namespace

void setup_logging(std::string_view level) {
    auto logger = std::make_shared<spdlog::logger>(
        "haven", std::make_shared<spdlog::sinks::stderr_sink_mt>());
    auto formatter = std::make_unique<spdlog::pattern_formatter>();
    if (std::getenv("JOURNAL_STREAM") != nullptr) {
        formatter->add_flag<JournaldPriority>('*').set_pattern("%*%l: %v");
    } else {
        formatter->set_pattern("%Y-%m-%d %H:%M:%S.%e %l: %v");
    }
    logger->set_formatter(std::move(formatter));
    logger->set_level(spdlog::level::from_str(std::string(level)));
    logger->flush_on(spdlog::level::info);
    spdlog::set_default_logger(std::move(logger));
}

}  // namespace haven::daemon
