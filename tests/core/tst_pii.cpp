// SPDX-License-Identifier: MIT
// PII detection: one table of found and rejected cases per entity type, spans in bytes and code
// points, redaction, linear time on hostile input, and agreement with Presidio's recognizer tests.
#include "llmops/guard.h"

#include "TestPaths.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QTest>

#include <algorithm>
#include <string>

using namespace llmops;

namespace {

std::vector<PiiEntity> entitiesOfType(std::string_view text, const std::string& type)
{
    std::vector<PiiEntity> all = findPii(text);
    std::vector<PiiEntity> matching;
    std::copy_if(all.begin(), all.end(), std::back_inserter(matching),
                 [&](const PiiEntity& entity) { return entity.type == type; });
    return matching;
}

QString describe(std::string_view text, const std::vector<PiiEntity>& entities)
{
    QStringList parts;
    for (const PiiEntity& entity : entities) {
        parts << QStringLiteral("%1 \"%2\"").arg(QString::fromStdString(entity.type),
                                                   QString::fromUtf8(text.substr(entity.begin, entity.end - entity.begin)));
    }
    return parts.isEmpty() ? QStringLiteral("nothing") : parts.join(QStringLiteral(", "));
}

// Checks that `text` contains exactly `match` as an entity of `type`, or none of that type when
// `match` is empty.
void verifyEntity(const QString& text, const QString& match, const std::string& type)
{
    const std::string input = text.toStdString();
    const std::vector<PiiEntity> found = entitiesOfType(input, type);
    const QString message = QStringLiteral("found %1").arg(describe(input, findPii(input)));
    if (match.isEmpty()) {
        QVERIFY2(found.empty(), qPrintable(message));
        return;
    }
    const std::string expected = match.toStdString();
    QVERIFY2(found.size() == 1, qPrintable(message));
    QCOMPARE(found[0].begin, input.find(expected));
    QCOMPARE(found[0].end, input.find(expected) + expected.size());
}

void addCaseColumns()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("match"); // empty: nothing of this type may be found
}

// Maps Presidio's recognizer names to the flag kinds findPii() reports.
const QMap<QString, QString>& presidioTypes()
{
    static const QMap<QString, QString> types = {
        {QStringLiteral("email"), QStringLiteral("pii.email")},
        {QStringLiteral("phone"), QStringLiteral("pii.phone")},
        {QStringLiteral("credit_card"), QStringLiteral("pii.card")},
        {QStringLiteral("in_aadhaar"), QStringLiteral("pii.aadhaar")},
        {QStringLiteral("in_pan"), QStringLiteral("pii.pan")},
        {QStringLiteral("in_gstin"), QStringLiteral("pii.gstin")},
        {QStringLiteral("iban"), QStringLiteral("pii.iban")},
        {QStringLiteral("us_ssn"), QStringLiteral("pii.ssn")},
        {QStringLiteral("ip"), QStringLiteral("pii.ip")},
    };
    return types;
}

using SpanList = QList<QPair<qint64, qint64>>;

// Presidio's cases give spans as a list of pairs, as one bare pair, or not at all.
SpanList expectedSpans(const QJsonObject& row)
{
    SpanList spans;
    const QJsonArray array = row.value(QStringLiteral("expected_spans")).toArray();
    if (array.size() == 2 && array.at(0).isDouble()) {
        spans.append({array.at(0).toInteger(), array.at(1).toInteger()});
        return spans;
    }
    for (const QJsonValue& pair : array)
        spans.append({pair.toArray().at(0).toInteger(), pair.toArray().at(1).toInteger()});
    return spans;
}

// Agreement counts of one recognizer.
struct Agreement {
    int cases = 0;
    int countAgrees = 0;
    int spanCases = 0; // cases whose spans list every expected entity
    int spanAgrees = 0;
    int disagrees = 0;
    int disputed = 0;  // disagreements where Presidio's expectation is judged wrong
};

// Presidio cases whose expectation is wrong for the entity as defined here, with the reason.
// The GSTIN check characters were computed independently of the scanner under test.
const QMap<QString, QString>& disputedTexts()
{
    static const QMap<QString, QString> reasons = {
        {QStringLiteral("27ABCDE1234F1Z5"), QStringLiteral("check character 5 fails the GSTIN check (0 expected)")},
        {QStringLiteral("07PQRST6789K1Z2"), QStringLiteral("check character 2 fails the GSTIN check (Y expected)")},
        {QStringLiteral("01ABCDE1234F1Z5"), QStringLiteral("check character 5 fails the GSTIN check (E expected)")},
        {QStringLiteral("37ABCDE1234F1Z5"), QStringLiteral("check character 5 fails the GSTIN check (Z expected)")},
        {QStringLiteral("AAASA1111R"), QStringLiteral("the fourth character S is no PAN holder type")},
        {QStringLiteral("ABCND1234Z"), QStringLiteral("the fourth character N is no PAN holder type")},
        {QStringLiteral("A1111DFSFS"), QStringLiteral("not the PAN layout AAAAA9999A")},
        {QStringLiteral("192.168.1.1.1"), QStringLiteral("five dotted numbers are a version or OID, not an address")},
    };
    return reasons;
}

// Returns why Presidio's expectation for a case is wrong, or an empty string when it is not
// disputed. `foundCount` is the number of entities findPii() reported.
QString disputeReason(const QString& text, const QJsonObject& row, int foundCount)
{
    for (auto it = disputedTexts().cbegin(); it != disputedTexts().cend(); ++it) {
        if (text.contains(it.key()))
            return it.value();
    }

    // Presidio lists the same phone text under several libphonenumber leniency levels, each
    // with a different count, so one reading must disagree with the others.
    const QJsonObject params = row.value(QStringLiteral("params")).toObject();
    if (params.contains(QStringLiteral("leniency")))
        return QStringLiteral("the same text is expected with other counts at other leniency levels");

    // Presidio's own score for a weak pattern (no separators for an SSN, the unspecified IPv6
    // address "::") stays at or below 0.4, under its usual reporting threshold.
    int weak = 0;
    for (const QJsonValue& range : params.value(QStringLiteral("expected_score_ranges")).toArray())
        weak += range.toArray().at(1).toDouble() <= 0.4;
    const int expectedCount = row.value(QStringLiteral("expected_count")).toInt();
    if (weak > 0 && foundCount == expectedCount - weak)
        return QStringLiteral("%1 expected match(es) score at most 0.4 in Presidio itself").arg(weak);
    return {};
}

// Measured when written: 512 of 536 counts agree, 505 of 527 span lists agree, and all 24
// disagreements are disputed above. The floor leaves room for a few deliberate rule changes,
// while any new disagreement without a stated reason fails.
constexpr int kMinCountAgreements = 505;
constexpr int kMaxOtherDisagreements = 0;

} // namespace

class TestPii : public QObject {
    Q_OBJECT

private slots:
    void email_data();
    void email();
    void phone_data();
    void phone();
    void card_data();
    void card();
    void aadhaar_data();
    void aadhaar();
    void pan_data();
    void pan();
    void gstin_data();
    void gstin();
    void iban_data();
    void iban();
    void ssn_data();
    void ssn();
    void ip_data();
    void ip();
    void codePointSpans();
    void checksumField();
    void typedPlaceholders();
    void hostileInputLinear_data();
    void hostileInputLinear();
    void presidioAgreement();
};

void TestPii::email_data()
{
    addCaseColumns();
    QTest::newRow("plain") << "write to ops@example.com today" << "ops@example.com";
    QTest::newRow("punycode domain") << "user@xn--80ak6aa92e.com" << "user@xn--80ak6aa92e.com";
    QTest::newRow("punycode top level") << "a@xn--d1acufc.xn--p1ai" << "a@xn--d1acufc.xn--p1ai";
    QTest::newRow("no top-level domain") << "my email is info@presidio." << "";
    QTest::newRow("no at sign") << "hello-world here" << "";
}

void TestPii::email()
{
    QFETCH(QString, text);
    QFETCH(QString, match);
    verifyEntity(text, match, "pii.email");
}

void TestPii::phone_data()
{
    addCaseColumns();
    QTest::newRow("india plus") << "call +91 98765 43210 now" << "+91 98765 43210";
    QTest::newRow("india mobile") << "mobile 9876543210" << "9876543210";
    QTest::newRow("india trunk zero") << "mobile 09876543210" << "09876543210";
    QTest::newRow("us") << "US: (415) 555-0132." << "(415) 555-0132";
    QTest::newRow("us no space") << "US: (415)555-0132" << "(415)555-0132";
    QTest::newRow("uk international") << "+44 (20) 7123 4567" << "+44 (20) 7123 4567";
    QTest::newRow("france one-digit group") << "+33 1 42 68 53 00" << "+33 1 42 68 53 00";
    QTest::newRow("uk national") << "ring 020 7946 0958" << "020 7946 0958";
    QTest::newRow("germany national") << "Tel. 030 1234567" << "030 1234567";
    QTest::newRow("japan national") << "090-1234-5678" << "090-1234-5678";
    QTest::newRow("china mobile") << "CN 13812345678" << "13812345678";
    QTest::newRow("many one-digit groups") << "+1 2 3 4 5 6 7 8 9 0" << "";
    QTest::newRow("ten digits not a mobile") << "order 1234567890 shipped" << "";
    QTest::newRow("date") << "on 01-02-2024 at 10:30" << "";
    QTest::newRow("clock and numbers") << "12:34:56:7890" << "";
}

void TestPii::phone()
{
    QFETCH(QString, text);
    QFETCH(QString, match);
    verifyEntity(text, match, "pii.phone");
}

void TestPii::card_data()
{
    addCaseColumns();
    QTest::newRow("visa grouped") << "card 4012-8888-8888-1881 ok" << "4012-8888-8888-1881";
    QTest::newRow("amex") << "371449635398431" << "371449635398431";
    QTest::newRow("diners 14 digits") << "30569309025904" << "30569309025904";
    QTest::newRow("luhn fails") << "card 4012-8888-8888-1882" << "";
    QTest::newRow("luhn fails contiguous") << "36168002586008" << "";
    QTest::newRow("13 digits not visa") << "1748503543012" << "";
    QTest::newRow("13 digits visa") << "4222222222222" << "4222222222222";
}

void TestPii::card()
{
    QFETCH(QString, text);
    QFETCH(QString, match);
    verifyEntity(text, match, "pii.card");
}

void TestPii::aadhaar_data()
{
    addCaseColumns();
    QTest::newRow("contiguous") << "Aadhaar 312345678909." << "312345678909";
    QTest::newRow("spaced") << "Aadhaar: 3998 7654 3211 please" << "3998 7654 3211";
    QTest::newRow("dashes") << "3123-4567-8909" << "3123-4567-8909";
    QTest::newRow("in a sentence") << "My Aadhaar number is 400123456787 with text" << "400123456787";
    QTest::newRow("verhoeff fails") << "Aadhaar 312345678908" << "";
    QTest::newRow("verhoeff fails spaced") << "3998 7654 3212" << "";
    QTest::newRow("first digit 1") << "123456789012" << "";
    QTest::newRow("uneven groups") << "31234 5678 909" << "";
    QTest::newRow("inside a longer number") << "1312345678909" << "";
}

void TestPii::aadhaar()
{
    QFETCH(QString, text);
    QFETCH(QString, match);
    verifyEntity(text, match, "pii.aadhaar");
}

void TestPii::pan_data()
{
    addCaseColumns();
    QTest::newRow("person") << "My PAN is ABBPM4567S today" << "ABBPM4567S";
    QTest::newRow("company") << "PAN: AAACR5055K." << "AAACR5055K";
    QTest::newRow("trust") << "AAATA1111R" << "AAATA1111R";
    QTest::newRow("invalid holder type") << "ABCND1234Z" << "";
    QTest::newRow("digits first") << "A1111DFSFS" << "";
    QTest::newRow("lower case") << "abbpm4567s" << "";
    QTest::newRow("glued to a word") << "XABBPM4567S" << "";
    QTest::newRow("too short") << "ABCD1234" << "";
}

void TestPii::pan()
{
    QFETCH(QString, text);
    QFETCH(QString, match);
    verifyEntity(text, match, "pii.pan");
}

void TestPii::gstin_data()
{
    addCaseColumns();
    QTest::newRow("maharashtra") << "GSTIN 27AAPFU0939F1ZV." << "27AAPFU0939F1ZV";
    QTest::newRow("karnataka") << "29AAGCB7383J1Z4" << "29AAGCB7383J1Z4";
    QTest::newRow("check character fails") << "27AAPFU0939F1ZW" << "";
    QTest::newRow("state 00") << "00AAPFU0939F1ZV" << "";
    QTest::newRow("state 39") << "39AAPFU0939F1ZV" << "";
    QTest::newRow("no Z") << "27AAPFU0939F1YV" << "";
    QTest::newRow("too long") << "27AAPFU0939F1ZV5" << "";
}

void TestPii::gstin()
{
    QFETCH(QString, text);
    QFETCH(QString, match);
    verifyEntity(text, match, "pii.gstin");
}

void TestPii::iban_data()
{
    addCaseColumns();
    QTest::newRow("germany printed") << "IBAN DE89 3704 0044 0532 0130 00, thanks" << "DE89 3704 0044 0532 0130 00";
    QTest::newRow("germany compact") << "DE89370400440532013000" << "DE89370400440532013000";
    QTest::newRow("uk") << "to GB82 WEST 1234 5698 7654 32." << "GB82 WEST 1234 5698 7654 32";
    QTest::newRow("norway shortest") << "NO9386011117947" << "NO9386011117947";
    QTest::newRow("brazil letter in bban") << "BR97 0036 0305 0000 1000 9795 493P 1" << "BR97 0036 0305 0000 1000 9795 493P 1";
    QTest::newRow("mod 97 fails") << "DE89 3704 0044 0532 0130 01" << "";
    QTest::newRow("too short for country") << "DE89 3704 0044 0532 0130 0" << "";
    QTest::newRow("too long for country") << "DE89370400440532013000 1" << "DE89370400440532013000";
    QTest::newRow("glued digits") << "DE8937040044053201300012" << "";
    QTest::newRow("double space") << "EE38 2200 2210  2014 5685" << "";
    QTest::newRow("dashes") << "AL47-2121-1009-0000-0002-3569-8741" << "AL47-2121-1009-0000-0002-3569-8741";
    QTest::newRow("mixed separators") << "AL47-2121 1009-0000-0002-3569-8741" << "";
    QTest::newRow("lower case") << "de89 3704 0044 0532 0130 00" << "";
}

void TestPii::iban()
{
    QFETCH(QString, text);
    QFETCH(QString, match);
    verifyEntity(text, match, "pii.iban");
}

void TestPii::ssn_data()
{
    addCaseColumns();
    QTest::newRow("dashes") << "SSN 078-05-1123." << "078-05-1123";
    QTest::newRow("spaces") << "abc 078 05 1123 abc" << "078 05 1123";
    QTest::newRow("dots") << "078.05.1123" << "078.05.1123";
    QTest::newRow("area 000") << "000-12-3456" << "";
    QTest::newRow("area 666") << "666-12-3456" << "";
    QTest::newRow("area 9xx") << "912-12-3456" << "";
    QTest::newRow("group 00") << "078-00-1123" << "";
    QTest::newRow("serial 0000") << "078-05-0000" << "";
    QTest::newRow("mixed separators") << "693-09.4444" << "";
    QTest::newRow("no separators") << "078051121" << "";
}

void TestPii::ssn()
{
    QFETCH(QString, text);
    QFETCH(QString, match);
    verifyEntity(text, match, "pii.ssn");
}

void TestPii::ip_data()
{
    addCaseColumns();
    QTest::newRow("ipv4") << "from 192.168.0.1 today" << "192.168.0.1";
    QTest::newRow("ipv4 with port") << "10.0.0.1:8080" << "10.0.0.1";
    QTest::newRow("ipv4 sentence end") << "IP: 192.168.1.1." << "192.168.1.1";
    QTest::newRow("ipv6 full") << "2345:0425:2CA1:0000:0000:0567:5673:23b5" << "2345:0425:2CA1:0000:0000:0567:5673:23b5";
    QTest::newRow("ipv6 compressed") << "Server IP: 2001:db8::1" << "2001:db8::1";
    QTest::newRow("ipv6 loopback") << "connecting from ::1" << "::1";
    QTest::newRow("ipv6 zone") << "fe80::1%eth0 up" << "fe80::1%eth0";
    QTest::newRow("ipv6 in brackets") << "Connect to [2001:db8::1]:8080" << "2001:db8::1";
    QTest::newRow("ipv4 mapped") << "Mapped: ::ffff:192.168.1.1" << "::ffff:192.168.1.1";
    QTest::newRow("octet over 255") << "192.168.1.256" << "";
    QTest::newRow("three parts") << "Version 1.2.3" << "";
    QTest::newRow("five parts") << "1.2.3.4.5" << "";
    QTest::newRow("glued to a word") << "text192.168.1.1" << "";
    QTest::newRow("two compressions") << "2001::db8::1" << "";
    QTest::newRow("group of five") << "12345:db8::1" << "";
    QTest::newRow("mac address") << "aa:bb:cc:dd:ee:ff" << "";
    QTest::newRow("clock") << "Time 12:34:56" << "";
    QTest::newRow("scope operator") << "std::cout and Bad::Add" << "";
    QTest::newRow("unspecified") << "Unspecified ::" << "";
}

void TestPii::ip()
{
    QFETCH(QString, text);
    QFETCH(QString, match);
    verifyEntity(text, match, "pii.ip");
}

void TestPii::codePointSpans()
{
    // "Müller" and the arrow take 2 and 3 bytes but one code point each.
    const std::string text = "Müller → DE89 3704 0044 0532 0130 00";

    const std::vector<PiiEntity> found = findPii(text);

    QCOMPARE(found.size(), std::size_t(1));
    QCOMPARE(found[0].begin, text.find("DE89"));
    QCOMPARE(found[0].beginCodePoint, std::size_t(9));
    QCOMPARE(found[0].endCodePoint, std::size_t(9 + 27));
}

void TestPii::checksumField()
{
    const std::vector<PiiEntity> found = findPii("a@example.com 4111 1111 1111 1111 ABBPM4567S 312345678909");

    QCOMPARE(found.size(), std::size_t(4));
    QVERIFY(!found[0].validChecksum.has_value());
    QCOMPARE(found[1].validChecksum, std::optional<bool>(true));
    QVERIFY(!found[2].validChecksum.has_value());
    QCOMPARE(found[3].validChecksum, std::optional<bool>(true));
}

void TestPii::typedPlaceholders()
{
    const std::string text = "Aadhaar 3998 7654 3211, PAN ABBPM4567S, GSTIN 27AAPFU0939F1ZV, "
                             "IBAN DE89 3704 0044 0532 0130 00, SSN 078-05-1123, IP 10.0.0.1 and fe80::1.";

    const InputGuardVerdict verdict = checkInput(text, InputGuardOptions{});

    QCOMPARE(verdict.sanitizedText, std::string("Aadhaar [AADHAAR], PAN [PAN], GSTIN [GSTIN], IBAN [IBAN], "
                                                "SSN [SSN], IP [IP] and [IP]."));
}

void TestPii::hostileInputLinear_data()
{
    QTest::addColumn<QString>("unit");

    QTest::newRow("digits and at signs") << "1234567890@";
    QTest::newRow("at signs between digits") << "1@2@3@";
    QTest::newRow("address-like tokens") << "a1@b2.cd ";
    QTest::newRow("spaced digit groups") << "1234 ";
    QTest::newRow("hex and colons") << "ab12:";
    QTest::newRow("dotted digits") << "1.2.";
    QTest::newRow("iban-like words") << "DE89 ";
    QTest::newRow("pan-like letters") << "ABCPD";
}

void TestPii::hostileInputLinear()
{
    QFETCH(QString, unit);
    std::string text;
    text.reserve((1 << 20) + 16);
    while (text.size() < (1u << 20))
        text += unit.toStdString();

    QElapsedTimer timer;
    timer.start();
    const std::vector<PiiEntity> found = findPii(text);
    qInfo("findPii on %zu bytes of \"%s\": %lld ms, %zu entities", text.size(), qPrintable(unit),
          static_cast<long long>(timer.elapsed()), found.size());

    // The scan finishes (a backtracking matcher would not) and reports spans inside the text.
    for (const PiiEntity& entity : found)
        QVERIFY(entity.begin < entity.end && entity.end <= text.size());
}

void TestPii::presidioAgreement()
{
    REQUIRE_SHARED_DATA(path, "pii/presidio-recognizer-cases.jsonl");
    QFile file(path);
    QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(path));

    QMap<QString, Agreement> byRecognizer;
    int lineNumber = 0;
    while (!file.atEnd()) {
        ++lineNumber;
        const QJsonObject row = QJsonDocument::fromJson(file.readLine()).object();
        const QString recognizer = row.value(QStringLiteral("recognizer")).toString();
        if (!presidioTypes().contains(recognizer))
            continue;

        const QString text = row.value(QStringLiteral("text")).toString();
        const std::string input = text.toStdString();
        const std::vector<PiiEntity> found = entitiesOfType(input, presidioTypes().value(recognizer).toStdString());
        SpanList spans;
        for (const PiiEntity& entity : found)
            spans.append({qint64(entity.beginCodePoint), qint64(entity.endCodePoint)});
        const int expectedCount = row.value(QStringLiteral("expected_count")).toInt();
        const SpanList expected = expectedSpans(row);

        Agreement& agreement = byRecognizer[recognizer];
        ++agreement.cases;
        const bool countAgrees = int(found.size()) == expectedCount;
        agreement.countAgrees += countAgrees;
        const bool spansListed = expected.size() == expectedCount;
        agreement.spanCases += spansListed;
        const bool spansAgree = spansListed && countAgrees && spans == expected;
        agreement.spanAgrees += spansAgree;
        if (countAgrees && (spansAgree || !spansListed))
            continue;

        const QString reason = disputeReason(text, row, int(found.size()));
        ++agreement.disagrees;
        agreement.disputed += !reason.isEmpty();
        qInfo("disagree line %d %s: \"%s\" expected %d, found %s%s%s", lineNumber, qPrintable(recognizer),
              qPrintable(text), expectedCount, qPrintable(describe(input, found)),
              reason.isEmpty() ? "" : "; Presidio is wrong: ", qPrintable(reason));
    }

    Agreement total;
    for (auto it = byRecognizer.cbegin(); it != byRecognizer.cend(); ++it) {
        const Agreement& a = it.value();
        qInfo("%-12s cases %3d  count agrees %3d  spans agree %3d of %3d  disputed %d", qPrintable(it.key()),
              a.cases, a.countAgrees, a.spanAgrees, a.spanCases, a.disputed);
        total.cases += a.cases;
        total.countAgrees += a.countAgrees;
        total.spanCases += a.spanCases;
        total.spanAgrees += a.spanAgrees;
        total.disagrees += a.disagrees;
        total.disputed += a.disputed;
    }
    const int undisputed = total.disagrees - total.disputed;
    qInfo("all          cases %3d  count agrees %3d  spans agree %3d of %3d  disputed %d  other disagreements %d",
          total.cases, total.countAgrees, total.spanAgrees, total.spanCases, total.disputed, undisputed);

    QVERIFY(total.cases > 0);
    QVERIFY2(total.countAgrees >= kMinCountAgreements,
             qPrintable(QStringLiteral("count agrees %1 < %2").arg(total.countAgrees).arg(kMinCountAgreements)));
    QVERIFY2(undisputed <= kMaxOtherDisagreements,
             qPrintable(QStringLiteral("other disagreements %1 > %2").arg(undisputed).arg(kMaxOtherDisagreements)));
}

QTEST_GUILESS_MAIN(TestPii)
#include "tst_pii.moc"
