// SPDX-License-Identifier: MIT
#pragma once

#include <functional>
#include <string>

#include "llmops/status.h"

namespace llmops {

// Reads the secret stored under an entry name in the operating system's keychain.
using KeychainReader = std::function<Result<std::string>(const std::string& entry)>;

// The core has no keychain access of its own, because the keychain libraries need Qt and a
// session bus: the console and the command-line tool install a reader at start-up, before
// any engine runs. Later calls replace the reader; an empty function removes it.
void setKeychainReader(KeychainReader reader);

// Returns the secret of entry from the installed reader, or an error saying that this
// program cannot read the keychain and how to pass the key instead.
Result<std::string> readKeychainSecret(const std::string& entry);

} // namespace llmops
