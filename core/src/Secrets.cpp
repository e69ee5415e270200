// SPDX-License-Identifier: MIT
#include "llmops/secrets.h"

#include <mutex>

namespace llmops {
namespace {

std::mutex& readerMutex()
{
    static std::mutex mutex;
    return mutex;
}

KeychainReader& installedReader()
{
    static KeychainReader reader;
    return reader;
}

} // namespace

void setKeychainReader(KeychainReader reader)
{
    std::lock_guard lock(readerMutex());
    installedReader() = std::move(reader);
}

Result<std::string> readKeychainSecret(const std::string& entry)
{
    KeychainReader reader;
    {
        std::lock_guard lock(readerMutex());
        reader = installedReader();
    }
    if (!reader)
        return Status::notFound("this program cannot read the keychain entry \"" + entry +
                                   "\"; set the key in an environment variable and name it in api_key_env");
    return reader(entry);
}

} // namespace llmops
