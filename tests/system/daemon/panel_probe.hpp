#pragma once
// A blocking client for the panel drills, over plain TCP or TLS: one request per connection,
// a WebSocket that waits for pushes, and raw sockets from a chosen loopback source address
// (Linux routes all of 127.0.0.0/8 to lo, so 127.x.y.z are distinct clients). Every call has a
// deadline, so a panel that never answers fails the drill instead of hanging it.

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>

namespace haven::test {

struct PanelProbeReply {
    int status = 0;          // 0: closed or timed out without an answer
    std::string set_cookie;  // the whole first Set-Cookie value, attributes included
    std::string body;
};

struct PanelEndpoint {
    int port = 0;
    // Set for HTTPS: the server's certificate, trusted as the only CA (as a tablet would).
    std::optional<std::filesystem::path> trusted_cert;
    std::string host() const { return "127.0.0.1:" + std::to_string(port); }
    std::string origin() const { return (trusted_cert ? "https://" : "http://") + host(); }
};

PanelProbeReply panel_request(const PanelEndpoint& panel, const std::string& method,
                              const std::string& target, const std::string& body = "",
                              const std::map<std::string, std::string>& headers = {},
                              std::chrono::milliseconds deadline = std::chrono::seconds(5));

// An unlocked WebSocket (ws:// or wss://) on /ws; throws when the upgrade is refused.
class PanelSocket {
  public:
    PanelSocket(const PanelEndpoint& panel, const std::string& cookie);
    ~PanelSocket();
    // The next message, or nullopt when none arrives in time (the socket is then unusable).
    std::optional<std::string> read(std::chrono::milliseconds deadline = std::chrono::seconds(5));

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// A TCP connection from `source` (e.g. "127.0.0.7") that sends `bytes` and then nothing.
// Returns the descriptor; the caller closes it.
int open_stalled_connection(int port, const std::string& source, const std::string& bytes);
// True when the server has closed this connection (a read sees EOF or a reset).
bool closed_by_server(int fd);

// `openssl req` into dir: panel.crt and panel.key for 127.0.0.1 and localhost, valid a day.
void make_self_signed_cert(const std::filesystem::path& dir);

}  // namespace haven::test
