#include "pin_warnings.hpp"

#include <filesystem>

#include "secret_file.hpp"

namespace haven::cli {
namespace {

namespace fs = std::filesystem;

// At the panel's back-off (pin_throttle.hpp) a guesser gets through roughly 300 PINs a day
// however many addresses it uses: 4 digits fall within weeks, 6 take years.
constexpr std::size_t recommended_digits = 6;

std::string warning(const fs::path& file, const std::string& message) {
    return file.string() + ": warning: " + message;
}

void check_one(const fs::path& file, const std::string& role, std::vector<std::string>& out) {
    std::error_code ec;
    const auto perms = fs::status(file, ec).permissions();
    const bool readable = !ec && (perms & fs::perms::others_read) != fs::perms::none;
    const bool writable = !ec && (perms & fs::perms::others_write) != fs::perms::none;
    if (readable || writable) {
        const std::string can = readable && writable ? "read and change"
                                : readable           ? "read"
                                                     : "change";
        out.push_back(warning(file, "every user on this machine can " + can + " the " + role +
                                        " PIN; run: chmod 600 " + file.string() +
                                        " (owned by the user Haven runs as)"));
    }
    const auto pin = config::read_secret_file(file);
    if (pin && pin->size() < recommended_digits) {
        out.push_back(warning(file, "the " + role + " PIN has " + std::to_string(pin->size()) +
                                        " digits; use 6 or more (a guesser gets about 300 tries "
                                        "a day: 4 digits fall within weeks, 6 take years)"));
    }
}

}  // namespace

std::vector<std::string> pin_warnings(const std::string& room_file,
                                      const config::PanelConfig& panel) {
    std::vector<std::string> out;
    check_one(panel.therapist_pin_file, "therapist", out);
    check_one(panel.tech_pin_file, "tech", out);
    const auto therapist = config::read_secret_file(panel.therapist_pin_file);
    const auto tech = config::read_secret_file(panel.tech_pin_file);
    if (therapist && tech && *therapist == *tech) {
        out.push_back(warning(room_file,
                              "the therapist and tech PINs are the same, so any "
                              "therapist can use the tech page; put a PIN of its own "
                              "in " +
                                  panel.tech_pin_file.string()));
    }
    return out;
}

}  // namespace haven::cli
