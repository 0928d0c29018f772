// The panel section's transport keys: allowed_hosts and tls. The certificate pairs are made
// with the openssl CLI, so the check runs against real PEM files as `haven check` would.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "loader.hpp"
#include "run_command.hpp"
#include "temp_dir.hpp"

namespace haven::config {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

void make_pair(const std::filesystem::path& dir, const std::string& name) {
    auto result =
        test::run_command({"openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                           "-subj", "/CN=localhost", "-keyout", (dir / (name + ".key")).string(),
                           "-out", (dir / (name + ".crt")).string()});
    ASSERT_EQ(result.exit_code, 0) << result.err;
}

class PanelSection : public ::testing::Test {
  protected:
    void SetUp() override {
        std::ofstream(dir_ / "therapist.pin") << "2468\n";
        std::ofstream(dir_ / "tech.pin") << "97531\n";
    }

    // Diagnostics as "LINE:COL: error: MESSAGE", with the temp dir shown as <dir>.
    std::vector<std::string> diagnose(const std::string& panel_extra) {
        const auto file = dir_ / "room.yaml";
        std::string yaml =
            "room: {id: cedar}\nmqtt: {}\n"
            "panel: {listen: \"127.0.0.1:8443\", therapist_pin_file: therapist.pin,\n"
            "        tech_pin_file: tech.pin" +
            panel_extra +
            "}\n"
            "templates: {t: {name: T, phases: [{id: a, duration: 1m}]}}\n";
        last_ = load_room_config_from_string(yaml, file);
        std::vector<std::string> lines;
        for (const auto& d : last_.diagnostics) {
            auto line = d.to_string().substr(file.string().size() + 1);
            for (auto at = line.find(dir_.path().string()); at != std::string::npos;
                 at = line.find(dir_.path().string()))
                line.replace(at, dir_.path().string().size(), "<dir>");
            lines.push_back(line);
        }
        return lines;
    }

    test::TempDir dir_{"panel-section"};
    LoadResult last_;
};

TEST_F(PanelSection, AMatchingCertificateAndKeyTurnOnTls) {
    make_pair(dir_.path(), "panel");
    EXPECT_THAT(diagnose(", tls: {cert_file: panel.crt, key_file: panel.key}"), IsEmpty());
    ASSERT_TRUE(last_.config);
    ASSERT_TRUE(last_.config->panel.tls);
    EXPECT_EQ(last_.config->panel.tls->key_file, dir_ / "panel.key");
}

TEST_F(PanelSection, AKeyFromAnotherCertificateIsAnErrorAtTheKey) {
    make_pair(dir_.path(), "panel");
    make_pair(dir_.path(), "other");
    EXPECT_THAT(diagnose(", tls: {cert_file: panel.crt, key_file: other.key}"),
                ElementsAre("4:72: error: the key <dir>/other.key does not belong to the "
                            "certificate <dir>/panel.crt"));
}

TEST_F(PanelSection, MissingOrNonPemFilesAreErrors) {
    std::ofstream(dir_ / "notes.txt") << "not a certificate\n";
    std::ofstream(dir_ / "panel.key") << "not a key\n";
    EXPECT_THAT(diagnose(", tls: {cert_file: gone.crt, key_file: panel.key}"),
                ElementsAre("4:51: error: cert_file 'gone.crt' not found (looked for "
                            "<dir>/gone.crt)"));
    EXPECT_THAT(diagnose(", tls: {cert_file: notes.txt, key_file: panel.key}"),
                ElementsAre("4:72: error: expected a PEM certificate in <dir>/notes.txt"));
    EXPECT_THAT(diagnose(", tls: {cert_file: notes.txt}"),
                ElementsAre("4:39: error: tls needs 'key_file'"));
}

TEST_F(PanelSection, AllowedHostsAreNamesWithoutSchemeOrPort) {
    EXPECT_THAT(diagnose(", allowed_hosts: [Cedar.local, cedar.clinic.example]"), IsEmpty());
    ASSERT_TRUE(last_.config);
    EXPECT_THAT(last_.config->panel.allowed_hosts,
                ElementsAre("cedar.local", "cedar.clinic.example"));
    EXPECT_THAT(diagnose(", allowed_hosts: [\"http://cedar.local/\"]"),
                ElementsAre("4:50: error: expected a host name without scheme, port or path "
                            "(cedar.local), got 'http://cedar.local/'"));
}

}  // namespace
}  // namespace haven::config
