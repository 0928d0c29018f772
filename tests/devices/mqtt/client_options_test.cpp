#include "client_options.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "temp_dir.hpp"

namespace haven::mqtt {
namespace {

namespace fs = std::filesystem;

class ClientOptionsTest : public ::testing::Test {
  protected:
    void SetUp() override {
        room.room = {"cedar", "Cedar"};
        room.mqtt.host = "broker.local";
        room.mqtt.port = 8883;
        room.mqtt.topic_prefix = "haven";
        room.mqtt.keepalive_s = 20;
    }
    void write_password(const std::string& content) {
        std::ofstream(password_file, std::ios::binary) << content;
        room.mqtt.password_file = password_file;
    }

    config::RoomConfig room;
    haven::test::TempDir dir{"mqtt-password"};
    fs::path password_file = dir / "password";
};

TEST_F(ClientOptionsTest, UsesTheRoomForIdentityAndWill) {
    const auto options = client_options_for(room);
    EXPECT_EQ(options.host, "broker.local");
    EXPECT_EQ(options.port, 8883);
    EXPECT_EQ(options.client_id, "haven-cedar");
    EXPECT_EQ(options.will_topic, "haven/cedar/status");
    EXPECT_EQ(options.will_payload, "offline");
    EXPECT_EQ(options.keepalive_s, 20);
    EXPECT_FALSE(options.password);
}

TEST_F(ClientOptionsTest, AnExplicitClientIdWins) {
    room.mqtt.client_id = "cedar-controller";
    EXPECT_EQ(client_options_for(room).client_id, "cedar-controller");
}

TEST_F(ClientOptionsTest, ReadsThePasswordFileWithoutItsTrailingNewline) {
    struct Case {
        std::string content, password;
    };
    const Case cases[] = {{"hunter2\n", "hunter2"},
                          {"hunter2", "hunter2"},
                          {"hunter2\r\n", "hunter2"},
                          {" sp ace \n", " sp ace "}};
    for (const auto& c : cases) {
        write_password(c.content);
        EXPECT_EQ(client_options_for(room).password, c.password) << c.content;
    }
}

TEST_F(ClientOptionsTest, MissingOrEmptyPasswordFileNamesTheFileNotASecret) {
    room.mqtt.password_file = "/nonexistent/haven-password";
    try {
        client_options_for(room);
        FAIL() << "expected an error";
    } catch (const std::runtime_error& error) {
        EXPECT_NE(std::string(error.what()).find("/nonexistent/haven-password"), std::string::npos);
    }
    write_password("\n");
    EXPECT_THROW(client_options_for(room), std::runtime_error);
}

}  // namespace
}  // namespace haven::mqtt
