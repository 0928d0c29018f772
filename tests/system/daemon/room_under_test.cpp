#include "room_under_test.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace haven::test {
namespace {

const std::filesystem::path source_dir{HAVEN_SOURCE_DIR};

std::string read_file(const std::filesystem::path& file) {
    std::ifstream in{file};
    if (!in) throw std::runtime_error("cannot read " + file.string());
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

void replace_once(std::string& text, const std::string& from, const std::string& to) {
    auto at = text.find(from);
    if (at == std::string::npos)
        throw std::runtime_error("demo.yaml no longer contains '" + from + "'");
    text.replace(at, from.size(), to);
}

// One HTTP/1.1 request on a fresh connection; the panel closes it after answering.
HttpReply http_request(int port, const std::string& method, const std::string& path,
                       const std::string& body, const std::string& cookie) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) throw std::runtime_error("socket failed");
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
        ::close(fd);
        throw std::runtime_error("cannot connect to the panel on port " + std::to_string(port));
    }
    timeval limit{.tv_sec = 10, .tv_usec = 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
    const std::string host = "127.0.0.1:" + std::to_string(port);
    std::string request = method + " " + path + " HTTP/1.1\r\nHost: " + host +
                          "\r\nOrigin: http://" + host +
                          "\r\nContent-Type: application/json\r\nConnection: close\r\n";
    if (!cookie.empty()) request += "Cookie: " + cookie + "\r\n";
    request += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
    for (std::size_t sent = 0; sent < request.size();) {
        auto n = ::send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) break;
        sent += static_cast<std::size_t>(n);
    }
    std::string response;
    char buffer[4096];
    while (true) {
        auto n = ::recv(fd, buffer, sizeof buffer, 0);
        if (n <= 0) break;
        response.append(buffer, static_cast<std::size_t>(n));
    }
    ::close(fd);

    HttpReply reply;
    if (response.size() > 12) reply.status = std::atoi(response.substr(9, 3).c_str());
    const auto header_end = response.find("\r\n\r\n");
    const std::string headers = response.substr(0, header_end);
    if (header_end != std::string::npos) reply.body = response.substr(header_end + 4);
    if (auto at = headers.find("Set-Cookie: "); at != std::string::npos) {
        auto value = headers.substr(at + 12, headers.find("\r\n", at) - at - 12);
        reply.set_cookie = value.substr(0, value.find(';'));
    }
    return reply;
}

}  // namespace

std::string demo_room_yaml(int mqtt_port, int panel_port, const std::string& audio_output) {
    std::string yaml = read_file(source_dir / "config/rooms/demo.yaml");
    const auto rooms = (source_dir / "config/rooms").string();
    replace_once(yaml, "port: 1883", "port: " + std::to_string(mqtt_port));
    replace_once(yaml, "listen: \"127.0.0.1:8080\"",
                 "listen: \"127.0.0.1:" + std::to_string(panel_port) + "\"");
    replace_once(yaml, "therapist_pin_file: demo-therapist.pin",
                 "therapist_pin_file: " + rooms + "/demo-therapist.pin");
    replace_once(yaml, "tech_pin_file: demo-tech.pin",
                 "tech_pin_file: " + rooms + "/demo-tech.pin");
    replace_once(yaml, "output: default", "output: " + audio_output);
    replace_once(yaml, "../../playlists/arrival.m3u",
                 (source_dir / "playlists/arrival.m3u").string());
    replace_once(yaml, "../../playlists/deep/", (source_dir / "playlists/deep").string() + "/");
    replace_once(yaml, "../templates/ketamine.yaml",
                 (source_dir / "config/templates/ketamine.yaml").string());
    return yaml;
}

RoomUnderTest::RoomUnderTest(RoomOptions options)
    : options_(std::move(options)),
      dir_("daemon-drill"),
      panel_port_(free_loopback_port()),
      config_file_(dir_ / "room.yaml"),
      state_dir_(dir_ / "state") {
    std::filesystem::create_directories(state_dir_);
    std::ofstream{config_file_} << demo_room_yaml(broker_.port(), panel_port_,
                                                  options_.audio_output);
    reconnect_observer();
}

RoomUnderTest::~RoomUnderTest() {
    daemon_.reset();  // killed and reaped
    observer_.reset();
}  // then the broker, then dir_ with everything in it

RoomUnderTest::Restart RoomUnderTest::kill_and_restart(std::chrono::milliseconds down) {
    Restart restart;
    restart.killed_at = std::chrono::steady_clock::now();
    kill_daemon();
    restart.offline_seen = wait_status("offline");
    std::this_thread::sleep_for(down);
    restart.restarted_at = std::chrono::steady_clock::now();
    start_daemon();
    restart.resumed = wait_state(has_session);
    restart.resumed_at = std::chrono::steady_clock::now();
    return restart;
}

void RoomUnderTest::start_daemon() {
    skip_to_now();
    panel_cookie_.clear();
    daemon_ = std::make_unique<DaemonProcess>(
        HAVEN_BINARY,
        std::vector<std::string>{"run", "--config", config_file_.string(), "--state-dir",
                                 state_dir_.string(), "--time-scale",
                                 std::to_string(options_.time_scale)},
        dir_ / "haven.log", options_.daemon_env);
    if (!wait_status("online", std::chrono::milliseconds{15000}))
        throw std::runtime_error("haven did not come online; its log:\n" + daemon_->log());
}

void RoomUnderTest::reconnect_observer() {
    observer_.reset();
    cursor_.clear();
    observer_ = std::make_unique<TestMqttClient>(broker_);
    // Not haven/cedar/#: the observer would keep every command it sends (a flood of them).
    for (const auto& leaf : {"state", "events", "status"})
        observer_->subscribe(topic(leaf));
    for (const auto& filter : options_.watch)
        observer_->subscribe(filter);
}

void RoomUnderTest::command(const std::string& name, const std::string& payload, int qos) {
    observer_->publish(topic("cmd/" + name), payload, qos);
}

void RoomUnderTest::publish(const std::string& topic, const std::string& payload, int qos,
                            bool retain) {
    observer_->publish(topic, payload, qos, retain);
}

std::string RoomUnderTest::start_session(const std::string& template_id) {
    command("start", template_id);
    auto state = wait_state([](const Json& s) { return session_field(s, "phase") == "arrival"; });
    if (!state)
        throw std::runtime_error("no session in arrival after cmd/start; log:\n" + daemon_log());
    return session_field(*state, "id");
}

std::optional<std::string> RoomUnderTest::wait_text(
    const std::string& topic, const std::function<bool(const std::string&)>& accept,
    std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    auto& cursor = cursor_[topic];
    while (true) {
        auto messages = observer_->received(topic);
        for (; cursor < messages.size(); ++cursor) {
            if (!accept || accept(messages[cursor].payload)) return messages[cursor++].payload;
        }
        if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
        std::this_thread::sleep_for(std::chrono::milliseconds{20});
    }
}

std::optional<Json> RoomUnderTest::wait_json(const std::string& topic, const JsonTest& accept,
                                             std::chrono::milliseconds timeout) {
    auto text = wait_text(
        topic,
        [&](const std::string& payload) {
            auto document = Json::parse(payload, nullptr, false);
            return !document.is_discarded() && (!accept || accept(document));
        },
        timeout);
    if (!text) return std::nullopt;
    return Json::parse(*text);
}

bool RoomUnderTest::wait_status(const std::string& status, std::chrono::milliseconds timeout) {
    return wait_text(
               topic("status"), [&](const std::string& s) { return s == status; }, timeout)
        .has_value();
}

Json RoomUnderTest::latest_state() const {
    auto messages = observer_->received(topic("state"));
    if (messages.empty()) return nullptr;
    return Json::parse(messages.back().payload, nullptr, false);
}

std::vector<std::string> RoomUnderTest::history(const std::string& topic) const {
    std::vector<std::string> payloads;
    for (const auto& message : observer_->received(topic))
        payloads.push_back(message.payload);
    return payloads;
}

void RoomUnderTest::skip_to_now() {
    for (const auto& leaf : {"state", "events", "status"})
        cursor_[topic(leaf)] = observer_->received(topic(leaf)).size();
    for (const auto& watched : options_.watch)
        cursor_[watched] = observer_->received(watched).size();
}

HttpReply RoomUnderTest::panel_post(const std::string& path, const std::string& body) {
    if (panel_cookie_.empty()) {
        const auto pin = read_file(source_dir / "config/rooms/demo-therapist.pin");
        auto unlocked = http_request(
            panel_port_, "POST", "/api/unlock",
            Json{{"role", "therapist"}, {"pin", pin.substr(0, pin.find_first_of("\r\n"))}}.dump(),
            "");
        if (unlocked.status != 200 || unlocked.set_cookie.empty())
            throw std::runtime_error("panel unlock failed: " + std::to_string(unlocked.status) +
                                     " " + unlocked.body);
        panel_cookie_ = unlocked.set_cookie;
    }
    return http_request(panel_port_, "POST", path, body, panel_cookie_);
}

Json RoomUnderTest::report(const std::string& session_id) {
    if (!daemon_ || !daemon_->running()) {
        return Json::parse(
            run_to_completion(HAVEN_BINARY, {"report", "--state-dir", state_dir_.string(),
                                             "--session", session_id, "--format", "json"}));
    }
    if (tech_cookie_.empty()) {
        const auto pin = read_file(source_dir / "config/rooms/demo-tech.pin");
        auto unlocked = http_request(
            panel_port_, "POST", "/api/unlock",
            Json{{"role", "tech"}, {"pin", pin.substr(0, pin.find_first_of("\r\n"))}}.dump(), "");
        if (unlocked.status != 200 || unlocked.set_cookie.empty())
            throw std::runtime_error("panel tech unlock failed: " +
                                     std::to_string(unlocked.status) + " " + unlocked.body);
        tech_cookie_ = unlocked.set_cookie;
    }
    auto reply = http_request(panel_port_, "GET", "/api/report/" + session_id + "?format=json", "",
                              tech_cookie_);
    if (reply.status != 200)
        throw std::runtime_error("panel report: " + std::to_string(reply.status) + " " +
                                 reply.body);
    return Json::parse(reply.body);
}

Json RoomUnderTest::journal_rows(const std::string& session_id) const {
    if (daemon_ && daemon_->running())
        throw std::logic_error("journal_rows: stop the daemon first; it holds its journal");
    // All rows, filtered here: run_to_completion quotes its arguments, so no SQL literals.
    const auto out = run_to_completion(
        "sqlite3",
        {"-json", (state_dir_ / "journal.sqlite3").string(),
         "SELECT seq, session_id, type, data, wall_ms, monotonic_ms FROM entries ORDER BY seq"});
    Json rows = Json::array();
    if (out.find_first_not_of(" \r\n") == std::string::npos) return rows;
    for (auto& row : Json::parse(out))
        if (row["session_id"] == session_id) rows.push_back(std::move(row));
    return rows;
}

void RoomUnderTest::journal_sql(const std::string& sql) const {
    if (daemon_ && daemon_->running())
        throw std::logic_error("journal_sql: stop the daemon first; it holds its journal");
    run_to_completion("sqlite3", {(state_dir_ / "journal.sqlite3").string(), sql});
}

bool has_session(const Json& state) {
    return state.is_object() && state.contains("session") && state["session"].is_object();
}

std::string session_field(const Json& state, const char* key) {
    if (!has_session(state)) return "";
    const auto& session = state["session"];
    auto it = session.find(key);
    return it != session.end() && it->is_string() ? it->get<std::string>() : std::string();
}

bool journal_alarm(const Json& state) {
    if (!state.contains("alarms") || !state["alarms"].is_array()) return false;
    return std::any_of(state["alarms"].begin(), state["alarms"].end(),
                       [](const Json& a) { return a.value("kind", "") == "journal"; });
}

bool no_alarms(const Json& state) {
    return state.contains("alarms") && state["alarms"].is_array() && state["alarms"].empty();
}

}  // namespace haven::test
