// The real PanelServer on an ephemeral loopback port, driven over real sockets with fake
// room hooks: access, Origin, traversal, limits and WebSocket push.
#include "panel_server.hpp"

#include <gtest/gtest.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <filesystem>
#include <fstream>
#include <future>
#include <nlohmann/json.hpp>
#include <thread>

#include "panel_client.hpp"
#include "temp_dir.hpp"

namespace haven::panel {
namespace {

using nlohmann::json;
using testing::http_call;
using testing::HttpCall;

constexpr const char* therapist_pin = "2468";
constexpr const char* tech_pin = "97531";

class PanelServerTest : public ::testing::Test {
  protected:
    // Hooks and the server live on the loop thread; the test thread reads what they saw here.
    template <typename F>
    auto run_on_loop(F f) {
        std::packaged_task<decltype(f())()> task(std::move(f));
        auto result = task.get_future();
        boost::asio::post(io_, [&] { task(); });
        return result.get();
    }

    void SetUp() override {
        www_ = temp_ / "www";
        std::filesystem::create_directories(www_ / "css");
        std::ofstream(www_ / "index.html") << "<h1>therapist</h1>";
        std::ofstream(www_ / "css" / "panel.css") << "body{}";
        std::ofstream(www_.parent_path() / "haven-panel-secret.txt") << "secret";
        start(PanelOptions{});
    }

    void TearDown() override {
        run_on_loop([&] { server_.reset(); });
        work_.reset();
        loop_.join();
    }

    void start(PanelOptions options) {
        options.address = "127.0.0.1";
        options.port = 0;
        options.therapist_pin = therapist_pin;
        options.tech_pin = tech_pin;
        options.www_root = www_;
        if (options.max_connections == 0) options.max_connections = 32;
        PanelHooks hooks;
        hooks.state = [this] { return state_; };
        hooks.command = [this](const Command& command, const CommandSource& source,
                               std::function<void(bool, std::string)> reply) {
            commands_.push_back({command, source});
            if (command.kind == CommandKind::end) return reply(false, "minimum observation");
            if (command.kind == CommandKind::hold) return;  // never confirmed
            // Confirm later, as the journal does once the record is durable.
            boost::asio::post(io_, [reply] { reply(true, {}); });
        };
        hooks.tech_status = [] { return json{{"devices", json::array()}}; };
        hooks.sessions = [] {
            return json::array({{{"session", "s1"}, {"template", "iv"}, {"open", true}}});
        };
        hooks.report = [](const std::string& id,
                          const std::string& format) -> std::optional<std::string> {
            if (id != "s1") return std::nullopt;
            if (format == "csv") return "a,b\n";
            if (format == "html") return "<html><body>s1</body></html>";
            return R"({"id":"s1"})";
        };
        hooks.test_light = [this](const std::string& light,
                                  double level) -> std::optional<std::string> {
            lights_tested_.emplace_back(light, level);
            if (light == "ceiling") return std::nullopt;
            if (light == "lamp") return "a session is running";
            return "unknown light " + light;
        };
        hooks.test_tone = [this]() -> std::optional<std::string> {
            ++tones_asked_;
            if (tone_refusal_.empty()) return std::nullopt;
            return tone_refusal_;
        };
        server_ = std::make_unique<PanelServer>(io_, options, hooks);
        server_->start();
        port_ = server_->port();
        loop_ = std::thread([this] { io_.run(); });
    }

    // Stops the server and starts a new one with changed options.
    void restart(const std::function<void(PanelOptions&)>& change) {
        run_on_loop([&] { server_.reset(); });
        work_.reset();
        loop_.join();
        io_.restart();
        work_.emplace(io_.get_executor());
        PanelOptions options;
        change(options);
        start(options);
    }

    std::string origin() const { return "http://127.0.0.1:" + std::to_string(port_); }

    testing::HttpReply post(const std::string& target, const std::string& body,
                            std::map<std::string, std::string> headers = {}) {
        headers.try_emplace("Origin", origin());
        return http_call(port_, HttpCall{"POST", target, body, headers});
    }

    // Unlocks and returns the Cookie header value to send back.
    std::string unlock(const std::string& role, const std::string& pin) {
        auto reply = post("/api/unlock", json{{"role", role}, {"pin", pin}}.dump());
        EXPECT_EQ(reply.status, 200u) << reply.body;
        auto cookie = reply.headers["Set-Cookie"];
        return cookie.substr(0, cookie.find(';'));
    }

    haven::test::TempDir temp_{"panel-test"};  // www_ inside it, the "secret" beside www_
    std::filesystem::path www_;
    boost::asio::io_context io_;
    std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_{
        io_.get_executor()};
    std::thread loop_;
    std::unique_ptr<PanelServer> server_;
    std::uint16_t port_ = 0;
    json state_ = json{{"room", {{"id", "room-1"}, {"name", "Room 1"}}}, {"session", nullptr}};
    std::vector<std::pair<Command, CommandSource>> commands_;
    std::vector<std::pair<std::string, double>> lights_tested_;
    int tones_asked_ = 0;
    std::string tone_refusal_;  // empty: the tone starts
};

TEST_F(PanelServerTest, UnlockSetsAnHttpOnlyStrictCookieThatOpensTheApi) {
    EXPECT_EQ(http_call(port_, {"GET", "/api/state"}).status, 401u);
    auto reply = post("/api/unlock", R"({"role":"therapist","pin":"2468"})");
    ASSERT_EQ(reply.status, 200u) << reply.body;
    const auto cookie = reply.headers["Set-Cookie"];
    EXPECT_NE(cookie.find("HttpOnly"), std::string::npos) << cookie;
    EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos) << cookie;
    auto state = http_call(
        port_, {"GET", "/api/state", "", {{"Cookie", cookie.substr(0, cookie.find(';'))}}});
    ASSERT_EQ(state.status, 200u);
    EXPECT_EQ(json::parse(state.body)["room"]["name"], "Room 1");
}

TEST_F(PanelServerTest, WrongPinIsRefusedAndGivesNoCookie) {
    auto reply = post("/api/unlock", R"({"role":"therapist","pin":"97531"})");
    EXPECT_EQ(reply.status, 401u);
    EXPECT_EQ(reply.headers.count("Set-Cookie"), 0u);
    EXPECT_EQ(json::parse(reply.body)["error"], "wrong PIN");
}

TEST_F(PanelServerTest, RepeatedWrongPinsAreRateLimitedEvenForTheRightPin) {
    for (int i = 0; i < 3; ++i) {
        EXPECT_EQ(post("/api/unlock", R"({"role":"tech","pin":"0000"})").status, 401u);
    }
    auto locked = post("/api/unlock", R"({"role":"tech","pin":"97531"})");
    EXPECT_EQ(locked.status, 429u);
    EXPECT_FALSE(locked.headers["Retry-After"].empty());
}

TEST_F(PanelServerTest, TherapistCannotUseTechRoutesButTechCan) {
    auto therapist = unlock("therapist", therapist_pin);
    EXPECT_EQ(http_call(port_, {"GET", "/api/tech", "", {{"Cookie", therapist}}}).status, 403u);
    EXPECT_EQ(http_call(port_, {"GET", "/api/sessions", "", {{"Cookie", therapist}}}).status, 403u);
    auto tech = unlock("tech", tech_pin);
    EXPECT_EQ(http_call(port_, {"GET", "/api/tech", "", {{"Cookie", tech}}}).status, 200u);
    auto sessions = http_call(port_, {"GET", "/api/sessions", "", {{"Cookie", tech}}});
    EXPECT_EQ(sessions.status, 200u);
    EXPECT_EQ(json::parse(sessions.body)[0]["session"], "s1");
    EXPECT_EQ(
        post("/api/tech/light", R"({"light":"ceiling","level":30})", {{"Cookie", tech}}).status,
        200u);
    auto refused = post("/api/tech/light", R"({"light":"lamp","level":30})", {{"Cookie", tech}});
    EXPECT_EQ(refused.status, 409u);
    // The page shows the room's own reason, not a guess.
    EXPECT_EQ(json::parse(refused.body)["error"], "a session is running");
    EXPECT_EQ(
        post("/api/tech/light", R"({"light":"ceiling","level":300})", {{"Cookie", tech}}).status,
        400u);
    EXPECT_EQ(run_on_loop([&] { return lights_tested_.size(); }), 2u);
}

TEST_F(PanelServerTest, StateChangingRequestsNeedAMatchingOrigin) {
    auto cookie = unlock("therapist", therapist_pin);
    for (std::string bad : {"http://evil.example", "http://127.0.0.1:1", "null", ""}) {
        std::map<std::string, std::string> headers{{"Cookie", cookie}};
        if (!bad.empty()) headers["Origin"] = bad;
        auto reply = http_call(port_, {"POST", "/api/command/next", "", headers});
        EXPECT_EQ(reply.status, 403u) << "Origin '" << bad << "'";
    }
    EXPECT_TRUE(run_on_loop([&] { return commands_.empty(); }));
}

TEST_F(PanelServerTest, CommandAnswersOnlyAfterTheRoomConfirms) {
    auto cookie = unlock("therapist", therapist_pin);
    auto ok = post("/api/command/extend", R"({"minutes":5})", {{"Cookie", cookie}});
    EXPECT_EQ(ok.status, 200u) << ok.body;
    auto refused = post("/api/command/end", "", {{"Cookie", cookie}});
    EXPECT_EQ(refused.status, 409u);
    EXPECT_EQ(json::parse(refused.body)["error"], "minimum observation");
    auto malformed = post("/api/command/volume", "loud", {{"Cookie", cookie}});
    EXPECT_EQ(malformed.status, 400u);
    EXPECT_FALSE(json::parse(malformed.body)["error"].get<std::string>().empty());
    EXPECT_EQ(post("/api/command/explode", "", {{"Cookie", cookie}}).status, 400u);

    auto seen = run_on_loop([&] { return commands_; });
    ASSERT_EQ(seen.size(), 2u);
    EXPECT_EQ(seen[0].first.kind, CommandKind::extend);
    EXPECT_EQ(seen[0].first.duration, std::chrono::minutes(5));
    EXPECT_EQ(seen[0].second, (CommandSource{CommandSource::Kind::panel, "therapist"}));
}

TEST_F(PanelServerTest, StaticFilesAreServedButNothingOutsideTheRoot) {
    auto index = http_call(port_, {"GET", "/"});
    EXPECT_EQ(index.status, 200u);
    EXPECT_EQ(index.body, "<h1>therapist</h1>");
    EXPECT_EQ(index.headers["Content-Type"], "text/html; charset=utf-8");
    EXPECT_EQ(http_call(port_, {"GET", "/css/panel.css"}).status, 200u);
    for (std::string target : {"/../haven-panel-secret.txt", "/css/../../haven-panel-secret.txt",
                               "/%2e%2e/haven-panel-secret.txt", "/..%2fhaven-panel-secret.txt",
                               "/.hidden", "//etc/passwd", "/css\\..\\index.html"}) {
        auto reply = http_call(port_, {"GET", target});
        EXPECT_GE(reply.status, 400u) << target;
        EXPECT_LT(reply.status, 500u) << target;
        EXPECT_EQ(reply.body.find("secret\n"), std::string::npos) << target;
        EXPECT_NE(reply.body, "secret") << target;
    }
    EXPECT_EQ(http_call(port_, {"GET", "/missing.html"}).status, 404u);
}

TEST_F(PanelServerTest, OversizedBodyIsRefusedWith413) {
    auto cookie = unlock("therapist", therapist_pin);
    auto reply = post("/api/command/mark", std::string(64 * 1024, 'x'), {{"Cookie", cookie}});
    EXPECT_EQ(reply.status, 413u);
    EXPECT_TRUE(run_on_loop([&] { return commands_.empty(); }));
}

TEST_F(PanelServerTest, MalformedRequestsGetA400AndTheServerKeepsServing) {
    auto garbage = testing::raw_exchange(port_, "THIS IS NOT HTTP\r\n\r\n");
    EXPECT_NE(garbage.find("400"), std::string::npos) << garbage;
    auto huge_header = testing::raw_exchange(
        port_, "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(20000, 'a') + "\r\n\r\n");
    EXPECT_NE(huge_header.find("413"), std::string::npos) << huge_header.substr(0, 100);
    auto bad_json = post("/api/unlock", "{not json");
    EXPECT_EQ(bad_json.status, 400u);
    EXPECT_EQ(http_call(port_, {"GET", "/"}).status, 200u);
}

TEST_F(PanelServerTest, ReportsNeedTechAndCheckTheirId) {
    auto tech = unlock("tech", tech_pin);
    auto csv = http_call(port_, {"GET", "/api/report/s1?format=csv", "", {{"Cookie", tech}}});
    EXPECT_EQ(csv.status, 200u);
    EXPECT_EQ(csv.body, "a,b\n");
    EXPECT_NE(csv.headers["Content-Disposition"].find("attachment"), std::string::npos);
    EXPECT_EQ(http_call(port_, {"GET", "/api/report/s1?format=csv"}).status, 401u);
    auto therapist = unlock("therapist", therapist_pin);
    EXPECT_EQ(
        http_call(port_, {"GET", "/api/report/s1?format=csv", "", {{"Cookie", therapist}}}).status,
        403u);
    EXPECT_EQ(http_call(port_, {"GET", "/api/report/s2", "", {{"Cookie", tech}}}).status, 404u);
    EXPECT_EQ(http_call(port_, {"GET", "/api/report/..%2f", "", {{"Cookie", tech}}}).status, 400u);
}

TEST_F(PanelServerTest, ReportDownloadsAreLabelledByFormatAndSavedAsFiles) {
    struct Case {
        std::string format;
        std::string content_type;
        std::string body_starts;
    };
    const std::vector<Case> cases{{"html", "text/html; charset=utf-8", "<html>"},
                                  {"csv", "text/csv; charset=utf-8", "a,b"},
                                  {"json", "application/json", "{"}};
    auto tech = unlock("tech", tech_pin);
    for (const auto& c : cases) {
        auto reply =
            http_call(port_, {"GET", "/api/report/s1?format=" + c.format, "", {{"Cookie", tech}}});
        ASSERT_EQ(reply.status, 200u) << c.format;
        EXPECT_EQ(reply.headers["Content-Type"], c.content_type) << c.format;
        EXPECT_EQ(reply.headers["Content-Disposition"],
                  "attachment; filename=\"haven-s1." + c.format + "\"");
        EXPECT_TRUE(reply.body.starts_with(c.body_starts)) << reply.body;
    }
    // A format the panel does not offer is refused, not served under a guessed type.
    for (std::string bad : {"txt", "pdf", "..", "html%00"}) {
        auto reply =
            http_call(port_, {"GET", "/api/report/s1?format=" + bad, "", {{"Cookie", tech}}});
        EXPECT_EQ(reply.status, 400u) << bad;
    }
}

TEST_F(PanelServerTest, TestToneNeedsTechAndOriginAndSaysWhyItIsRefused) {
    auto therapist = unlock("therapist", therapist_pin);
    EXPECT_EQ(post("/api/tech/tone", "", {{"Cookie", therapist}}).status, 403u);
    auto tech = unlock("tech", tech_pin);
    EXPECT_EQ(
        http_call(
            port_,
            {"POST", "/api/tech/tone", "", {{"Cookie", tech}, {"Origin", "http://evil.example"}}})
            .status,
        403u);
    EXPECT_EQ(run_on_loop([&] { return tones_asked_; }), 0);

    auto played = post("/api/tech/tone", "", {{"Cookie", tech}});
    EXPECT_EQ(played.status, 200u) << played.body;
    run_on_loop([&] { tone_refusal_ = "a session is open"; });
    auto refused = post("/api/tech/tone", "", {{"Cookie", tech}});
    EXPECT_EQ(refused.status, 409u);
    EXPECT_EQ(json::parse(refused.body)["error"], "a session is open");
    EXPECT_EQ(run_on_loop([&] { return tones_asked_; }), 2);
}

TEST_F(PanelServerTest, WebSocketNeedsCookieAndOriginThenPushesState) {
    auto cookie = unlock("therapist", therapist_pin);
    EXPECT_THROW(testing::WsClient(port_, {{"Origin", origin()}}), std::runtime_error);
    EXPECT_THROW(testing::WsClient(port_, {{"Origin", "http://evil.example"}, {"Cookie", cookie}}),
                 std::runtime_error);

    testing::WsClient client(port_, {{"Origin", origin()}, {"Cookie", cookie}});
    auto first = client.read();
    ASSERT_TRUE(first);
    EXPECT_EQ(json::parse(*first)["type"], "state");
    EXPECT_EQ(json::parse(*first)["state"]["room"]["id"], "room-1");

    run_on_loop([&] {
        server_->publish_state(json{{"version", 7}});
        server_->publish_event(json{{"kind", "assist"}});
    });
    auto pushed = client.read();
    ASSERT_TRUE(pushed);
    EXPECT_EQ(json::parse(*pushed)["state"]["version"], 7);
    auto event = client.read();
    ASSERT_TRUE(event);
    EXPECT_EQ(json::parse(*event)["type"], "event");
    EXPECT_EQ(json::parse(*event)["event"]["kind"], "assist");
}

TEST_F(PanelServerTest, AFullServerClosesAnIdleStrangerButNeverAnUnlockedWebSocket) {
    restart([](PanelOptions& options) { options.max_connections = 2; });
    const auto cookie = unlock("therapist", therapist_pin);
    testing::WsClient panel(port_, {{"Origin", origin()}, {"Cookie", cookie}});
    ASSERT_TRUE(panel.read()) << "the first state";
    boost::asio::io_context client_io;
    boost::asio::ip::tcp::socket idle(client_io);
    idle.connect({boost::asio::ip::make_address("127.0.0.1"), port_});
    // Both slots are taken; the idle stranger makes way for the newcomer.
    EXPECT_EQ(http_call(port_, {"GET", "/"}).status, 200u);

    testing::WsClient second(port_, {{"Origin", origin()}, {"Cookie", cookie}});
    ASSERT_TRUE(second.read());
    EXPECT_EQ(http_call(port_, {"GET", "/"}).status, 0u)
        << "only unlocked WebSockets hold the slots: the newcomer is the one refused";
    run_on_loop([&] { server_->publish_state(json{{"version", 8}}); });
    auto pushed = panel.read();
    ASSERT_TRUE(pushed) << "the wall panel's WebSocket was dropped for a newcomer";
    EXPECT_EQ(json::parse(*pushed)["state"]["version"], 8);
}

TEST_F(PanelServerTest, ARequestThatDoesNotArriveInTimeLosesItsConnection) {
    restart(
        [](PanelOptions& options) { options.request_timeout = std::chrono::milliseconds(300); });
    const auto started = std::chrono::steady_clock::now();
    // Headers never finished: the server closes without waiting for the client's deadline.
    auto received = testing::raw_exchange(port_, "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n",
                                          std::chrono::seconds(10));
    const auto waited = std::chrono::steady_clock::now() - started;
    EXPECT_TRUE(received.empty()) << received;
    // 300 ms configured; 5 s leaves room for a loaded machine and is still far from 10 s.
    EXPECT_LT(waited, std::chrono::seconds(5));
    EXPECT_EQ(http_call(port_, {"GET", "/"}).status, 200u);
}

TEST_F(PanelServerTest, UnknownHostNamesAreRefusedWith421) {
    for (std::string host : {"evil.example", "evil.example:8080", "localhost.evil.example"}) {
        auto reply = http_call(port_, {"GET", "/", "", {{"Host", host}}});
        EXPECT_EQ(reply.status, 421u) << host;
        EXPECT_NE(reply.body.find("allowed_hosts"), std::string::npos) << reply.body;
    }
    auto cookie = unlock("therapist", therapist_pin);
    auto command =
        post("/api/command/assist", "",
             {{"Cookie", cookie}, {"Host", "evil.example"}, {"Origin", "http://evil.example"}});
    EXPECT_EQ(command.status, 421u);
    EXPECT_TRUE(run_on_loop([&] { return commands_.empty(); }));
    EXPECT_EQ(http_call(port_, {"GET", "/", "", {{"Host", "localhost:8080"}}}).status, 200u);
}

TEST_F(PanelServerTest, ConfiguredHostNamesReplaceTheDefaults) {
    restart([](PanelOptions& options) { options.allowed_hosts = {"cedar.clinic.example"}; });
    EXPECT_EQ(http_call(port_, {"GET", "/", "", {{"Host", "cedar.clinic.example"}}}).status, 200u);
    EXPECT_EQ(http_call(port_, {"GET", "/", "", {{"Host", "localhost"}}}).status, 421u);
}

TEST(PanelServerStart, ThrowsWhenItCannotBind) {
    boost::asio::io_context io;
    PanelOptions options;
    options.address = "203.0.113.7";  // TEST-NET-3: never a local address
    options.port = 0;
    PanelServer server(io, options, {});
    EXPECT_THROW(server.start(), std::system_error);
}

}  // namespace
}  // namespace haven::panel
