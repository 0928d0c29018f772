#include "host_check.hpp"

#include <unistd.h>

#include <algorithm>
#include <boost/asio/ip/address.hpp>
#include <climits>

namespace haven::panel {
namespace {

std::string lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

bool all_digits(std::string_view text) {
    return !text.empty() &&
           std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool is_ip_literal(std::string_view name) {
    boost::system::error_code ec;
    if (name.size() > 2 && name.front() == '[' && name.back() == ']') {
        boost::asio::ip::make_address_v6(std::string(name.substr(1, name.size() - 2)), ec);
        return !ec;
    }
    boost::asio::ip::make_address_v4(std::string(name), ec);
    return !ec;
}

// The host part of a Host value, lower case, without ":port" or a trailing dot; empty when the
// value is not a host[:port] at all.
std::string host_part(std::string_view value) {
    std::string_view host = value;
    if (value.starts_with('[')) {
        auto close = value.find(']');
        if (close == std::string_view::npos) return {};
        host = value.substr(0, close + 1);
        value.remove_prefix(close + 1);
        if (!value.empty() && !(value.front() == ':' && all_digits(value.substr(1)))) return {};
    } else if (auto colon = value.find(':'); colon != std::string_view::npos) {
        if (!all_digits(value.substr(colon + 1))) return {};
        host = value.substr(0, colon);
    }
    if (host.ends_with('.')) host.remove_suffix(1);
    return lower(host);
}

}  // namespace

HostPolicy::HostPolicy(std::vector<std::string> names, const std::string& listen_address)
    : names_(names.empty() ? default_host_names(listen_address) : std::move(names)) {}

bool HostPolicy::allows(std::string_view host_header) const {
    const auto host = host_part(host_header);
    if (host.empty()) return false;
    if (is_ip_literal(host)) return true;
    return std::find(names_.begin(), names_.end(), host) != names_.end();
}

std::vector<std::string> default_host_names(const std::string& listen_address) {
    std::vector<std::string> names{"localhost"};
    const bool unspecified = listen_address == "0.0.0.0" || listen_address == "::";
    if (!listen_address.empty() && !unspecified) names.push_back(lower(listen_address));
    char buffer[HOST_NAME_MAX + 1] = {};
    if (::gethostname(buffer, sizeof buffer - 1) == 0 && buffer[0] != '\0') {
        const std::string machine = lower(buffer);
        names.push_back(machine);
        const std::string first_label = machine.substr(0, machine.find('.'));
        names.push_back(first_label + ".local");
        if (first_label != machine) names.push_back(first_label);
    }
    std::sort(names.begin(), names.end());
    names.erase(std::unique(names.begin(), names.end()), names.end());
    return names;
}

std::string loggable_host(std::string_view host_header) {
    std::string out;
    for (char c : host_header.substr(0, 64))
        out += (c >= 0x20 && c < 0x7f) ? c : '?';
    return out;
}

}  // namespace haven::panel
