// SPDX-License-Identifier: MIT
// Routing conditions as one line of text, for tables, the rule editor and `route explain`.
#include "llmops/routing.h"

#include <cctype>

namespace llmops {
namespace {

using Kind = RoutingCondition::Kind;

std::string quoted(const std::string& text)
{
    std::string out = "\"";
    for (const char c : text) {
        if (c == '"' || c == '\\')
            out += '\\';
        out += c;
    }
    out += '"';
    return out;
}

std::string joinQuoted(const std::vector<std::string>& values)
{
    std::string out;
    for (const std::string& value : values) {
        if (!out.empty())
            out += ", ";
        out += quoted(value);
    }
    return out;
}

std::string leafToText(const RoutingCondition& c)
{
    switch (c.kind) {
    case Kind::Tier:
        return "tier(" + c.text + ")";
    case Kind::MinTokens:
        return "min_tokens(" + std::to_string(c.number) + ")";
    case Kind::MaxTokens:
        return "max_tokens(" + std::to_string(c.number) + ")";
    case Kind::MinWords:
        return "min_words(" + std::to_string(c.number) + ")";
    case Kind::Regex:
        return "regex(" + quoted(c.text) + ")";
    case Kind::Keywords:
        return "keywords(" + joinQuoted(c.values) + ")";
    case Kind::GuardFlag:
        return "flag(" + quoted(c.text) + ")";
    case Kind::Language:
        return "language(" + c.text + ")";
    case Kind::HasCode:
        return "code()";
    case Kind::Metadata:
        return "meta(" + quoted(c.text) + (c.values.empty() ? "" : ", " + joinQuoted(c.values)) + ")";
    default:
        return "always()";
    }
}

// Precedence: or 1, and 2, not and leaves 3. A child with lower precedence than its parent
// gets parentheses.
int precedence(const RoutingCondition& c)
{
    if (c.kind == Kind::Any)
        return 1;
    if (c.kind == Kind::All)
        return 2;
    return 3;
}

std::string toText(const RoutingCondition& c, int parentPrecedence)
{
    std::string text;
    if (c.kind == Kind::All || c.kind == Kind::Any) {
        const char* joiner = c.kind == Kind::All ? " and " : " or ";
        for (const RoutingCondition& child : c.children) {
            if (!text.empty())
                text += joiner;
            text += toText(child, precedence(c));
        }
        if (c.children.empty())
            text = "always()";
    } else if (c.kind == Kind::Not) {
        text = "not " + (c.children.empty() ? std::string("always()") : toText(c.children.front(), 3));
    } else {
        text = leafToText(c);
    }
    return precedence(c) < parentPrecedence ? "(" + text + ")" : text;
}

// A recursive-descent parser over the condition grammar described in routing.h.
class Parser {
public:
    explicit Parser(const std::string& text) : m_text(text) {}

    Result<RoutingCondition> parseAll()
    {
        RoutingCondition condition = parseOr();
        skipSpace();
        if (m_error.empty() && m_at < m_text.size())
            fail("unexpected \"" + m_text.substr(m_at, 12) + "\"");
        if (!m_error.empty())
            return Status::invalidArgument("invalid condition at character " + std::to_string(m_errorAt + 1) +
                                           ": " + m_error);
        return condition;
    }

private:
    void fail(const std::string& message)
    {
        if (m_error.empty()) {
            m_error = message;
            m_errorAt = m_at;
        }
    }

    void skipSpace()
    {
        while (m_at < m_text.size() && std::isspace(static_cast<unsigned char>(m_text[m_at])) != 0)
            ++m_at;
    }

    static bool isWordChar(char c)
    {
        return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '.' || c == '-' ||
               (static_cast<unsigned char>(c) & 0x80) != 0;
    }

    std::string peekWord()
    {
        skipSpace();
        std::size_t end = m_at;
        while (end < m_text.size() && isWordChar(m_text[end]))
            ++end;
        return m_text.substr(m_at, end - m_at);
    }

    bool acceptKeyword(const char* keyword)
    {
        if (peekWord() != keyword)
            return false;
        m_at += std::string_view(keyword).size();
        return true;
    }

    bool accept(char c)
    {
        skipSpace();
        if (m_at < m_text.size() && m_text[m_at] == c) {
            ++m_at;
            return true;
        }
        return false;
    }

    RoutingCondition combine(Kind kind, std::vector<RoutingCondition> parts)
    {
        if (parts.size() == 1)
            return std::move(parts.front());
        RoutingCondition combined;
        combined.kind = kind;
        combined.children = std::move(parts);
        return combined;
    }

    RoutingCondition parseOr()
    {
        std::vector<RoutingCondition> parts{parseAnd()};
        while (m_error.empty() && acceptKeyword("or"))
            parts.push_back(parseAnd());
        return combine(Kind::Any, std::move(parts));
    }

    RoutingCondition parseAnd()
    {
        std::vector<RoutingCondition> parts{parseUnary()};
        while (m_error.empty() && acceptKeyword("and"))
            parts.push_back(parseUnary());
        return combine(Kind::All, std::move(parts));
    }

    RoutingCondition parseUnary()
    {
        // Each "not" and "(" goes one level deeper; a limit keeps hostile input off the stack.
        if (m_depth >= kMaxConditionDepth) {
            fail("conditions nest more than " + std::to_string(kMaxConditionDepth) +
                 " levels deep; remove parentheses or negations");
            return {};
        }
        ++m_depth;
        RoutingCondition condition = parseUnaryAtDepth();
        --m_depth;
        return condition;
    }

    RoutingCondition parseUnaryAtDepth()
    {
        if (acceptKeyword("not")) {
            RoutingCondition negated;
            negated.kind = Kind::Not;
            negated.children.push_back(parseUnary());
            return negated;
        }
        if (accept('(')) {
            RoutingCondition inner = parseOr();
            if (!accept(')'))
                fail("missing \")\"");
            return inner;
        }
        return parseLeaf();
    }

    std::string parseString()
    {
        skipSpace();
        if (m_at >= m_text.size() || m_text[m_at] != '"') {
            std::string word = peekWord();
            if (word.empty())
                fail("expected a value");
            m_at += word.size();
            return word;
        }
        std::string value;
        for (++m_at; m_at < m_text.size() && m_text[m_at] != '"'; ++m_at) {
            // \" and \\ are escapes; a backslash before anything else is kept for regexes.
            const bool escape = m_text[m_at] == '\\' && m_at + 1 < m_text.size() &&
                                (m_text[m_at + 1] == '"' || m_text[m_at + 1] == '\\');
            if (escape)
                ++m_at;
            value += m_text[m_at];
        }
        if (m_at >= m_text.size())
            fail("missing closing quote");
        ++m_at;
        return value;
    }

    std::vector<std::string> parseArguments()
    {
        std::vector<std::string> arguments;
        if (!accept('(')) {
            fail("expected \"(\" after the condition name");
            return arguments;
        }
        if (accept(')'))
            return arguments;
        do {
            arguments.push_back(parseString());
        } while (m_error.empty() && accept(','));
        if (!accept(')'))
            fail(m_at >= m_text.size() ? "missing \")\" at the end" : "expected \",\" or \")\"");
        return arguments;
    }

    RoutingCondition parseLeaf()
    {
        const std::size_t nameAt = m_at;
        const std::string name = peekWord();
        m_at += name.size();
        if (name.empty()) {
            fail("expected a condition such as tier(complex)");
            return {};
        }
        const std::vector<std::string> arguments = parseArguments();
        RoutingCondition leaf;
        if (!m_error.empty())
            return leaf;
        if (!fillLeaf(name, arguments, &leaf)) {
            m_at = nameAt;
            fail(m_leafError);
        }
        return leaf;
    }

    bool expectCount(const std::vector<std::string>& arguments, std::size_t count, const std::string& name)
    {
        if (arguments.size() == count)
            return true;
        m_leafError = name + " takes " + std::to_string(count) + " argument" + (count == 1 ? "" : "s");
        return false;
    }

    bool parseNumber(const std::string& text, long long* number)
    {
        char* end = nullptr;
        *number = std::strtoll(text.c_str(), &end, 10);
        if (text.empty() || *end != '\0' || *number < 0) {
            m_leafError = "\"" + text + "\" is not a whole number of 0 or more";
            return false;
        }
        return true;
    }

    bool fillLeaf(const std::string& name, const std::vector<std::string>& args, RoutingCondition* leaf)
    {
        static const std::map<std::string, Kind> oneText = {
            {"tier", Kind::Tier}, {"regex", Kind::Regex}, {"flag", Kind::GuardFlag}, {"language", Kind::Language}};
        static const std::map<std::string, Kind> oneNumber = {
            {"min_tokens", Kind::MinTokens}, {"max_tokens", Kind::MaxTokens}, {"min_words", Kind::MinWords}};
        if (const auto found = oneText.find(name); found != oneText.end()) {
            leaf->kind = found->second;
            return expectCount(args, 1, name) && (leaf->text = args.front(), true);
        }
        if (const auto found = oneNumber.find(name); found != oneNumber.end()) {
            leaf->kind = found->second;
            return expectCount(args, 1, name) && parseNumber(args.front(), &leaf->number);
        }
        if (name == "code" || name == "always") {
            leaf->kind = name == "code" ? Kind::HasCode : Kind::Always;
            return expectCount(args, 0, name);
        }
        if (name == "keywords" || name == "meta") {
            leaf->kind = name == "keywords" ? Kind::Keywords : Kind::Metadata;
            if (args.empty() || (name == "meta" && args.size() < 2)) {
                m_leafError = name == "keywords" ? "keywords needs at least one word" : "meta needs a key and a value";
                return false;
            }
            const bool hasKey = name == "meta";
            leaf->text = hasKey ? args.front() : std::string();
            leaf->values.assign(args.begin() + (hasKey ? 1 : 0), args.end());
            return true;
        }
        m_leafError = "unknown condition \"" + name +
                      "\"; use tier, min_tokens, max_tokens, min_words, regex, keywords, flag, language, code, "
                      "meta or always";
        return false;
    }

    const std::string& m_text;
    std::size_t m_at = 0;
    int m_depth = 0;  // open "not"s and parentheses around the current position
    std::string m_error;
    std::size_t m_errorAt = 0;
    std::string m_leafError;
};

} // namespace

std::string conditionToText(const RoutingCondition& condition)
{
    return toText(condition, 0);
}

Result<RoutingCondition> conditionFromText(const std::string& text)
{
    return Parser(text).parseAll();
}

} // namespace llmops
