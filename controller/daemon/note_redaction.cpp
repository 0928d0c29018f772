#include "note_redaction.hpp"

#include <nlohmann/json.hpp>

#include "record_type.hpp"

namespace haven::daemon {

nlohmann::json public_event(const nlohmann::json& record) {
    nlohmann::json event = record;
    if (is_record(event.value("type", ""), RecordType::mark)) event.erase("text");
    if (auto it = event.find("command"); it != event.end() && it->is_string())
        *it = public_command_name(it->get_ref<const std::string&>());
    return event;
}

std::string public_command_name(std::string_view name) {
    return name.starts_with("mark") ? std::string{"mark"} : std::string{name};
}

}  // namespace haven::daemon
