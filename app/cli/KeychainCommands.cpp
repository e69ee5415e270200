// SPDX-License-Identifier: MIT
// `llmops keychain`: stores API keys in the OS keychain, where settings name them by entry.
#include "Commands.h"

#include <termios.h>
#include <unistd.h>

#include <iostream>
#include <string>

#include "Keychain.h"

namespace llmops::cli {
namespace {

// Reads one line from standard input without echoing it when a person types it.
std::string readSecretLine()
{
    termios saved{};
    const bool terminal = isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &saved) == 0;
    if (terminal) {
        std::cerr << "API key (not shown): " << std::flush;
        termios silent = saved;
        silent.c_lflag &= ~static_cast<tcflag_t>(ECHO);
        tcsetattr(STDIN_FILENO, TCSANOW, &silent);
    }
    std::string line;
    std::getline(std::cin, line);
    // A key is one line; more text after it is most likely a wrong paste, never part of a key.
    std::string rest;
    for (std::string more; std::getline(std::cin, more);)
        rest += more;
    if (rest.find_first_not_of(" \t\r") != std::string::npos)
        line.clear();
    if (terminal) {
        tcsetattr(STDIN_FILENO, TCSANOW, &saved);
        std::cerr << '\n';
    }
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t'))
        line.pop_back();
    return line;
}

int report(const Status& status)
{
    if (status.isOk())
        return 0;
    std::cerr << "llmops: " << status.message() << '\n';
    return 1;
}

int setEntry(const std::string& entry)
{
    const std::string secret = readSecretLine();
    if (secret.empty()) {
        std::cerr << "llmops: no key, or more than one line, was given for \"" << entry
                  << "\"; type it, or pipe one line in: printf %s \"$KEY\" | llmops keychain set " << entry << '\n';
        return 1;
    }
    if (int code = report(keychain::writeSecret(entry, secret)); code != 0)
        return code;
    std::cout << "stored \"" << entry << "\"; name it in a model's api_key_keychain\n";
    return 0;
}

int checkEntry(const std::string& entry)
{
    Result<std::string> secret = keychain::readSecret(entry);
    if (!secret.isOk())
        return report(secret.status());
    // The length alone tells a truncated paste from a full key without showing any of it.
    std::cout << "\"" << entry << "\" contains a key of " << secret->size() << " characters\n";
    return 0;
}

} // namespace

int runKeychain(const std::vector<std::string>& arguments)
{
    if (arguments.size() != 2 || arguments.front().empty())
        return 2;
    const std::string& action = arguments[0];
    const std::string& entry = arguments[1];
    if (entry.empty() || entry.size() > 200) {
        std::cerr << "llmops: a keychain entry name has 1 to 200 characters\n";
        return 2;
    }
    if (action == "set")
        return setEntry(entry);
    if (action == "check")
        return checkEntry(entry);
    if (action == "delete") {
        if (int code = report(keychain::deleteSecret(entry)); code != 0)
            return code;
        std::cout << "deleted \"" << entry << "\"\n";
        return 0;
    }
    return 2;
}

} // namespace llmops::cli
