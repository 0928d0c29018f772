#pragma once
// Text from outside (MQTT payloads, device messages, HTTP bodies, config files) is bytes, not
// UTF-8 until checked. nlohmann::json throws on invalid UTF-8 when it serialises, so a single
// stray byte echoed into an event or a log line would stop the room; these helpers are the
// one place that decides what is valid and what an invalid sequence becomes.

#include <string>
#include <string_view>

namespace haven {

// True when `text` is well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing
// above U+10FFFF).
bool is_valid_utf8(std::string_view text);

// `text` with every ill-formed sequence replaced by U+FFFD, the way nlohmann::json's
// error_handler_t::replace and browsers do. Valid text comes back unchanged (and uncopied
// when moved in: this sits on every inbound MQTT message).
std::string to_valid_utf8(std::string text);

}  // namespace haven
