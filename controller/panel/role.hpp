#pragma once
// The panel's two roles, each unlocked by its own PIN.

#include <optional>
#include <string_view>

namespace haven::panel {

// tech can do everything a therapist can (checking the room before patients arrive).
enum class Role { therapist, tech };
std::string_view to_string(Role role);
std::optional<Role> role_from(std::string_view name);
bool role_allows(Role have, Role need);

}  // namespace haven::panel
