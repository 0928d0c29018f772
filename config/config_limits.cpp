#include "config_limits.hpp"

#include <fstream>
#include <sstream>
#include <system_error>

namespace haven::config {
namespace {

std::string kib(std::size_t bytes) {
    return std::to_string((bytes + 1023) / 1024) + " KiB";
}

class SizeWalk {
  public:
    explicit SizeWalk(YamlReader& in) : in_(in) {}

    // Depth-first; yaml-cpp already refuses nesting deep enough to hurt the stack.
    void visit(const YAML::Node& node) {
        if (exhausted_) return;
        if (++visited_ > max_config_values) {
            exhausted_ = true;
            in_.error(node, "the file expands to more than " + std::to_string(max_config_values) +
                                " values (a YAML alias used recursively?); a room needs far fewer");
            return;
        }
        if (node.IsScalar()) return check_scalar(node);
        if (node.IsSequence()) {
            for (const auto& item : node)
                visit(item);
        } else if (node.IsMap()) {
            for (const auto& entry : node) {
                visit(entry.first);
                visit(entry.second);
            }
        }
    }

    bool ok() const { return !reported_ && !exhausted_; }

  private:
    void check_scalar(const YAML::Node& node) {
        const auto size = node.Scalar().size();
        if (size <= max_value_bytes) return;
        reported_ = true;
        in_.error(node, "this value is " + std::to_string(size) +
                            " bytes long; one value is at most " + std::to_string(max_value_bytes) +
                            " bytes");
    }

    YamlReader& in_;
    std::size_t visited_ = 0;
    bool exhausted_ = false;
    bool reported_ = false;
};

void error_at_start(YamlReader& in, std::string message) {
    in.error_at(YAML::Mark{}, std::move(message));  // line 1, column 1
}

}  // namespace

std::optional<std::string> read_config_text(const std::filesystem::path& file,
                                            YamlReader& in_for_errors) {
    std::error_code ec;
    const auto size = std::filesystem::file_size(file, ec);
    // Checked before reading, so a 50 MB file costs nothing; a pipe or /dev file has no size
    // and is read up to one byte past the limit instead.
    if (!ec && size > max_config_bytes) {
        error_at_start(in_for_errors, "the file is " + kib(size) + "; a config file is at most " +
                                          kib(max_config_bytes) + " (is this the right file?)");
        return std::nullopt;
    }
    std::ifstream in{file, std::ios::binary};
    if (!in) {
        error_at_start(in_for_errors, "cannot read the file (missing or not permitted)");
        return std::nullopt;
    }
    std::string text(max_config_bytes + 1, '\0');
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    text.resize(static_cast<std::size_t>(in.gcount()));
    if (text.size() > max_config_bytes) {
        error_at_start(in_for_errors, "the file is over " + kib(max_config_bytes) +
                                          ", the most a config file may be");
        return std::nullopt;
    }
    return text;
}

bool check_config_sizes(YamlReader& in, std::size_t text_bytes, const YAML::Node& root) {
    if (text_bytes > max_config_bytes) {
        error_at_start(in, "the text is " + kib(text_bytes) + "; a config file is at most " +
                               kib(max_config_bytes));
        return false;
    }
    SizeWalk walk{in};
    walk.visit(root);
    return walk.ok();
}

}  // namespace haven::config
