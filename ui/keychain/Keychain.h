// SPDX-License-Identifier: MIT
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "llmops/status.h"

class QObject;

// API keys in the operating system's keychain (the Secret Service of GNOME or KWallet on
// Linux), through QtKeychain. Every entry lives under the service name "llmops".
namespace llmops::keychain {

inline constexpr const char* kService = "llmops";

// Returns the secret stored under entry. Waits in a local event loop, so a QCoreApplication
// must exist; call it from a worker thread in a GUI program. Gives up after limit, because a
// locked keychain may wait for a password prompt nobody sees.
Result<std::string> readSecret(const std::string& entry,
                               std::chrono::milliseconds limit = std::chrono::seconds(20));

// Stores secret under entry, replacing any earlier value; waits like readSecret.
Status writeSecret(const std::string& entry, const std::string& secret,
                   std::chrono::milliseconds limit = std::chrono::seconds(20));

// Removes entry; removing an entry that does not exist succeeds.
Status deleteSecret(const std::string& entry, std::chrono::milliseconds limit = std::chrono::seconds(20));

// Stores secret under entry without waiting, and calls done on context's thread when the
// keychain answered. For the GUI thread.
void writeSecretAsync(const std::string& entry, const std::string& secret, QObject* context,
                      std::function<void(Status)> done);

// Lets the engine read keys named by api_key_keychain through readSecret.
void installEngineReader();

} // namespace llmops::keychain
