// SPDX-License-Identifier: MIT
#include <QtTest>

#include "llmops/text.h"

using namespace llmops;

class TextTest : public QObject {
    Q_OBJECT

private slots:
    void tokenizeWords_data();
    void tokenizeWords();
    void stemWord_data();
    void stemWord();
    void splitSentences();
    void findInvalidUtf8_data();
    void findInvalidUtf8();
    void sha256Known();
};

void TextTest::tokenizeWords_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QStringList>("words");
    QTest::newRow("punctuation") << "Hello, World! 2FA-codes." << QStringList{"hello", "world", "2fa", "codes"};
    QTest::newRow("apostrophe") << "don't stop" << QStringList{"dont", "stop"};
    QTest::newRow("accented") << "Café crème" << QStringList{"café", "crème"};
    QTest::newRow("empty") << "" << QStringList{};
}

void TextTest::tokenizeWords()
{
    QFETCH(QString, text);
    QFETCH(QStringList, words);
    QStringList actual;
    for (const std::string& word : llmops::tokenizeWords(text.toStdString()))
        actual << QString::fromStdString(word);
    QCOMPARE(actual, words);
}

void TextTest::stemWord_data()
{
    QTest::addColumn<QString>("word");
    QTest::addColumn<QString>("stem");
    QTest::newRow("plural") << "refunds" << "refund";
    QTest::newRow("past") << "refunded" << "refund";
    QTest::newRow("ies") << "policies" << "policy";
    QTest::newRow("ing") << "billing" << "bill";
    QTest::newRow("ss kept") << "address" << "address";
    QTest::newRow("us kept") << "status" << "status";
    QTest::newRow("short kept") << "is" << "is";
}

void TextTest::stemWord()
{
    QFETCH(QString, word);
    QFETCH(QString, stem);
    QCOMPARE(QString::fromStdString(llmops::stemWord(word.toStdString())), stem);
}

void TextTest::splitSentences()
{
    const std::string text = "First one. Second, e.g. with an abbreviation! Third?\n- a list item\nLast";
    const auto sentences = llmops::splitSentences(text);
    QStringList pieces;
    for (const SentenceSpan& s : sentences)
        pieces << QString::fromStdString(text.substr(s.begin, s.end - s.begin));
    QCOMPARE(pieces, (QStringList{"First one.", "Second, e.g. with an abbreviation!", "Third?", "- a list item",
                                  "Last"}));
}

void TextTest::findInvalidUtf8_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<int>("offset");
    QTest::newRow("ascii") << QByteArray("plain") << -1;
    QTest::newRow("valid multibyte") << QByteArray("caf\xc3\xa9 \xe2\x82\xac") << -1;
    QTest::newRow("lone continuation") << QByteArray("ab\x80") << 2;
    QTest::newRow("truncated") << QByteArray("ab\xe2\x82") << 2;
    QTest::newRow("overlong") << QByteArray("\xc0\xaf") << 0;
    QTest::newRow("surrogate") << QByteArray("x\xed\xa0\x80") << 1;
    QTest::newRow("latin1") << QByteArray("na\xefve") << 2;
}

void TextTest::findInvalidUtf8()
{
    QFETCH(QByteArray, bytes);
    QFETCH(int, offset);
    const std::size_t found = llmops::findInvalidUtf8(std::string_view(bytes.constData(), bytes.size()));
    QCOMPARE(found == std::string_view::npos ? -1 : static_cast<int>(found), offset);
}

void TextTest::sha256Known()
{
    QCOMPARE(QString::fromStdString(sha256Hex("abc")),
             QStringLiteral("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
}

QTEST_GUILESS_MAIN(TextTest)
#include "tst_text.moc"
