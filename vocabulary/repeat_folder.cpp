#include "repeat_folder.hpp"

namespace haven {

RepeatFolder::RepeatFolder(std::chrono::milliseconds window, std::size_t max_keys)
    : window_(window), max_keys_(max_keys < 1 ? 1 : max_keys) {}

bool RepeatFolder::note(std::string_view source, std::string_view kind, TimePoint now) {
    Key key{std::string{source}, std::string{kind}};
    auto it = windows_.find(key);
    if (it == windows_.end() && windows_.size() >= max_keys_) {
        key = {std::string{overflow_source}, std::string{overflow_kind}};
        it = windows_.find(key);
    }
    if (it != windows_.end()) {
        auto& window = it->second;
        if (now >= window.opened + window_ && window.repeats == 0) {
            window.opened = now;  // a quiet window ended unclosed: this one is a first again
            return true;
        }
        // Inside the window, or past a window whose summary close_due() has yet to write:
        // counted either way.
        ++window.repeats;
        return false;
    }
    windows_.emplace(std::move(key), Window{.opened = now, .repeats = 0});
    return true;
}

std::vector<RepeatFolder::Summary> RepeatFolder::close_due(TimePoint now) {
    std::vector<Summary> due;
    for (auto it = windows_.begin(); it != windows_.end();) {
        auto& [key, window] = *it;
        if (now < window.opened + window_) {
            ++it;
            continue;
        }
        if (window.repeats == 0) {
            it = windows_.erase(it);
            continue;
        }
        due.push_back(Summary{
            .source = key.first, .kind = key.second, .repeats = window.repeats, .span = window_});
        window = Window{.opened = window.opened + window_, .repeats = 0};
        // A timer that ran late (a suspended machine) must not owe several summaries.
        if (window.opened + window_ <= now) window.opened = now;
        ++it;
    }
    return due;
}

std::vector<RepeatFolder::Summary> RepeatFolder::flush(TimePoint now) {
    std::vector<Summary> left;
    for (const auto& [key, window] : windows_) {
        if (window.repeats == 0) continue;
        left.push_back(Summary{
            .source = key.first,
            .kind = key.second,
            .repeats = window.repeats,
            .span = std::chrono::duration_cast<std::chrono::milliseconds>(now - window.opened)});
    }
    windows_.clear();
    return left;
}

std::optional<RepeatFolder::TimePoint> RepeatFolder::next_close() const {
    std::optional<TimePoint> next;
    for (const auto& [key, window] : windows_)
        if (!next || window.opened + window_ < *next) next = window.opened + window_;
    return next;
}

}  // namespace haven
