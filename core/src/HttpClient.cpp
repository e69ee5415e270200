// SPDX-License-Identifier: MIT
#include "HttpClient.h"

#include <curl/curl.h>

#include <algorithm>
#include <chrono>
#include <cctype>
#include <memory>
#include <mutex>

namespace llmops {

namespace {

// How often the transfer loop wakes up to look at the cancel flag while waiting for the network.
constexpr int kCancelPollMs = 50;

struct EasyDeleter {
    void operator()(CURL* easy) const { curl_easy_cleanup(easy); }
};
struct MultiDeleter {
    void operator()(CURLM* multi) const { curl_multi_cleanup(multi); }
};
struct SlistDeleter {
    void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using EasyHandle = std::unique_ptr<CURL, EasyDeleter>;
using MultiHandle = std::unique_ptr<CURLM, MultiDeleter>;
using HeaderList = std::unique_ptr<curl_slist, SlistDeleter>;

// State shared between one call of sendHttp and the libcurl callbacks it installs.
struct Transfer {
    const HttpRequest* request = nullptr;
    CURL* easy = nullptr;
    HttpResponse response;
    bool cancelled = false;
    bool stoppedByHandler = false;
    bool bodyStarted = false;
    bool firstByteTimedOut = false;
};

CURLcode initCurlOnce()
{
    // curl_global_init is not thread-safe, so the first caller does it for everyone.
    static std::once_flag flag;
    static CURLcode result = CURLE_OK;
    std::call_once(flag, [] { result = curl_global_init(CURL_GLOBAL_DEFAULT); });
    return result;
}

bool isCancelRequested(const HttpRequest& request)
{
    return request.cancel != nullptr && request.cancel->load(std::memory_order_relaxed);
}

std::string_view trimmed(std::string_view text)
{
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
        text.remove_prefix(1);
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
        text.remove_suffix(1);
    return text;
}

bool equalsIgnoringCase(std::string_view a, std::string_view b)
{
    return a.size() == b.size()
        && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x))
                   == std::tolower(static_cast<unsigned char>(y));
           });
}

size_t collectHeader(char* data, size_t size, size_t count, void* user)
{
    auto* transfer = static_cast<Transfer*>(user);
    const size_t bytes = size * count;
    const std::string_view line = trimmed(std::string_view(data, bytes));

    // Each status line starts a new response (after "100 Continue", for example), and only
    // the headers of the last one describe the body.
    if (line.substr(0, 5) == "HTTP/") {
        transfer->response.headers.clear();
        return bytes;
    }

    const size_t colon = line.find(':');
    if (colon != std::string_view::npos) {
        transfer->response.headers.emplace_back(std::string(trimmed(line.substr(0, colon))),
                                                std::string(trimmed(line.substr(colon + 1))));
    }
    return bytes;
}

size_t collectBody(char* data, size_t size, size_t count, void* user)
{
    auto* transfer = static_cast<Transfer*>(user);
    const size_t bytes = size * count;
    transfer->bodyStarted = true;

    long status = 0;
    curl_easy_getinfo(transfer->easy, CURLINFO_RESPONSE_CODE, &status);
    const bool isSuccess = status >= 200 && status < 300;

    if (transfer->request->onData && isSuccess) {
        if (!transfer->request->onData(std::string_view(data, bytes))) {
            transfer->stoppedByHandler = true;
            return 0;  // any count other than bytes makes libcurl abort with CURLE_WRITE_ERROR
        }
        return bytes;
    }
    transfer->response.body.append(data, bytes);
    return bytes;
}

int checkCancel(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t)
{
    auto* transfer = static_cast<Transfer*>(user);
    if (isCancelRequested(*transfer->request)) {
        transfer->cancelled = true;
        return 1;
    }
    return 0;
}

HeaderList buildHeaderList(const HttpRequest& request)
{
    curl_slist* list = nullptr;
    for (const auto& [name, value] : request.headers) {
        // libcurl drops "Name:" with nothing after it; "Name;" is its syntax for an empty value.
        const std::string line = value.empty() ? name + ";" : name + ": " + value;
        list = curl_slist_append(list, line.c_str());
    }

    // Without this, libcurl sends "Expect: 100-continue" for large bodies and waits for an
    // interim response that small local servers never send.
    list = curl_slist_append(list, "Expect:");
    return HeaderList(list);
}

void setMethodAndBody(CURL* easy, const HttpRequest& request)
{
    if (request.method == "GET") {
        curl_easy_setopt(easy, CURLOPT_HTTPGET, 1L);
    } else if (request.method == "HEAD") {
        curl_easy_setopt(easy, CURLOPT_NOBODY, 1L);
    } else if (request.method == "POST") {
        curl_easy_setopt(easy, CURLOPT_POST, 1L);
    } else {
        curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    }

    if (!request.body.empty() || request.method == "POST") {
        curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE,
                         static_cast<curl_off_t>(request.body.size()));
        curl_easy_setopt(easy, CURLOPT_POSTFIELDS, request.body.data());
    }
}

void configure(CURL* easy, Transfer& transfer, curl_slist* headers, char* errorBuffer)
{
    const HttpRequest& request = *transfer.request;
    curl_easy_setopt(easy, CURLOPT_URL, request.url.c_str());
    curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, errorBuffer);
    curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers);
    setMethodAndBody(easy, request);

    curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(std::max(0, request.connectTimeoutMs)));
    curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, static_cast<long>(std::max(0, request.totalTimeoutMs)));

    curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, collectHeader);
    curl_easy_setopt(easy, CURLOPT_HEADERDATA, &transfer);
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, collectBody);
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, &transfer);
    curl_easy_setopt(easy, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(easy, CURLOPT_XFERINFOFUNCTION, checkCancel);
    curl_easy_setopt(easy, CURLOPT_XFERINFODATA, &transfer);
}

// Drives the transfer through a multi handle rather than curl_easy_perform, because the easy
// loop may sleep for up to a second between progress callbacks and so reacts to the cancel
// flag late. Here the flag is checked at least every kCancelPollMs.
CURLcode perform(CURL* easy, Transfer& transfer)
{
    MultiHandle multi(curl_multi_init());
    if (!multi)
        return CURLE_OUT_OF_MEMORY;
    if (curl_multi_add_handle(multi.get(), easy) != CURLM_OK)
        return CURLE_FAILED_INIT;

    int running = 1;
    CURLcode result = CURLE_OK;
    const auto start = std::chrono::steady_clock::now();
    const auto firstByteLimit = std::chrono::milliseconds(transfer.request->firstByteTimeoutMs);
    while (running > 0) {
        if (curl_multi_perform(multi.get(), &running) != CURLM_OK) {
            result = CURLE_FAILED_INIT;
            break;
        }
        if (running > 0 && isCancelRequested(*transfer.request)) {
            transfer.cancelled = true;
            result = CURLE_ABORTED_BY_CALLBACK;
            break;
        }
        if (running > 0 && firstByteLimit.count() > 0 && !transfer.bodyStarted &&
            std::chrono::steady_clock::now() - start > firstByteLimit) {
            transfer.firstByteTimedOut = true;
            result = CURLE_OPERATION_TIMEDOUT;
            break;
        }
        if (running > 0)
            curl_multi_poll(multi.get(), nullptr, 0, kCancelPollMs, nullptr);
    }

    int pending = 0;
    while (CURLMsg* message = curl_multi_info_read(multi.get(), &pending)) {
        if (message->msg == CURLMSG_DONE && message->easy_handle == easy)
            result = message->data.result;
    }
    curl_multi_remove_handle(multi.get(), easy);
    return result;
}

Status toStatus(CURLcode code, const Transfer& transfer, const char* errorBuffer)
{
    const HttpRequest& request = *transfer.request;
    const std::string url = redactUrl(request.url);
    const std::string detail = errorBuffer[0] != '\0' ? errorBuffer : curl_easy_strerror(code);

    if (transfer.stoppedByHandler)
        return Status::cancelled("the response handler stopped the request to " + url);
    if (transfer.cancelled || code == CURLE_ABORTED_BY_CALLBACK)
        return Status::cancelled("request to " + url + " was cancelled");
    if (transfer.firstByteTimedOut)
        return Status::timeout("no answer from " + url + " within " + std::to_string(request.firstByteTimeoutMs) +
                               " ms (the first-token limit); the model may be overloaded, or raise "
                               "first_token_timeout_ms");

    switch (code) {
    case CURLE_OPERATION_TIMEDOUT: {
        curl_off_t connectUs = 0;
        curl_easy_getinfo(transfer.easy, CURLINFO_CONNECT_TIME_T, &connectUs);
        if (connectUs == 0) {
            const int limitMs = std::min(request.connectTimeoutMs, request.totalTimeoutMs);
            return Status::timeout("connecting to " + url + " timed out after "
                                   + std::to_string(limitMs)
                                   + " ms; check that the endpoint is running and reachable");
        }
        return Status::timeout("request to " + url + " timed out after "
                               + std::to_string(request.totalTimeoutMs)
                               + " ms (the total time limit); raise the timeout or check the server");
    }
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
        return Status::ioError("could not connect to " + url + " (" + detail
                               + "); check that the endpoint is running and the URL is right");
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL:
        return Status::invalidArgument("invalid URL '" + url + "' (" + detail
                                       + "); use an http:// or https:// URL");
    default:
        return Status::ioError("request to " + url + " failed: " + detail);
    }
}

} // namespace

std::string HttpResponse::header(std::string_view name) const
{
    for (const auto& [key, value] : headers) {
        if (equalsIgnoringCase(key, name))
            return value;
    }
    return {};
}

std::string redactUrl(const std::string& url)
{
    std::string result = url.substr(0, url.find_first_of("?#"));

    const size_t schemeEnd = result.find("://");
    const size_t authorityStart = schemeEnd == std::string::npos ? 0 : schemeEnd + 3;
    const size_t authorityEnd = std::min(result.find('/', authorityStart), result.size());
    const size_t at = result.rfind('@', authorityEnd);
    if (at != std::string::npos && at >= authorityStart)
        result.erase(authorityStart, at + 1 - authorityStart);
    return result;
}

Result<HttpResponse> sendHttp(const HttpRequest& request)
{
    if (initCurlOnce() != CURLE_OK)
        return Status::internal("libcurl could not be initialised");
    if (isCancelRequested(request))
        return Status::cancelled("request to " + redactUrl(request.url) + " was cancelled");

    EasyHandle easy(curl_easy_init());
    if (!easy)
        return Status::internal("libcurl could not create a transfer handle");

    Transfer transfer;
    transfer.request = &request;
    transfer.easy = easy.get();
    char errorBuffer[CURL_ERROR_SIZE] = {};
    const HeaderList headers = buildHeaderList(request);
    configure(easy.get(), transfer, headers.get(), errorBuffer);

    const CURLcode code = perform(easy.get(), transfer);
    if (code != CURLE_OK || transfer.cancelled || transfer.stoppedByHandler)
        return toStatus(code, transfer, errorBuffer);

    curl_easy_getinfo(easy.get(), CURLINFO_RESPONSE_CODE, &transfer.response.status);
    return std::move(transfer.response);
}

} // namespace llmops
