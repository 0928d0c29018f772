#pragma once
// DNS rebinding defence: a web page on evil.example whose name is re-pointed at the room's
// address runs in the browser as evil.example, and sends `Host: evil.example`. So the panel
// answers only Host names it was configured with. IP literals are always accepted: a browser
// sends one only when the user typed the address, never after a rebinding.
// Pure; loop thread only.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace haven::panel {

class HostPolicy {
  public:
    // `names` lower case, without port; empty means default_host_names(listen_address).
    HostPolicy(std::vector<std::string> names, const std::string& listen_address);

    // True when the Host header value (a name or IP, optionally ":port") may reach the panel.
    bool allows(std::string_view host_header) const;
    const std::vector<std::string>& names() const { return names_; }

  private:
    std::vector<std::string> names_;
};

// localhost, the listen address, gethostname() and its .local form (mDNS on the clinic LAN).
std::vector<std::string> default_host_names(const std::string& listen_address);

// The Host value as it may appear in a log line: at most 64 printable ASCII characters.
std::string loggable_host(std::string_view host_header);

}  // namespace haven::panel
