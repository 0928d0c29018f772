#pragma once
// A real mosquitto broker for integration tests: its own temp dir, a generated config, a
// free loopback port. Plain, username/password (mosquitto_passwd) or TLS (certificates made
// by openssl in the temp dir, client certificate required). It can be stopped and started
// again on the same port, so reconnect behaviour is tested against the real thing.

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>

#include "spawned_process.hpp"
#include "temp_dir.hpp"

namespace haven::test {

class MosquittoBroker {
  public:
    enum class Mode { plain, password, tls };

    // Starts the broker and waits until it accepts connections; throws on failure.
    explicit MosquittoBroker(Mode mode = Mode::plain);
    ~MosquittoBroker();
    MosquittoBroker(const MosquittoBroker&) = delete;
    MosquittoBroker& operator=(const MosquittoBroker&) = delete;

    void stop();   // SIGTERM (sessions and retained messages are saved) and wait
    void kill();   // SIGKILL: the broker vanishes mid-conversation
    void start();  // again, same port, same persistence file
    bool running() const { return process_.has_value(); }

    Mode mode() const { return mode_; }
    std::string host() const { return "127.0.0.1"; }
    int port() const { return port_; }
    const std::filesystem::path& dir() const { return dir_.path(); }
    std::filesystem::path log_file() const { return dir_ / "mosquitto.log"; }

    // Mode::password: the one account the broker accepts.
    std::string username() const { return "haven"; }
    std::string password() const { return "s3cret-pass"; }
    std::filesystem::path password_file() const {
        return dir_ / "client-password";
    }  // holds password()

    // Mode::tls: the CA that signed the broker's certificate (SAN IP:127.0.0.1), and a client
    // certificate it accepts.
    std::filesystem::path ca_file() const { return dir_ / "ca.crt"; }
    std::filesystem::path client_cert_file() const { return dir_ / "client.crt"; }
    std::filesystem::path client_key_file() const { return dir_ / "client.key"; }

  private:
    void write_config();
    void make_certificates();
    void make_password_file();
    bool wait_until_accepting(std::chrono::milliseconds timeout);

    Mode mode_;
    TempDir dir_;
    int port_ = 0;
    std::optional<SpawnedProcess> process_;  // destroyed before dir_
};

// A TCP port on 127.0.0.1 that nothing listened on a moment ago.
int free_loopback_port();

}  // namespace haven::test
