// SPDX-License-Identifier: MIT
#include "DocumentParsers.h"

#include <gumbo.h>

#include <memory>

#include "llmops/text.h"

namespace llmops::detail {
namespace {

bool isDroppedTag(GumboTag tag)
{
    switch (tag) {
    case GUMBO_TAG_HEAD:
    case GUMBO_TAG_SCRIPT:
    case GUMBO_TAG_STYLE:
    case GUMBO_TAG_NOSCRIPT:
    case GUMBO_TAG_NAV:
    case GUMBO_TAG_TEMPLATE:
    case GUMBO_TAG_SVG:
    case GUMBO_TAG_IFRAME:
    case GUMBO_TAG_OBJECT:
        return true;
    default:
        return false;
    }
}

// Elements whose start and end separate one text block from the next.
bool isBlockTag(GumboTag tag)
{
    switch (tag) {
    case GUMBO_TAG_P:
    case GUMBO_TAG_DIV:
    case GUMBO_TAG_LI:
    case GUMBO_TAG_UL:
    case GUMBO_TAG_OL:
    case GUMBO_TAG_DL:
    case GUMBO_TAG_DD:
    case GUMBO_TAG_DT:
    case GUMBO_TAG_TABLE:
    case GUMBO_TAG_TR:
    case GUMBO_TAG_TD:
    case GUMBO_TAG_TH:
    case GUMBO_TAG_CAPTION:
    case GUMBO_TAG_PRE:
    case GUMBO_TAG_BLOCKQUOTE:
    case GUMBO_TAG_SECTION:
    case GUMBO_TAG_ARTICLE:
    case GUMBO_TAG_MAIN:
    case GUMBO_TAG_ASIDE:
    case GUMBO_TAG_HEADER:
    case GUMBO_TAG_FOOTER:
    case GUMBO_TAG_FIGURE:
    case GUMBO_TAG_FIGCAPTION:
    case GUMBO_TAG_DETAILS:
    case GUMBO_TAG_SUMMARY:
    case GUMBO_TAG_ADDRESS:
    case GUMBO_TAG_FORM:
    case GUMBO_TAG_FIELDSET:
    case GUMBO_TAG_HR:
    case GUMBO_TAG_BODY:
        return true;
    default:
        return false;
    }
}

int headingLevel(GumboTag tag)
{
    switch (tag) {
    case GUMBO_TAG_H1:
        return 1;
    case GUMBO_TAG_H2:
        return 2;
    case GUMBO_TAG_H3:
        return 3;
    case GUMBO_TAG_H4:
        return 4;
    case GUMBO_TAG_H5:
        return 5;
    case GUMBO_TAG_H6:
        return 6;
    default:
        return 0;
    }
}

bool isTextNode(const GumboNode* node)
{
    return node->type == GUMBO_NODE_TEXT || node->type == GUMBO_NODE_WHITESPACE ||
           node->type == GUMBO_NODE_CDATA;
}

bool isElementNode(const GumboNode* node)
{
    return node->type == GUMBO_NODE_ELEMENT || node->type == GUMBO_NODE_TEMPLATE;
}

// Returns the text of the first <title> element, searching without recursion.
std::string findTitle(const GumboNode* root)
{
    std::vector<const GumboNode*> pending{root};
    while (!pending.empty()) {
        const GumboNode* node = pending.back();
        pending.pop_back();
        if (!isElementNode(node))
            continue;

        const GumboElement& element = node->v.element;
        if (element.tag == GUMBO_TAG_TITLE) {
            std::string text;
            for (unsigned i = 0; i < element.children.length; ++i) {
                const auto* child = static_cast<const GumboNode*>(element.children.data[i]);
                if (isTextNode(child))
                    text += child->v.text.text;
            }
            return collapseWhitespace(text);
        }
        for (unsigned i = element.children.length; i > 0; --i)
            pending.push_back(static_cast<const GumboNode*>(element.children.data[i - 1]));
    }
    return {};
}

// Walks the tree depth first with an explicit stack, so deeply nested markup cannot overflow
// the call stack, and collects text between block boundaries.
class TextCollector {
public:
    HtmlContent collect(const GumboNode* root)
    {
        m_content.title = findTitle(root);
        struct Frame {
            const GumboNode* node;
            unsigned nextChild;
        };
        std::vector<Frame> stack{{root, 0}};
        enterNode(root);
        while (!stack.empty()) {
            Frame& frame = stack.back();
            const GumboElement& element = frame.node->v.element;
            if (frame.nextChild == element.children.length) {
                leaveElement(element.tag);
                stack.pop_back();
                continue;
            }

            const auto* child = static_cast<const GumboNode*>(element.children.data[frame.nextChild++]);
            if (enterNode(child))
                stack.push_back({child, 0});
        }
        flush(0);
        return std::move(m_content);
    }

private:
    // Appends a text node or opens an element. Returns true when the element's children
    // should be visited.
    bool enterNode(const GumboNode* node)
    {
        if (isTextNode(node)) {
            appendText(node->v.text, node->type == GUMBO_NODE_WHITESPACE);
            return false;
        }
        if (!isElementNode(node) || isDroppedTag(node->v.element.tag))
            return false;

        const GumboTag tag = node->v.element.tag;
        if (tag == GUMBO_TAG_BR) {
            m_buffer.push_back('\n');
            return false;
        }
        if (isBlockTag(tag) || headingLevel(tag) > 0)
            flush(0);
        if (tag == GUMBO_TAG_PRE)
            ++m_preDepth;
        return true;
    }

    void leaveElement(GumboTag tag)
    {
        if (isBlockTag(tag) || headingLevel(tag) > 0)
            flush(headingLevel(tag));
        if (tag == GUMBO_TAG_PRE)
            --m_preDepth;
    }

    void appendText(const GumboText& text, bool whitespaceOnly)
    {
        m_buffer += text.text;
        if (m_preDepth > 0)
            m_preformatted = true;
        if (whitespaceOnly)
            return;

        const std::size_t begin = text.start_pos.offset;
        if (!m_hasSpan)
            m_begin = begin;
        m_end = begin + text.original_text.length;
        m_hasSpan = true;
    }

    void flush(int level)
    {
        std::string text = m_preformatted ? std::string(trimmed(m_buffer)) : collapseWhitespace(m_buffer);
        if (!text.empty() && m_hasSpan)
            m_content.segments.push_back({std::move(text), level, m_begin, m_end});
        m_buffer.clear();
        m_preformatted = false;
        m_hasSpan = false;
    }

    HtmlContent m_content;
    std::string m_buffer;
    std::size_t m_begin = 0;
    std::size_t m_end = 0;
    bool m_hasSpan = false;
    bool m_preformatted = false;
    int m_preDepth = 0;
};

struct GumboOutputDeleter {
    void operator()(GumboOutput* output) const { gumbo_destroy_output(&kGumboDefaultOptions, output); }
};

} // namespace

HtmlContent extractHtmlContent(std::string_view html)
{
    const std::unique_ptr<GumboOutput, GumboOutputDeleter> output(
        gumbo_parse_with_options(&kGumboDefaultOptions, html.data(), html.size()));
    if (!output)
        return {};
    return TextCollector().collect(output->root);
}

ParsedDocument parseHtml(std::string_view source, std::size_t start, const std::string& fallbackTitle)
{
    HtmlContent content = extractHtmlContent(source.substr(start));
    ParsedDocument document;
    document.title = content.title;

    // Without a <title>, the first <h1> names the document and stays out of the heading path.
    HeadingTrail headings;
    for (HtmlSegment& segment : content.segments) {
        if (segment.headingLevel == 1 && document.title.empty()) {
            document.title = std::move(segment.text);
        } else if (segment.headingLevel > 0) {
            headings.enter(segment.headingLevel, std::move(segment.text));
        } else {
            document.blocks.push_back(
                {std::move(segment.text), headings.path(), start + segment.begin, start + segment.end});
        }
    }
    if (document.title.empty())
        document.title = fallbackTitle;
    return document;
}

} // namespace llmops::detail
