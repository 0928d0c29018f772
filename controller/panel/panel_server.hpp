#pragma once
// The wall panel: static pages, a small JSON API and a WebSocket that pushes room state, all
// served by Boost.Beast on the daemon's io_context. Every method, hook and reply runs on the
// thread that runs that io_context; the server starts no threads of its own.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

#include "command.hpp"

namespace boost::asio {
class io_context;
}

namespace haven::panel {

// What the panel asks of the room. Empty hooks answer 503 "not available".
struct PanelHooks {
    // The same JSON as MQTT <prefix>/<room>/state.
    std::function<nlohmann::json()> state;
    // Submit a command; reply(ok, reason) is called later on the io_context once the journal
    // is durable (ok) or the command was refused (reason is shown to the therapist).
    std::function<void(const Command&, const CommandSource&,
                       std::function<void(bool ok, std::string reason)> reply)>
        command;
    // Devices (lights; buttons with available and last seen), config summary, last config
    // errors, recent events (tech page). Asked for on demand, so it may carry more than the
    // state pushed on every change.
    std::function<nlohmann::json()> tech_status;
    // Tech only: the journal's sessions, newest first ([{session, template, started, ended,
    // open}], as `haven report --format json` lists them),
    // so a tech can find one to export while the daemon holds its journal.
    std::function<nlohmann::json()> sessions;
    // A finished session's report in "json", "csv" or "html"; nullopt when unknown.
    std::function<std::optional<std::string>(const std::string& session, const std::string& format)>
        report;
    // Tech only: set one light to a level 0..100. nullopt when sent, else why not, in words
    // the tech reads (e.g. "a session is running").
    std::function<std::optional<std::string>(const std::string& light, double level)> test_light;
    // Tech only: play a short, quiet test tone through the music output. nullopt when it
    // started, else why not (a session is open, music is playing, no output device).
    std::function<std::optional<std::string>()> test_tone;
};

// PEM files; the panel then speaks only HTTPS (and wss) on its port.
struct PanelTls {
    std::filesystem::path cert_file;
    std::filesystem::path key_file;
};

struct PanelOptions {
    std::string address = "127.0.0.1";
    std::uint16_t port = 8080;  // 0: an ephemeral port (tests), see PanelServer::port()
    std::string therapist_pin;  // empty: that role cannot be unlocked
    std::string tech_pin;
    std::filesystem::path www_root;
    // Host names browsers may use (DNS rebinding defence); empty: localhost and this
    // machine's names. IP literals are always accepted (see host_check.hpp).
    std::vector<std::string> allowed_hosts;
    std::optional<PanelTls> tls;
    std::size_t max_connections = 32;
    // Connections from one address that have not shown a session cookie yet; past it, that
    // address's idlest one makes way, so one host cannot hold every slot.
    std::size_t max_untrusted_per_address = 8;
    // A request (TLS handshake, headers and body) must arrive within this, counted from the
    // connection's start or the previous answer: a slow sender cannot hold a slot.
    std::chrono::milliseconds request_timeout{5000};
    std::size_t max_body = 16 * 1024;
};

class PanelServer {
  public:
    PanelServer(boost::asio::io_context& io, PanelOptions options, PanelHooks hooks);
    ~PanelServer();
    PanelServer(const PanelServer&) = delete;
    PanelServer& operator=(const PanelServer&) = delete;

    // Binds options.address:port and starts accepting; throws std::system_error on failure.
    void start();
    // Closes the listener and every connection; pending replies are dropped. Idempotent.
    void stop();
    // The bound port (the ephemeral one when options.port was 0).
    std::uint16_t port() const;

    // Pushes {"type":"state","state":...} to every unlocked WebSocket client.
    void publish_state(const nlohmann::json& state);
    // Pushes {"type":"event","event":...} to every unlocked WebSocket client.
    void publish_event(const nlohmann::json& event);

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace haven::panel
