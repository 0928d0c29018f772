#pragma once
// Checks a PEM certificate and private key the way the panel's TLS server will load them,
// so `haven check` finds a wrong pair before a session rather than at the daemon's start.

#include <filesystem>
#include <optional>
#include <string>

namespace haven::config {

// Why the pair cannot serve TLS (unreadable, not PEM, key not the certificate's), in words a
// tech can act on; nullopt when it can. Never quotes the key's content.
std::optional<std::string> tls_pair_problem(const std::filesystem::path& cert_file,
                                            const std::filesystem::path& key_file);

}  // namespace haven::config
