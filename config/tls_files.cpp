#include "tls_files.hpp"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <cstdio>
#include <memory>

namespace haven::config {
namespace {

struct FileCloser {
    void operator()(std::FILE* file) const { std::fclose(file); }
};
struct CertFree {
    void operator()(X509* cert) const { X509_free(cert); }
};
struct KeyFree {
    void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};

std::unique_ptr<std::FILE, FileCloser> open_file(const std::filesystem::path& path) {
    return std::unique_ptr<std::FILE, FileCloser>(std::fopen(path.c_str(), "rb"));
}

}  // namespace

std::optional<std::string> tls_pair_problem(const std::filesystem::path& cert_file,
                                            const std::filesystem::path& key_file) {
    auto cert_stream = open_file(cert_file);
    if (!cert_stream) return "cannot read the certificate " + cert_file.string();
    std::unique_ptr<X509, CertFree> cert(
        PEM_read_X509(cert_stream.get(), nullptr, nullptr, nullptr));
    if (!cert) {
        ERR_clear_error();
        return "expected a PEM certificate in " + cert_file.string();
    }
    auto key_stream = open_file(key_file);
    if (!key_stream) return "cannot read the key " + key_file.string();
    // No passphrase callback: the daemon starts unattended, so an encrypted key cannot work.
    std::unique_ptr<EVP_PKEY, KeyFree> key(PEM_read_PrivateKey(
        key_stream.get(), nullptr, [](char*, int, int, void*) { return 0; }, nullptr));
    if (!key) {
        ERR_clear_error();
        return "expected an unencrypted PEM private key in " + key_file.string();
    }
    if (X509_check_private_key(cert.get(), key.get()) != 1) {
        ERR_clear_error();
        return "the key " + key_file.string() + " does not belong to the certificate " +
               cert_file.string();
    }
    return std::nullopt;
}

}  // namespace haven::config
