// The `panel:` section: where it listens, its PIN files, the host names browsers may use
// and its HTTPS certificate.
#include <algorithm>

#include "loader_parts.hpp"
#include "secret_file.hpp"
#include "tls_files.hpp"

namespace haven::config {
namespace {

// A PIN file holds 4 to 12 digits (a trailing newline is fine). Its content is never echoed.
void check_pin_file(YamlReader& in, const YAML::Node& node, const std::filesystem::path& path) {
    const std::string pin = read_secret_file(path).value_or("");
    bool digits = std::all_of(pin.begin(), pin.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (!digits || pin.size() < 4 || pin.size() > 12)
        in.error(node,
                 "expected the PIN file '" + node.Scalar() + "' to hold a PIN of 4 to 12 digits");
}

void read_listen(YamlReader& in, const YAML::Node& listen, PanelConfig& panel) {
    auto text = in.text(listen, "listen");
    auto colon = text ? text->rfind(':') : std::string::npos;
    std::optional<long> port;
    if (colon != std::string::npos && colon > 0) {
        try {
            std::size_t used = 0;
            std::string digits = text->substr(colon + 1);
            long value = std::stol(digits, &used);
            if (used == digits.size() && value >= 1 && value <= 65535) port = value;
        } catch (const std::exception&) {
        }
    }
    if (text && port) {
        std::string address = text->substr(0, colon);
        if (address.size() > 2 && address.front() == '[' && address.back() == ']')
            address = address.substr(1, address.size() - 2);
        panel.address = address;
        panel.port = static_cast<std::uint16_t>(*port);
    } else if (text) {
        in.error(listen, "expected listen as ADDRESS:PORT (127.0.0.1:8080), got '" + *text + "'");
    }
}

// A DNS name or an IP address, without a port: what a browser puts before the ':' of Host.
bool plain_host_name(const std::string& name) {
    if (name.empty() || name.size() > 253) return false;
    if (name.front() == '[')  // an IPv6 literal, as a browser writes it in Host
        return name.back() == ']' &&
               name.find_first_not_of("0123456789abcdef:[]") == std::string::npos;
    return name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789.-") == std::string::npos;
}

void read_allowed_hosts(YamlReader& in, const YAML::Node& node, PanelConfig& panel) {
    if (!node.IsSequence() || node.size() == 0) {
        in.error(node, "expected allowed_hosts as a list of host names ([cedar.local])");
        return;
    }
    for (const auto& entry : node) {
        auto name = in.text(entry, "allowed host");
        if (!name) continue;
        std::string lower = *name;
        std::transform(lower.begin(), lower.end(), lower.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        if (!plain_host_name(lower)) {
            in.error(entry,
                     "expected a host name without scheme, port or path (cedar.local), "
                     "got '" +
                         name->substr(0, 80) + "'");
            continue;
        }
        panel.allowed_hosts.push_back(lower);
    }
}

void read_tls(YamlReader& in, const YAML::Node& tls, PanelConfig& panel) {
    if (!in.expect_map(tls, "tls: {cert_file: panel.crt, key_file: panel.key}")) return;
    in.check_keys(tls, "tls", {"cert_file", "key_file"});
    in.require_keys(tls, "tls", {"cert_file", "key_file"});
    std::optional<std::filesystem::path> cert, key;
    if (tls["cert_file"].IsDefined()) cert = in.existing_file(tls["cert_file"], "cert_file");
    if (tls["key_file"].IsDefined()) key = in.existing_file(tls["key_file"], "key_file");
    if (!cert || !key) return;
    if (auto problem = tls_pair_problem(*cert, *key)) return in.error(tls["key_file"], *problem);
    panel.tls = PanelTlsConfig{*cert, *key};
}

}  // namespace

void read_panel(YamlReader& in, const YAML::Node& node, RoomConfig& room) {
    auto& panel = room.panel;
    if (!in.expect_map(node, "panel: {listen: ..., therapist_pin_file: ..., tech_pin_file: ...}"))
        return;
    in.check_keys(node, "panel",
                  {"listen", "therapist_pin_file", "tech_pin_file", "allowed_hosts", "tls"});
    in.require_keys(node, "panel", {"listen", "therapist_pin_file", "tech_pin_file"});
    if (node["listen"].IsDefined()) read_listen(in, node["listen"], panel);
    for (auto [key, target] : {std::pair{"therapist_pin_file", &panel.therapist_pin_file},
                               std::pair{"tech_pin_file", &panel.tech_pin_file}}) {
        if (!node[key].IsDefined()) continue;
        if (auto path = in.existing_file(node[key], key)) {
            check_pin_file(in, node[key], *path);
            *target = *path;
        }
    }
    if (node["allowed_hosts"].IsDefined()) read_allowed_hosts(in, node["allowed_hosts"], panel);
    if (node["tls"].IsDefined()) read_tls(in, node["tls"], panel);
}

}  // namespace haven::config
